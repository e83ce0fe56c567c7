package dev.switchboard.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingsSchema;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class BackendTypeRegistryTest {

    @Test
    void isEmptyUntilPublished() {
        BackendTypeRegistry registry = new BackendTypeRegistry();

        assertThat(registry.types()).isEmpty();
        assertThat(registry.find("comfyui_api")).isEmpty();
    }

    @Test
    void keepsRegistrationOrderAndFindsByExactId() {
        BackendTypeRegistry registry = new BackendTypeRegistry();
        RegisteredBackendType swarm = registered("swarmswarmbackend");
        RegisteredBackendType comfy = registered("comfyui_api");

        registry.publish(List.of(swarm, comfy));

        assertThat(registry.types()).containsExactly(swarm, comfy);
        assertThat(registry.find("comfyui_api")).containsSame(comfy);
        assertThat(registry.find("ComfyUI_API")).isEmpty();
        assertThatThrownBy(() -> registry.types().add(comfy)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void isPublishedOnlyOnce() {
        BackendTypeRegistry registry = new BackendTypeRegistry();
        registry.publish(List.of());

        assertThatThrownBy(() -> registry.publish(List.of(registered("late"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(registry.types()).isEmpty();
    }

    @Test
    void refusesDuplicateIds() {
        BackendTypeRegistry registry = new BackendTypeRegistry();

        assertThatThrownBy(() -> registry.publish(List.of(registered("same"), registered("same"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RegisteredBackendType registered(String id) {
        BackendType type = new BackendType() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String displayName() {
                return id;
            }

            @Override
            public String description() {
                return "";
            }

            @Override
            public SettingsSchema settingsSchema() {
                return SettingsSchema.of();
            }

            @Override
            public Backend create(BackendContext context) {
                throw new UnsupportedOperationException();
            }
        };
        return new RegisteredBackendType(id, id, "", true, true, InitMode.PARALLEL, Duration.ofMinutes(2),
                SettingsSchema.of(), type, "tests", BackendTypeRegistryTest.class.getClassLoader());
    }
}
