package dev.switchboard.server.plugins;

import static dev.switchboard.server.plugins.TestPlugins.API_VERSION;
import static dev.switchboard.server.plugins.TestPlugins.plugin;
import static dev.switchboard.server.plugins.TestPlugins.pluginWithType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a plugin can be broken fails that plugin alone, with a reason, while a good plugin still loads. */
final class PluginFailureTest {
    private static final String HANG_FOREVER = """
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException ignored) {
                    // a plugin that ignores interrupts: the host must give up on it anyway
                }
            }""";

    @TempDir
    Path plugins;

    @Test
    void anExtensionConstructorThatThrows() throws Exception {
        plugin("broken", new BackendTypeSource("test.broken.Type", "broken_type")
                .constructor("if (true) throw new IllegalStateException(\"constructor exploded\");"))
                .build(plugins);

        PluginInfo broken = startWithAGoodPluginAndFind("broken");

        assertThat(broken.state()).isEqualTo("failed");
        assertThat(broken.error()).hasValue("Backend type test.broken.Type.<init>() threw"
                + " java.lang.IllegalStateException: constructor exploded");
    }

    @Test
    void anIdMethodThatThrowsAnError() throws Exception {
        plugin("broken", new BackendTypeSource("test.broken.Type", "unused")
                .id("throw new Error(\"id exploded\");"))
                .build(plugins);

        PluginInfo broken = startWithAGoodPluginAndFind("broken");

        assertThat(broken.state()).isEqualTo("failed");
        assertThat(broken.error()).hasValue("Backend type test.broken.Type.id() threw java.lang.Error: id exploded");
    }

    @Test
    void aSettingsSchemaMethodThatHangsForever() throws Exception {
        plugin("hanging", new BackendTypeSource("test.hanging.Type", "hanging_type")
                .settingsSchema(HANG_FOREVER))
                .build(plugins);
        pluginWithType("good", "good_type").build(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION, Duration.ofSeconds(2))) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), host::start);

            assertThat(host.registry().types()).extracting(RegisteredBackendType::id).containsExactly("good_type");
            PluginInfo hanging = find(host, "hanging");
            assertThat(hanging.state()).isEqualTo("failed");
            assertThat(hanging.error()).hasValue("Reading the backend types of plugin 'hanging' did not finish"
                    + " within 2 s (stuck in test.hanging.Type.settingsSchema())");
            assertThat(hanging.backendTypes()).isEmpty();
        }
    }

    @Test
    void oneBrokenTypeFailsTheWholePlugin() throws Exception {
        plugin("half-broken",
                new BackendTypeSource("test.half.A", "fine_type"),
                new BackendTypeSource("test.half.B", "bad_type").displayName("return null;"))
                .build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("half-broken");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error()).hasValue("Backend type test.half.B.displayName() returned null");
        assertThat(plugin.backendTypes()).isEmpty();
    }

    @Test
    void anInvalidTypeId() throws Exception {
        plugin("spaced", new BackendTypeSource("test.spaced.Type", "has space")).build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("spaced");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error()).hasValueSatisfying(error ->
                assertThat(error).contains("test.spaced.Type", "invalid id 'has space'"));
    }

    @Test
    void theSameTypeIdTwiceInOnePlugin() throws Exception {
        plugin("twice",
                new BackendTypeSource("test.twice.A", "twice_type"),
                new BackendTypeSource("test.twice.B", "twice_type"))
                .build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("twice");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error()).hasValue("Plugin 'twice' declares backend type 'twice_type' twice");
    }

    @Test
    void theSameTypeIdInTwoPluginsRefusesTheLaterPlugin() throws Exception {
        pluginWithType("first", "shared_type").build(plugins);
        pluginWithType("second", "shared_type").buildDirectory(plugins);
        pluginWithType("third", "other_type").build(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            assertThat(host.registry().types()).extracting(RegisteredBackendType::id)
                    .containsExactly("shared_type", "other_type");
            assertThat(host.registry().find("shared_type")).hasValueSatisfying(type ->
                    assertThat(type.pluginId()).isEqualTo("first"));
            PluginInfo second = host.plugins().stream().filter(plugin -> plugin.id().equals("second")).findFirst()
                    .orElseThrow();
            assertThat(second.state()).isEqualTo("failed");
            assertThat(second.backendTypes()).isEmpty();
            assertThat(second.error()).hasValue("Plugin 'second' is refused: its backend type 'shared_type' is"
                    + " already provided by plugin 'first'; remove one of the two plugins from the plugins"
                    + " directory, or give the type an id of its own (e.g. prefixed with the project's name)");
        }
    }

    @Test
    void anUnmetRequiresRange() throws Exception {
        pluginWithType("future", "future_type").requires(">=2.0.0").build(plugins);

        PluginInfo future = startWithAGoodPluginAndFind("future");

        assertThat(future.state()).isEqualTo("disabled");
        assertThat(future.error()).hasValue("Plugin 'future' requires api version '>=2.0.0', but this server"
                + " implements api version 1.0.0: install a build of the plugin whose plugin.requires includes 1.0.0"
                + " (rebuilt against switchboard-api 1.0.0), or a Switchboard version that implements the api it"
                + " needs");
        assertThat(future.backendTypes()).isEmpty();
    }

    @Test
    void anUnparseableRequiresRange() throws Exception {
        pluginWithType("garbled", "garbled_type").requires("at least two").build(plugins);

        PluginInfo garbled = startWithAGoodPluginAndFind("garbled");

        assertThat(garbled.state()).isEqualTo("failed");
        assertThat(garbled.error()).hasValueSatisfying(error -> assertThat(error)
                .startsWith("Invalid plugin descriptor: plugin.requires 'at least two' of plugin 'garbled'"));
    }

    @Test
    void noExtensionIndex() throws Exception {
        pluginWithType("no-index", "unindexed_type").withoutExtensionIndex().build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("no-index");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error())
                .hasValue("Plugin 'no-index' contributes no backend types (is META-INF/extensions.idx missing?):"
                        + " annotate each BackendType class with @org.pf4j.Extension and build the plugin with the"
                        + " parent dev.switchboard:switchboard-plugins, whose annotation processor writes the index");
    }

    @Test
    void aPluginWithoutAnyExtension() throws Exception {
        plugin("typeless").source("test.typeless.Helper", "package test.typeless; public class Helper {}")
                .build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("typeless");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error())
                .hasValue("Plugin 'typeless' contributes no backend types (is META-INF/extensions.idx missing?):"
                        + " annotate each BackendType class with @org.pf4j.Extension and build the plugin with the"
                        + " parent dev.switchboard:switchboard-plugins, whose annotation processor writes the index");
    }

    @Test
    void anInvalidPluginId() throws Exception {
        pluginWithType("Bad_Plugin", "bad_plugin_type").build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("Bad_Plugin");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error()).hasValueSatisfying(error ->
                assertThat(error).startsWith("Invalid plugin descriptor: plugin.id 'Bad_Plugin' is invalid"));
    }

    @Test
    void aVersionThatIsNotSemantic() throws Exception {
        pluginWithType("loose", "loose_type").version("1.0").build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("loose");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error()).hasValue("Invalid plugin descriptor: plugin.version '1.0' of plugin 'loose'"
                + " is not a semantic version such as 1.2.3");
    }

    @Test
    void aDirectoryWithoutDescriptor() throws Exception {
        Files.createDirectories(plugins.resolve("stray/classes"));

        PluginInfo stray = startWithAGoodPluginAndFind("stray");

        assertThat(stray.state()).isEqualTo("failed");
        assertThat(stray.path()).isEqualTo(plugins.resolve("stray"));
        assertThat(stray.error()).hasValueSatisfying(error -> assertThat(error).startsWith("Cannot load plugin:"));
    }

    @Test
    void aPluginClassWhoseStartThrows() throws Exception {
        pluginWithType("exploding", "exploding_type")
                .pluginClass("test.exploding.ExplodingPlugin")
                .source("test.exploding.ExplodingPlugin", """
                        package test.exploding;
                        public class ExplodingPlugin extends org.pf4j.Plugin {
                            @Override public void start() { throw new IllegalStateException("start exploded"); }
                        }
                        """)
                .build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("exploding");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error())
                .hasValue("Starting plugin 'exploding' failed: java.lang.IllegalStateException: start exploded");
        assertThat(plugin.backendTypes()).isEmpty();
    }

    @Test
    void aPluginClassWhoseStartHangs() throws Exception {
        pluginWithType("stuck", "stuck_type")
                .pluginClass("test.stuck.StuckPlugin")
                .source("test.stuck.StuckPlugin", """
                        package test.stuck;
                        public class StuckPlugin extends org.pf4j.Plugin {
                            @Override public void start() { %s }
                        }
                        """.formatted(HANG_FOREVER))
                .build(plugins);
        pluginWithType("good", "good_type").build(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION, Duration.ofSeconds(2))) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), host::start);

            assertThat(host.registry().types()).extracting(RegisteredBackendType::id).containsExactly("good_type");
            assertThat(find(host, "stuck").state()).isEqualTo("failed");
            assertThat(find(host, "stuck").error()).hasValue("Starting plugin 'stuck' did not finish within 2 s"
                    + " (stuck in test.stuck.StuckPlugin.start())");
        }
    }

    @Test
    void aPluginClassWithoutNoArgumentConstructor() throws Exception {
        pluginWithType("wrapped", "wrapped_type")
                .pluginClass("test.wrapped.WrapperPlugin")
                .source("test.wrapped.WrapperPlugin", """
                        package test.wrapped;
                        public class WrapperPlugin extends org.pf4j.Plugin {
                            @SuppressWarnings("deprecation")
                            public WrapperPlugin(org.pf4j.PluginWrapper wrapper) { super(wrapper); }
                        }
                        """)
                .build(plugins);

        PluginInfo plugin = startWithAGoodPluginAndFind("wrapped");

        assertThat(plugin.state()).isEqualTo("failed");
        assertThat(plugin.error()).hasValue("plugin.class test.wrapped.WrapperPlugin of plugin 'wrapped' needs a"
                + " public no-argument constructor");
    }

    @Test
    void twoPluginsWithTheSameId() throws Exception {
        pluginWithType("twin", "twin_type").version("1.0.0").build(plugins);
        pluginWithType("twin", "twin_type").version("1.1.0").build(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            assertThat(host.registry().types()).extracting(RegisteredBackendType::id).containsExactly("twin_type");
            List<PluginInfo> infos = host.plugins();
            assertThat(infos).extracting(PluginInfo::state).containsExactlyInAnyOrder("started", "failed");
            assertThat(infos).filteredOn(info -> info.state().equals("failed")).singleElement().satisfies(info -> {
                assertThat(info.id()).isEqualTo("twin");
                assertThat(info.path()).isEqualTo(plugins.resolve("twin-1.1.0.jar"));
                assertThat(info.error()).hasValue("Invalid plugin descriptor: plugin.id 'twin' is already taken by"
                        + " the plugin at " + plugins.resolve("twin-1.0.0.jar"));
            });
        }
    }

    private PluginInfo startWithAGoodPluginAndFind(String pluginId) throws Exception {
        pluginWithType("good", "good_type").build(plugins);
        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            assertThat(host.registry().types()).extracting(RegisteredBackendType::id).containsExactly("good_type");
            assertThat(find(host, "good").state()).isEqualTo("started");
            assertThat(find(host, "good").error()).isEmpty();
            return find(host, pluginId);
        }
    }

    private static PluginInfo find(PluginHost host, String pluginId) {
        return host.plugins().stream().filter(plugin -> plugin.id().equals(pluginId)).findFirst()
                .orElseThrow(() -> new AssertionError("no plugin " + pluginId + " in " + host.plugins()));
    }
}
