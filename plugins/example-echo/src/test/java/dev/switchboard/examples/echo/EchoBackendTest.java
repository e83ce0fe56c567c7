package dev.switchboard.examples.echo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.backends.TestingBackendContext;
import java.util.LinkedHashMap;
import java.util.List;
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
            assertThat(context.models()).containsEntry(ModelType.STABLE_DIFFUSION,
                    List.of("echo/gradient.safetensors", "echo/stripes.safetensors"));
            backend.shutdown();
        }
    }
    // end::unit-test[]

    @Test
    void reportsTheModelsOfItsSettingsAgainOnRefresh() {
        Settings settings = settings(Map.of(EchoSettings.MODELS, List.of("sdxl/base.safetensors")));
        try (TestingBackendContext context = new TestingBackendContext(settings)) {
            EchoBackend backend = new EchoBackend(context);
            backend.init();
            context.setModels(Map.of());

            backend.refreshModels();

            assertThat(context.models()).isEqualTo(Map.of(ModelType.STABLE_DIFFUSION, List.of("sdxl/base.safetensors")));
            assertThat(context.canLoadModels()).isTrue();
            backend.shutdown();
        }
    }

    @Test
    void anEmptyGreetingDisablesTheBackend() {
        try (TestingBackendContext context = new TestingBackendContext(settings(Map.of(EchoSettings.GREETING, "")))) {
            new EchoBackend(context).init();

            assertThat(context.status()).isEqualTo(BackendStatus.DISABLED);
            assertThat(context.statusMessage()).isEqualTo("Set a greeting to enable this backend.");
            assertThat(context.models()).isEmpty();
        }
    }

    @Test
    void refusesAnOverlongGreeting() {
        Settings settings = settings(Map.of(EchoSettings.GREETING, "x".repeat(101)));

        assertThat(new EchoBackendType().validate(settings)).singleElement().satisfies(issue -> {
            assertThat(issue.setting()).isEqualTo(EchoSettings.GREETING);
            assertThat(issue.message()).isEqualTo("longer than 100 characters.");
        });
    }

    @Test
    void refusesModelNamesThatAreNotSlashSeparatedOrRepeat() {
        EchoBackendType type = new EchoBackendType();

        assertThat(type.validate(settings(Map.of(EchoSettings.MODELS, List.of("sdxl\\base.safetensors")))))
                .singleElement().satisfies(issue -> assertThat(issue.message()).isEqualTo("'sdxl\\base.safetensors'"
                        + " is not a model name such as echo/gradient.safetensors (folders separated by '/', no"
                        + " leading '/')."));
        assertThat(type.validate(settings(Map.of(EchoSettings.MODELS, List.of("/a.safetensors"))))).hasSize(1);
        assertThat(type.validate(settings(Map.of(EchoSettings.MODELS, List.of("a", "a"))))).singleElement()
                .satisfies(issue -> assertThat(issue.message()).isEqualTo("a model name is listed twice."));
        assertThat(type.validate(settings(Map.of(EchoSettings.MODELS, List.of())))).singleElement()
                .satisfies(issue -> assertThat(issue.message()).isEqualTo("list at least one model name."));
        assertThat(type.validate(settings(Map.of(EchoSettings.MODELS, List.of("sd15/a.ckpt", "b.safetensors")))))
                .isEmpty();
    }

    static Settings settings(Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>(EchoSettings.SCHEMA.defaults().values());
        values.putAll(overrides);
        return new Settings(EchoSettings.SCHEMA, values);
    }
}
