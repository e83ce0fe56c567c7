package dev.switchboard.plugins.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class EngineAddressTest {
    private final EngineAddress addresses = new EngineAddress("http://127.0.0.1:8188", " (use AuthorizationHeader)");

    @Test
    void normalizesWhatOperatorsType() {
        assertThat(EngineAddress.normalize("  http://host:8188/// ")).isEqualTo("http://host:8188");
        assertThat(EngineAddress.normalize("   ")).isEmpty();
    }

    @Test
    void acceptsHttpAndHttpsUrlsWithAHost() {
        assertThat(addresses.problem("http://127.0.0.1:8188")).isEmpty();
        assertThat(addresses.problem("https://gpu-box.lan/comfy")).isEmpty();
    }

    @Test
    void explainsWhatIsWrong() {
        assertThat(addresses.problem("localhost:8188")).contains(
                "Address must be a full URL starting with http:// or https://, for example http://127.0.0.1:8188.");
        assertThat(addresses.problem("http://")).get().asString().startsWith("Address is not a valid URL (");
        assertThat(addresses.problem("http://user:pw@host")).contains("Address must not contain a user name or "
                + "password (use AuthorizationHeader); write it like http://127.0.0.1:8188.");
        assertThat(addresses.problem("http://host/?a=1")).get().asString().contains("query");
        assertThat(addresses.problem("ftp://host")).get().asString().contains("http://");
    }
}
