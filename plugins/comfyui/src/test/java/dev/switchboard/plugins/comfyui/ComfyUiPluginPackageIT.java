package dev.switchboard.plugins.comfyui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.plugins.comfyui.byaddress.ComfyUiApiBackendType;
import dev.switchboard.plugins.comfyui.selfstart.ComfyUiSelfStartBackendType;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Checks the packaged plugin zip's layout (descriptor at the root, classes/ with the extension index, lib/ with
 * private libraries only) and that plain PF4J loads it from a plugins directory. Loading through the host's own
 * isolating class loader is the server's {@code ShippedPluginIsolationTest}: this module builds before the
 * server, so it cannot use the host.
 */
final class ComfyUiPluginPackageIT {

    private static Path pluginZip() {
        String zip = System.getProperty("switchboard.plugin.zip");
        assertThat(zip).as("system property switchboard.plugin.zip (set by plugins/pom.xml)").isNotBlank();
        Path path = Path.of(zip);
        assertThat(path).isRegularFile();
        return path;
    }

    private static String descriptorVersion() throws IOException {
        try (ZipFile zip = new ZipFile(pluginZip().toFile())) {
            Properties descriptor = new Properties();
            descriptor.load(zip.getInputStream(zip.getEntry("plugin.properties")));
            return descriptor.getProperty("plugin.version");
        }
    }

    @Test
    void zipHasTheDescriptorClassesAndOnlyPrivateLibraries() throws IOException {
        try (ZipFile zip = new ZipFile(pluginZip().toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();

            assertThat(names).contains("plugin.properties", "classes/META-INF/extensions.idx",
                    "classes/dev/switchboard/plugins/comfyui/byaddress/ComfyUiApiBackendType.class");
            assertThat(names.stream().filter(name -> name.startsWith("lib/") && name.endsWith(".jar")))
                    .anyMatch(name -> name.startsWith("lib/gson-"));
            assertThat(names).noneMatch(name -> name.contains("org/pf4j/") || name.contains("org/slf4j/")
                    || name.startsWith("classes/dev/switchboard/api/") || name.contains("switchboard-api")
                    || name.contains("pf4j") || name.contains("slf4j"));

            Properties descriptor = new Properties();
            descriptor.load(zip.getInputStream(zip.getEntry("plugin.properties")));
            assertThat(descriptor).containsEntry("plugin.id", "comfyui")
                    .containsEntry("plugin.requires", ">=1.0.0 & <2.0.0")
                    .containsEntry("plugin.provider", "Switchboard")
                    .containsKey("plugin.description");
            assertThat(descriptor.getProperty("plugin.version")).matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
            assertThat(new String(zip.getInputStream(zip.getEntry("classes/META-INF/extensions.idx")).readAllBytes()))
                    .contains(ComfyUiApiBackendType.class.getName());
        }
    }

    @Test
    void thePackagedPluginGeneratesAgainstAComfyUi(@TempDir Path pluginsRoot) throws Exception {
        Files.copy(pluginZip(), pluginsRoot.resolve(pluginZip().getFileName()));
        PluginManager plugins = new DefaultPluginManager(pluginsRoot);
        plugins.setSystemVersion("1.0.0");
        try (ComfyUiStandIn comfyUi = ComfyUiStandIn.start()) {
            comfyUi.setModels("CheckpointLoaderSimple", List.of("sd15/tiny.safetensors"));
            plugins.loadPlugins();
            plugins.startPlugins();
            BackendType type = plugins.getExtensions(BackendType.class, "comfyui").stream()
                    .filter(candidate -> candidate.id().equals("comfyui_api")).findFirst().orElseThrow();
            Map<String, Object> values = new LinkedHashMap<>(type.settingsSchema().defaults().values());
            values.put("Address", comfyUi.baseUrl());
            try (TestingBackendContext context = new TestingBackendContext(new Settings(type.settingsSchema(),
                    values))) {
                Backend backend = type.create(context);
                try {
                    backend.init();
                    assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
                    assertThat(context.models().get(ModelType.STABLE_DIFFUSION)).containsExactly("sd15/tiny.safetensors");
                    assertThat(backend).isInstanceOf(ImageGenerator.class);
                    RecordingOutput output = new RecordingOutput();

                    ((ImageGenerator) backend).generate(new GenerationJob("job-1", GenerationParameters.builder()
                            .model("sd15/tiny.safetensors").prompt("a fox").steps(2).size(48, 32).build(),
                            Cancellation.create()), output);

                    assertThat(output.images()).singleElement().satisfies(image -> {
                        assertThat(image.decoded().getWidth()).isEqualTo(48);
                        assertThat(image.decoded().getHeight()).isEqualTo(32);
                    });
                } finally {
                    backend.shutdown();
                }
            }
        } finally {
            plugins.unloadPlugins();
        }
    }

    @Test
    void pf4jLoadsThePluginAndFindsTheBackendType(@TempDir Path pluginsRoot) throws Exception {
        Files.copy(pluginZip(), pluginsRoot.resolve(pluginZip().getFileName()));
        PluginManager plugins = new DefaultPluginManager(pluginsRoot);
        plugins.setSystemVersion("1.0.0");
        try {
            plugins.loadPlugins();
            plugins.startPlugins();

            PluginWrapper plugin = plugins.getPlugin("comfyui");
            assertThat(plugin).as("plugin comfyui loaded").isNotNull();
            assertThat(plugin.getPluginState()).as("state, failure: %s", plugin.getFailedException())
                    .isEqualTo(PluginState.STARTED);
            // PF4J accepts the Maven version (e.g. 1.0.0-SNAPSHOT) as the plugin's semantic version.
            assertThat(plugin.getDescriptor().getVersion()).isEqualTo(descriptorVersion());
            List<BackendType> types = plugins.getExtensions(BackendType.class, "comfyui");
            assertThat(types).extracting(BackendType::id).containsExactlyInAnyOrder("comfyui_api", "comfyui_selfstart");
            for (BackendType type : types) {
                // Loaded from the plugin's own class loader, yet usable through the host's api types.
                assertThat(type.getClass().getClassLoader()).isSameAs(plugin.getPluginClassLoader());
                assertThat(type.getClass()).isNotSameAs(ComfyUiApiBackendType.class)
                        .isNotSameAs(ComfyUiSelfStartBackendType.class);
                try (TestingBackendContext context = new TestingBackendContext(type.settingsSchema().defaults())) {
                    Backend backend = type.create(context);
                    backend.init();
                    // Both types start switched off until their address or start script is set.
                    assertThat(context.status().wireName()).isEqualTo("disabled");
                    backend.shutdown();
                }
            }
        } finally {
            plugins.unloadPlugins();
        }
    }
}
