package dev.switchboard.examples.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.backends.TestingBackendContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class EchoBackendTest {
    // tag::unit-test[]
    @Test
    void greetsLoudlyWhenRunning() {
        Settings settings = settings(Map.of(EchoSettings.MOOD, "loud", EchoSettings.SLOTS, 3L));
        try (TestingBackendContext context = new TestingBackendContext(settings)) {
            EchoBackend backend = new EchoBackend(context);

            backend.init();

            assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
            assertThat(context.statusMessage()).isEqualTo("HELLO");
            assertThat(context.maxUsages()).isEqualTo(3);
            assertThat(context.features()).containsExactly("echo");
            backend.shutdown();
        }
    }
    // end::unit-test[]

    @Test
    void anEmptyGreetingDisablesTheBackend() {
        try (TestingBackendContext context = new TestingBackendContext(settings(Map.of(EchoSettings.GREETING, "")))) {
            new EchoBackend(context).init();

            assertThat(context.status()).isEqualTo(BackendStatus.DISABLED);
            assertThat(context.statusMessage()).isEqualTo("Set a greeting to enable this backend.");
        }
    }

    @Test
    void refusesAnOverlongGreeting() {
        Settings settings = settings(Map.of(EchoSettings.GREETING, "x".repeat(101)));

        assertThat(new EchoBackendType().validate(settings)).singleElement()
                .satisfies(issue -> assertThat(issue.message()).isEqualTo("Greeting is longer than 100 characters."));
    }

    private static Settings settings(Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>(EchoSettings.SCHEMA.defaults().values());
        values.putAll(overrides);
        return new Settings(EchoSettings.SCHEMA, values);
    }
}
