package dev.switchboard.examples.autowebui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

final class StrictJsonTest {
    @Test
    void takesJsonAsItIsWritten() {
        assertThat(StrictJson.parse("{\"a\":[1,2]}").getAsJsonObject().getAsJsonArray("a")).hasSize(2);
        assertThat(StrictJson.parse("null").isJsonNull()).isTrue();
    }

    @Test
    void refusesWhatGsonsLenientParserAccepts() {
        // The pitfall: the lenient parser reads plain text as a JSON string.
        assertThat(JsonParser.parseString("Unauthorized").getAsString()).isEqualTo("Unauthorized");

        assertThatThrownBy(() -> StrictJson.parse("Unauthorized")).isInstanceOf(JsonParseException.class);
        assertThatThrownBy(() -> StrictJson.parse("{'a':1}")).isInstanceOf(JsonParseException.class);
        assertThatThrownBy(() -> StrictJson.parse("{\"a\":1} trailing")).isInstanceOf(JsonParseException.class);
        assertThatThrownBy(() -> StrictJson.parse("")).isInstanceOf(JsonParseException.class);
    }
}
