package dev.switchboard.server.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.it.TestPlugins;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shipped comfyui and swarm plugins, unpacked from their packaged zips as the distribution holds them, loaded
 * by the host's own plugin manager: each type comes from its plugin's isolating class loader, which sees its own
 * libraries (the plugin's Gson, not the host's) and none of the server's classes.
 */
final class ShippedPluginIsolationTest {
    @Test
    void theShippedPluginsLoadThroughTheHostsIsolatingLoader() throws Exception {
        try (PluginHost host = new PluginHost(TestPlugins.shipped(), ApiVersion.current())) {
            host.start();
            Map<String, String> states = host.plugins().stream()
                    .collect(Collectors.toMap(PluginInfo::id, PluginInfo::state));
            assertThat(states).containsEntry("comfyui", "started").containsEntry("swarm", "started");

            for (String typeId : List.of("comfyui_api", "comfyui_selfstart", "swarmswarmbackend")) {
                RegisteredBackendType type = host.registry().find(typeId).orElseThrow();
                ClassLoader loader = type.classLoader();
                assertThat(loader).as(typeId).isInstanceOf(IsolatedPluginClassLoader.class);
                assertThat(type.type().getClass().getClassLoader()).as(typeId).isSameAs(loader);
                assertThat(Class.forName("dev.switchboard.api.BackendType", false, loader))
                        .as("the api comes from the host").isSameAs(dev.switchboard.api.BackendType.class);
                assertThatThrownBy(() -> Class.forName(PluginHost.class.getName(), false, loader))
                        .as("server classes are hidden from " + typeId).isInstanceOf(ClassNotFoundException.class);
                assertThatThrownBy(() -> Class.forName("io.undertow.Undertow", false, loader))
                        .isInstanceOf(ClassNotFoundException.class);
            }
            // comfyui bundles its own Gson: the class its loader finds is not the host's.
            ClassLoader comfy = host.registry().find("comfyui_api").orElseThrow().classLoader();
            assertThat(Class.forName("com.google.gson.Gson", false, comfy))
                    .isNotSameAs(com.google.gson.Gson.class);
        }
    }
}
