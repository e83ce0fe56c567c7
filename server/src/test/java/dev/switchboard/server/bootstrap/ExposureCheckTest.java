package dev.switchboard.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ExposureCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "localhost"})
    void loopbackNeedsNoAuthentication(String host) {
        assertThat(ExposureCheck.refusal(host, false, false)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.0.2.10", "no-such-host.invalid"})
    void anythingElseIsRefusedWithoutAuthentication(String host) {
        assertThat(ExposureCheck.refusal(host, false, false)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("refusing to listen on " + host + " without authentication")
                .contains("--required-authorization", "SWITCHBOARD_REQUIRED_AUTHORIZATION", "--allow-unauthenticated"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::"})
    void authenticationOrAnExplicitOverrideAllowsIt(String host) {
        assertThat(ExposureCheck.refusal(host, true, false)).isEmpty();
        assertThat(ExposureCheck.refusal(host, false, true)).isEmpty();
    }
}
