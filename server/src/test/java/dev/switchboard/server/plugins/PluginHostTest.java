package dev.switchboard.server.plugins;

import static dev.switchboard.server.plugins.TestPlugins.API_VERSION;
import static dev.switchboard.server.plugins.TestPlugins.plugin;
import static dev.switchboard.server.plugins.TestPlugins.pluginWithType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;

final class PluginHostTest {
    @TempDir
    Path plugins;

    @Test
    void registersAGoodPluginsTypeWithValuesReadOnce() throws Exception {
        BackendTypeSource good = new BackendTypeSource("test.good.GoodType", "good_type")
                .constructor("CONSTRUCTED.incrementAndGet();")
                .id("CONTEXT_LOADER.set(Thread.currentThread().getContextClassLoader()); return \"good_type\";")
                .displayName("DISPLAY_NAME_CALLS.incrementAndGet(); return \"Good Type\";")
                .description("return \"Connects to nothing at all.\";")
                .settingsSchema("SCHEMA_CALLS.incrementAndGet(); return SettingsSchema.of(SettingDefinition"
                        + ".builder(\"Address\", SettingType.TEXT).defaultValue(\"http://localhost:8188\").build());")
                .members("""
                        public static final java.util.concurrent.atomic.AtomicInteger CONSTRUCTED =
                                new java.util.concurrent.atomic.AtomicInteger();
                        public static final java.util.concurrent.atomic.AtomicInteger DISPLAY_NAME_CALLS =
                                new java.util.concurrent.atomic.AtomicInteger();
                        public static final java.util.concurrent.atomic.AtomicInteger SCHEMA_CALLS =
                                new java.util.concurrent.atomic.AtomicInteger();
                        public static final java.util.concurrent.atomic.AtomicReference<ClassLoader> CONTEXT_LOADER =
                                new java.util.concurrent.atomic.AtomicReference<>();
                        @Override public boolean isStandard() { return true; }
                        @Override public boolean isImageBackend() { return false; }
                        @Override public InitMode initMode() { return InitMode.SERIAL; }
                        @Override public java.time.Duration initTimeout() { return java.time.Duration.ofSeconds(30); }
                        """);
        Path jar = plugin("good", good).version("1.2.3").description("A good plugin").build(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            RegisteredBackendType type = host.registry().find("good_type").orElseThrow();
            assertThat(type.displayName()).isEqualTo("Good Type");
            assertThat(type.description()).isEqualTo("Connects to nothing at all.");
            assertThat(type.standard()).isTrue();
            assertThat(type.imageBackend()).isFalse();
            assertThat(type.initMode()).isEqualTo(InitMode.SERIAL);
            assertThat(type.initTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(type.schema().definitions()).extracting(SettingDefinition::name, SettingDefinition::type,
                    SettingDefinition::defaultValue).containsExactly(
                            tuple("Address", SettingType.TEXT, "http://localhost:8188"));
            assertThat(type.pluginId()).isEqualTo("good");
            assertThat(type.type().getClass().getName()).isEqualTo("test.good.GoodType");
            assertThat(type.type().getClass().getClassLoader()).isSameAs(type.classLoader());
            assertThat(host.registry().types()).containsExactly(type);

            // One instance, each method read once, with the plugin's loader as context class loader.
            assertThat(counter(type, "CONSTRUCTED")).isEqualTo(1);
            assertThat(counter(type, "DISPLAY_NAME_CALLS")).isEqualTo(1);
            assertThat(counter(type, "SCHEMA_CALLS")).isEqualTo(1);
            assertThat(((AtomicReference<?>) staticField(type, "CONTEXT_LOADER")).get()).isSameAs(type.classLoader());

            assertThat(host.plugins()).containsExactly(new PluginInfo("good", "1.2.3", "tests", "A good plugin", jar,
                    "started", Optional.empty(), List.of("good_type")));
        }
    }

    @Test
    void loadsJarZipAndDirectoryLayouts() throws Exception {
        Path jar = pluginWithType("alpha", "alpha_type").build(plugins);
        Path directory = pluginWithType("beta", "beta_type").buildDirectory(plugins);
        pluginWithType("gamma", "gamma_type").buildZip(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            assertThat(host.registry().types()).extracting(RegisteredBackendType::id)
                    .containsExactly("alpha_type", "beta_type", "gamma_type");
            assertThat(host.plugins()).extracting(PluginInfo::id, PluginInfo::state).containsExactly(
                    tuple("alpha", "started"),
                    tuple("beta", "started"),
                    tuple("gamma", "started"));
            assertThat(host.plugins().get(0).path()).isEqualTo(jar);
            assertThat(host.plugins().get(1).path()).isEqualTo(directory);
            assertThat(host.plugins().get(2).path()).isEqualTo(plugins.resolve("gamma-1.0.0"));
        }
    }

    @Test
    void ordersTypesByPluginIdThenExtensionClassName() throws Exception {
        plugin("b-plugin",
                new BackendTypeSource("test.b.Second", "b_first_by_id"),
                new BackendTypeSource("test.b.First", "b_second_by_id")).build(plugins);
        // A directory is found after every jar, yet its plugin id sorts first.
        pluginWithType("a-plugin", "a_type").buildDirectory(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            assertThat(host.registry().types()).extracting(RegisteredBackendType::id)
                    .containsExactly("a_type", "b_second_by_id", "b_first_by_id");
            assertThat(host.plugins()).extracting(PluginInfo::id).containsExactly("a-plugin", "b-plugin");
            assertThat(host.plugins().get(1).backendTypes()).containsExactly("b_second_by_id", "b_first_by_id");
        }
    }

    @Test
    void findsTypesByExactCaseSensitiveId() throws Exception {
        pluginWithType("comfy", "comfyui_api").build(plugins);

        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            assertThat(host.registry().find("comfyui_api")).isPresent();
            assertThat(host.registry().find("ComfyUI_API")).isEmpty();
            assertThat(host.registry().find("comfyui")).isEmpty();
        }
    }

    @Test
    void aMissingPluginsDirectoryMeansNoTypes() throws Exception {
        try (PluginHost host = new PluginHost(plugins.resolve("absent"), API_VERSION)) {
            host.start();

            assertThat(host.registry().types()).isEmpty();
            assertThat(host.plugins()).isEmpty();
        }
    }

    @Test
    void closeStopsPluginsInReverseStartOrderThenUnloadsThemOnce() throws Exception {
        Path journal = plugins.resolve("journal.txt");
        for (String pluginId : List.of("one", "two", "three")) {
            String pluginClass = "test." + pluginId + ".JournalPlugin";
            pluginWithType(pluginId, pluginId + "_type")
                    .pluginClass(pluginClass)
                    .source(pluginClass, journalPlugin(pluginClass, pluginId, journal))
                    .build(plugins);
        }
        PluginHost host = new PluginHost(plugins, API_VERSION);
        host.start();
        List<String> startOrder = Files.readAllLines(journal);
        assertThat(startOrder).containsExactlyInAnyOrder("started one", "started two", "started three");
        List<ClassLoader> loaders = host.registry().types().stream().map(RegisteredBackendType::classLoader).toList();

        host.close();
        host.close();

        List<String> expected = new ArrayList<>(startOrder);
        for (int i = startOrder.size() - 1; i >= 0; i--) {
            expected.add(startOrder.get(i).replace("started", "stopped"));
        }
        assertThat(Files.readAllLines(journal)).containsExactlyElementsOf(expected);
        assertThat(loaders).hasSize(3).allSatisfy(loader ->
                assertThat(((PluginClassLoader) loader).isClosed()).isTrue());
        assertThat(host.plugins()).extracting(PluginInfo::state).containsOnly("unloaded");
        assertThat(host.plugins()).allSatisfy(plugin -> assertThat(plugin.error()).isEmpty());
    }

    @Test
    void closeBeforeStartIsHarmless() {
        PluginHost host = new PluginHost(plugins, API_VERSION);

        host.close();
        host.close();

        assertThat(host.plugins()).isEmpty();
        assertThatThrownBy(host::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startsOnlyOnce() throws Exception {
        try (PluginHost host = new PluginHost(plugins, API_VERSION)) {
            host.start();

            assertThatThrownBy(host::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void refusesARelativePluginsDirectoryAndANonSemanticSystemVersion() {
        assertThatThrownBy(() -> new PluginHost(Path.of("plugins"), API_VERSION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> new PluginHost(plugins, "1.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.0");
    }

    private static int counter(RegisteredBackendType type, String field) throws ReflectiveOperationException {
        return ((AtomicInteger) staticField(type, field)).get();
    }

    private static Object staticField(RegisteredBackendType type, String field) throws ReflectiveOperationException {
        return type.type().getClass().getField(field).get(null);
    }

    private static String journalPlugin(String className, String pluginId, Path journal) {
        int lastDot = className.lastIndexOf('.');
        return """
                package %s;
                import java.nio.file.*;
                public class %s extends org.pf4j.Plugin {
                    @Override public void start() { write("started %s"); }
                    @Override public void stop() { write("stopped %s"); }
                    private static void write(String event) {
                        try {
                            Files.writeString(Path.of("%s"), event + "\\n",
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
                """.formatted(className.substring(0, lastDot), className.substring(lastDot + 1), pluginId, pluginId,
                journal.toString().replace("\\", "\\\\"));
    }
}
