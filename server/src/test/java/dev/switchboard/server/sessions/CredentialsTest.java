package dev.switchboard.server.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static Credentials of(Map<String, String> headers) {
        Map<String, String> ignoringCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ignoringCase.putAll(headers);
        return Credentials.of(ignoringCase::get, "127.0.0.1");
    }

    @Test
    void readsABearerKeyInAnyCaseOfTheScheme() {
        assertThat(of(Map.of("Authorization", "Bearer sb_abc")).bearerToken()).contains("sb_abc");
        assertThat(of(Map.of("authorization", "bearer  sb_abc ")).bearerToken()).contains("sb_abc");
        assertThat(of(Map.of("Authorization", "Basic dXNlcjpwYXNz")).bearerToken()).isEmpty();
        assertThat(of(Map.of("Authorization", "Bearer ")).bearerToken()).isEmpty();
        assertThat(of(Map.of("Authorization", "Bearer")).bearerToken()).isEmpty();
    }

    @Test
    void readsTheLoginCookieAmongOthers() {
        assertThat(of(Map.of("Cookie", "a=1; swarm_token=tok-en_1; b=2")).loginToken()).contains("tok-en_1");
        assertThat(of(Map.of("Cookie", "swarm_token=\"quoted\"")).loginToken()).contains("quoted");
        assertThat(of(Map.of("Cookie", "xswarm_token=no; swarm_token_x=no")).loginToken()).isEmpty();
        assertThat(of(Map.of("Cookie", "swarm_token=")).loginToken()).isEmpty();
        assertThat(of(Map.of()).present()).isFalse();
    }

    @Test
    void neverPrintsItsSecrets() {
        Credentials credentials = of(Map.of("Authorization", "Bearer sb_canary", "Cookie", "swarm_token=canary2"));

        assertThat(credentials.toString()).doesNotContain("canary").contains("<set>");
    }
}
