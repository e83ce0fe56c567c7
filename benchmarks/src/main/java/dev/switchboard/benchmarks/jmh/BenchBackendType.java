package dev.switchboard.benchmarks.jmh;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.SettingsSchema;

/**
 * A backend type for in-process benchmarks: its backends become {@code running} at once and do nothing,
 * with a settings schema the size of a typical one (an address, a flag, a number), so what is measured is
 * Switchboard's own work.
 */
final class BenchBackendType implements BackendType {
    static final String ID = "bench";

    static final SettingsSchema SCHEMA = SettingsSchema.of(
            SettingDefinition.builder("Address", SettingType.TEXT).defaultValue("http://127.0.0.1:8188").build(),
            SettingDefinition.builder("AllowIdle", SettingType.BOOLEAN).defaultValue(false).build(),
            SettingDefinition.builder("MaxQueue", SettingType.INTEGER).defaultValue(4L).build());

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Benchmark backend";
    }

    @Override
    public String description() {
        return "Becomes running at once; used by the in-process benchmarks.";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public Backend create(BackendContext context) {
        return new Backend() {
            @Override
            public void init() {
                context.setStatus(BackendStatus.RUNNING, "Running: benchmark backend.");
            }

            @Override
            public void shutdown() {
                // Nothing to release.
            }
        };
    }
}
