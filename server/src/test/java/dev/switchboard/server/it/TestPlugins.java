package dev.switchboard.server.it;

import dev.switchboard.testkit.plugins.PluginJarBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Packaged test plugins, compiled and jarred at test time, next to a copy of the shipped comfyui and swarm
 * plugins. They exercise what comfyui_api does not: secrets, non-real children, failing and broken plugins.
 * Also used by the distribution module's tests (this class is in the server's test jar).
 */
public final class TestPlugins {
    /** The system property naming the folder of the shipped plugins, unpacked as in the distribution. */
    public static final String SHIPPED_PLUGINS_PROPERTY = "switchboard.test.plugins";

    private TestPlugins() {
    }

    /** The folder holding the packaged comfyui and swarm plugins, unpacked as in the distribution. */
    public static Path shipped() {
        String path = System.getProperty(SHIPPED_PLUGINS_PROPERTY);
        if (path == null) {
            throw new IllegalStateException("system property " + SHIPPED_PLUGINS_PROPERTY + " is not set (run through"
                    + " Maven)");
        }
        return Path.of(path);
    }

    /**
     * A plugins folder holding the shipped plugins and the {@code fake} test plugin: {@code fake_parent} (a
     * secret {@code Token}, non-real children, logs at DEBUG while it starts), {@code fake_failing} (its init
     * throws with a cause, or hangs; a secret {@code Token} too) and {@code fake_freeing} (its free-memory call
     * frees, throws or hangs, as its {@code Free} setting says).
     */
    public static Path withFake(Path parent) {
        Path plugins = copyShipped(parent);
        new PluginJarBuilder("fake").version("1.0.0").requires(">=1.0.0 & <2.0.0").provider("tests")
                .source("test.fake.FakeParentType", FAKE_PARENT)
                .source("test.fake.FakeFailingType", FAKE_FAILING)
                .source("test.fake.FakeFreeingType", FAKE_FREEING)
                .build(plugins);
        return plugins;
    }

    /**
     * A plugins folder under {@code parent} holding the shipped plugins and the packaged example-echo plugin
     * ({@code example_echo}: it generates real PNGs in Java, as slowly as its {@code StepMillis} setting says).
     */
    public static Path copyShippedWithEcho(Path parent) {
        Path plugins = copyShipped(parent);
        String examples = System.getProperty("switchboard.test.example.plugins");
        if (examples == null) {
            throw new IllegalStateException(
                    "system property switchboard.test.example.plugins is not set (run through Maven)");
        }
        Path source = Path.of(examples).resolve("example-echo");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = plugins.resolve("example-echo").resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return plugins;
    }

    /** A plugins folder holding the shipped plugins, for the caller to add plugin jars to. */
    public static Path copyShipped(Path parent) {
        Path plugins = parent.resolve("plugins");
        Path source = shipped();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = plugins.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return plugins;
    }

    static final String FAKE_PARENT = """
            package test.fake;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingDefinition;
            import dev.switchboard.api.settings.SettingType;
            import dev.switchboard.api.settings.SettingsSchema;
            import java.util.Set;
            import org.pf4j.Extension;

            @Extension
            public class FakeParentType implements BackendType {
                public String id() { return "fake_parent"; }
                public String displayName() { return "Fake parent"; }
                public String description() { return "Spawns non-real children; has a secret."; }
                public boolean isStandard() { return true; }
                public SettingsSchema settingsSchema() {
                    return SettingsSchema.of(
                        SettingDefinition.builder("Token", SettingType.TEXT).secret().description("A secret.").build(),
                        SettingDefinition.builder("Children", SettingType.INTEGER).defaultValue(2).range(0, 10).build(),
                        SettingDefinition.builder("Mode", SettingType.DROPDOWN)
                            .values(java.util.List.of("fast", "slow")).valueNames(java.util.List.of("Fast", "Slow")).build());
                }
                public Backend create(BackendContext context) {
                    return new Backend() {
                        public void init() {
                            // A DEBUG line from plugin code that holds the secret (never the secret itself).
                            context.logger().debug("Starting with {} children and a Token of {} characters",
                                context.settings().getInt("Children"),
                                context.settings().getSecret("Token").reveal().length());
                            context.setFeatures(Set.of("fake"));
                            context.setCurrentModel("model-a");
                            int children = context.settings().getInt("Children");
                            for (int i = 0; i < children; i++) {
                                String title = "child " + i;
                                context.children().spawn(title, child -> new Backend() {
                                    public void init() { child.setFeatures(Set.of("fake_child")); }
                                    public void shutdown() { }
                                    public boolean freeMemory(boolean systemRam) { return true; }
                                });
                            }
                        }
                        public void shutdown() { }
                    };
                }
            }
            """;

    static final String FAKE_FAILING = """
            package test.fake;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingsSchema;
            import java.time.Duration;
            import org.pf4j.Extension;

            @Extension
            public class FakeFailingType implements BackendType {
                public String id() { return "fake_failing"; }
                public String displayName() { return "Fake failing"; }
                public String description() { return "Its init throws, or hangs."; }
                public Duration initTimeout() { return Duration.ofSeconds(2); }
                public SettingsSchema settingsSchema() {
                    return SettingsSchema.of(dev.switchboard.api.settings.SettingDefinition
                        .builder("Hang", dev.switchboard.api.settings.SettingType.BOOLEAN).build(),
                        dev.switchboard.api.settings.SettingDefinition
                        .builder("Token", dev.switchboard.api.settings.SettingType.TEXT).secret().build());
                }
                public Backend create(BackendContext context) {
                    return new Backend() {
                        public void init() throws Exception {
                            if (context.settings().getBoolean("Hang")) {
                                while (true) {
                                    try { Thread.sleep(60_000); } catch (InterruptedException ignored) { }
                                }
                            }
                            // The host logs the cause at DEBUG: a stack trace from a backend that holds a secret.
                            throw new IllegalStateException("engine exploded on purpose",
                                new java.io.IOException("the engine refused the token"));
                        }
                        public void shutdown() { }
                    };
                }
            }
            """;

    static final String FAKE_FREEING = """
            package test.fake;

            import dev.switchboard.api.Backend;
            import dev.switchboard.api.BackendContext;
            import dev.switchboard.api.BackendType;
            import dev.switchboard.api.settings.SettingDefinition;
            import dev.switchboard.api.settings.SettingType;
            import dev.switchboard.api.settings.SettingsSchema;
            import org.pf4j.Extension;

            @Extension
            public class FakeFreeingType implements BackendType {
                public String id() { return "fake_freeing"; }
                public String displayName() { return "Fake freeing"; }
                public String description() { return "Its free-memory call frees, throws or hangs."; }
                public SettingsSchema settingsSchema() {
                    return SettingsSchema.of(SettingDefinition.builder("Free", SettingType.DROPDOWN)
                        .values(java.util.List.of("frees", "throws", "hangs")).build());
                }
                public Backend create(BackendContext context) {
                    return new Backend() {
                        public void init() { }
                        public void shutdown() { }
                        public boolean freeMemory(boolean systemRam) {
                            switch (context.settings().getString("Free")) {
                                case "throws":
                                    throw new IllegalStateException("cannot free memory on purpose");
                                case "hangs":
                                    try {
                                        Thread.sleep(600_000);
                                    } catch (InterruptedException e) {
                                        // What the host's deadline did, where the test can see it.
                                        context.setStatusMessage("Freeing memory was interrupted.");
                                    }
                                    return true;
                                default:
                                    return true;
                            }
                        }
                    };
                }
            }
            """;
}
