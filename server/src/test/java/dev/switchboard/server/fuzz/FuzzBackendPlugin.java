package dev.switchboard.server.fuzz;

import dev.switchboard.testkit.plugins.PluginJarBuilder;
import java.nio.file.Path;

/**
 * A packaged plugin whose backend type has a setting of every kind (text, secret, ranged integer, decimal,
 * boolean, dropdown, list) and whose backends only exist in memory: fuzzed requests exercise settings binding,
 * validation and the lifecycle without launching processes or connecting anywhere.
 */
final class FuzzBackendPlugin {
    static final String TYPE_ID = "fuzz_memory";

    private static final String SOURCE = """
            package test.fuzz;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendStatus;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingDefinition;
            import dev.switchboard.api.settings.SettingType;
            import dev.switchboard.api.settings.SettingsSchema;
            import java.util.List;
            import java.util.Set;
            import org.pf4j.Extension;

            @Extension
            public class MemoryType implements BackendType {
                public String id() { return "fuzz_memory"; }
                public String displayName() { return "In-memory backend"; }
                public String description() { return "Exists only in memory."; }
                public boolean isStandard() { return true; }
                public SettingsSchema settingsSchema() {
                    return SettingsSchema.of(
                        SettingDefinition.builder("Name", SettingType.TEXT).build(),
                        SettingDefinition.builder("Token", SettingType.TEXT).secret().build(),
                        SettingDefinition.builder("Count", SettingType.INTEGER).defaultValue(1).range(0, 3).build(),
                        SettingDefinition.builder("Ratio", SettingType.DECIMAL).defaultValue(0.5).range(0, 1).build(),
                        SettingDefinition.builder("Flag", SettingType.BOOLEAN).build(),
                        SettingDefinition.builder("Mode", SettingType.DROPDOWN).values(List.of("fast", "slow")).build(),
                        SettingDefinition.builder("Tags", SettingType.LIST).build());
                }
                public Backend create(BackendContext context) {
                    return new Backend() {
                        public void init() {
                            context.setFeatures(Set.of("fuzz"));
                            int children = context.settings().getInt("Count");
                            for (int i = 0; i < children; i++) {
                                context.children().spawn("child " + i, child -> new Backend() {
                                    public void init() { child.setStatus(BackendStatus.RUNNING, "child"); }
                                    public void shutdown() { }
                                });
                            }
                            context.setStatus(BackendStatus.RUNNING, "in memory");
                        }
                        public void shutdown() { }
                        public boolean freeMemory(boolean systemRam) { return true; }
                    };
                }
            }
            """;

    private FuzzBackendPlugin() {
    }

    /** Builds the plugin into {@code plugins} and returns that folder. */
    static Path buildInto(Path plugins) {
        new PluginJarBuilder("fuzz").version("1.0.0").requires(">=1.0.0 & <2.0.0").provider("tests")
                .source("test.fuzz.MemoryType", SOURCE)
                .build(plugins);
        return plugins;
    }
}
