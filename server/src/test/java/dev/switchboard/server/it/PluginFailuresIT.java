package dev.switchboard.server.it;

import dev.switchboard.testkit.server.SwarmApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.switchboard.server.bootstrap.StartupException;
import dev.switchboard.testkit.plugins.PluginJarBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packaged plugins that are broken: the server keeps going, or refuses to start with a clear message. */
final class PluginFailuresIT {
    @TempDir
    Path temp;

    private static String type(String className, String id, String idBody) {
        return """
                package test.broken;

                import dev.switchboard.api.Backend;
                import dev.switchboard.api.BackendContext;
                import dev.switchboard.api.BackendType;
                import dev.switchboard.api.settings.SettingsSchema;
                import org.pf4j.Extension;

                @Extension
                public class %s implements BackendType {
                    public String id() { %s }
                    public String displayName() { return "%s"; }
                    public String description() { return "test"; }
                    public SettingsSchema settingsSchema() { return SettingsSchema.of(); }
                    public Backend create(BackendContext context) { throw new UnsupportedOperationException(); }
                }
                """.formatted(className, idBody, id);
    }

    @Test
    void aPluginWhoseExtensionThrowsIsReportedAndTheServerRuns() throws Exception {
        Path plugins = TestPlugins.copyShipped(temp);
        new PluginJarBuilder("broken").version("1.0.0").requires(">=1.0.0 & <2.0.0")
                .source("test.broken.BrokenType", type("BrokenType", "broken", "throw new IllegalStateException(\"no id today\");"))
                .build(plugins);
        try (TestServer server = TestServer.start(temp.resolve("data"), plugins, false)) {
            SwarmApiClient api = server.client();
            JsonObject broken = null;
            for (var plugin : api.call("ListPlugins").getAsJsonArray("plugins")) {
                if (plugin.getAsJsonObject().get("id").getAsString().equals("broken")) {
                    broken = plugin.getAsJsonObject();
                }
            }
            assertThat(broken).isNotNull();
            assertThat(broken.get("state").getAsString()).isEqualTo("failed");
            assertThat(broken.get("error").getAsString()).contains("no id today");
            assertThat(api.call("ListBackendTypes").toString()).contains("comfyui_api").doesNotContain("\"broken\"");
            assertThat(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt()).isZero();
        }
    }

    @Test
    void twoPluginsDeclaringOneTypeIdStopTheStartNamingBoth() throws Exception {
        Path plugins = TestPlugins.copyShipped(temp);
        for (String plugin : new String[] {"first-plugin", "second-plugin"}) {
            new PluginJarBuilder(plugin).version("1.0.0").requires(">=1.0.0 & <2.0.0")
                    .source("test.broken.DupType", type("DupType", "dup_type", "return \"dup_type\";"))
                    .build(plugins);
        }
        assertThatThrownBy(() -> TestServer.start(temp.resolve("data"), plugins, false))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("dup_type").hasMessageContaining("first-plugin").hasMessageContaining("second-plugin");
        // The failed start released the data directory.
        try (TestServer server = TestServer.start(temp.resolve("data"))) {
            assertThat(server.client().call("ListBackends").keySet()).isEmpty();
        }
    }
}
