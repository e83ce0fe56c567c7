package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class JsonContentTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "application/json",
        "APPLICATION/JSON",
        "application/json; charset=utf-8",
        "application/json;charset=\"utf-8\"",
        "application/json ; charset=utf-8 ; q=1",
        "application/vnd.x+json",
        "text/anything+json; v=2",
    })
    void acceptsJsonMediaTypes(String value) {
        assertThat(JsonContentType.matches(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "text/plain",
        "application/jsonx",
        "application/json-patch",
        "application/x-www-form-urlencoded",
        "application/+json",
        "json",
        "application/",
        "/json",
        "application/json; charset",
        "application/json; =utf-8",
        "application/json, text/plain",
        "application/json; charset=\"utf-8",
        "application/json; charset=\"utf-8\\",
        "a/_;e=\"-a_%psqqqq[qqqqqqqqqq\\\\\\\\\\\\\\\\\\\\\\",
    })
    void refusesEverythingElse(String value) {
        assertThat(JsonContentType.matches(value)).isFalse();
    }

    @Test
    void refusesAMissingHeader() {
        assertThat(JsonContentType.matches(null)).isFalse();
    }
}
