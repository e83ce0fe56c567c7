package dev.switchboard.server.it;

import dev.switchboard.testkit.server.SwarmApiClient;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import dev.switchboard.testkit.plugins.PluginJarBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Packaged plugins that are broken: the server keeps going, lists each with its reason and logs it once. */
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
    void refusedPluginsAreListedAndLoggedOnceWithTheirFixWhileTheServerRuns() throws Exception {
        Path plugins = TestPlugins.copyShipped(temp);
        for (String plugin : new String[] {"first-plugin", "second-plugin"}) {
            new PluginJarBuilder(plugin).version("1.0.0").requires(">=1.0.0 & <2.0.0")
                    .source("test.broken.DupType", type("DupType", "dup_type", "return \"dup_type\";"))
                    .build(plugins);
        }
        new PluginJarBuilder("future-plugin").version("1.0.0").requires(">=2.0.0")
                .source("test.broken.FutureType", type("FutureType", "future_type", "return \"future_type\";"))
                .build(plugins);
        new PluginJarBuilder("typeless-plugin").version("1.0.0").requires(">=1.0.0 & <2.0.0")
                .source("test.broken.Helper", "package test.broken; public class Helper {}")
                .build(plugins);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try (TestServer server = TestServer.start(temp.resolve("data"), plugins, false)) {
            SwarmApiClient api = server.client();
            Map<String, JsonObject> listed = new HashMap<>();
            for (var plugin : api.call("ListPlugins").getAsJsonArray("plugins")) {
                listed.put(plugin.getAsJsonObject().get("id").getAsString(), plugin.getAsJsonObject());
            }

            assertThat(listed.get("first-plugin").get("state").getAsString()).isEqualTo("started");
            assertThat(listed.get("first-plugin").get("backend_types").toString()).isEqualTo("[\"dup_type\"]");
            assertThat(listed.get("second-plugin").get("state").getAsString()).isEqualTo("failed");
            assertThat(listed.get("second-plugin").get("error").getAsString()).isEqualTo("Plugin 'second-plugin'"
                    + " is refused: its backend type 'dup_type' is already provided by plugin 'first-plugin'; remove"
                    + " one of the two plugins from the plugins directory, or give the type an id of its own (e.g."
                    + " prefixed with the project's name)");
            assertThat(listed.get("future-plugin").get("state").getAsString()).isEqualTo("disabled");
            assertThat(listed.get("future-plugin").get("error").getAsString()).isEqualTo("Plugin 'future-plugin'"
                    + " requires api version '>=2.0.0', but this server implements api version 1.0.0: install a"
                    + " build of the plugin whose plugin.requires includes 1.0.0 (rebuilt against switchboard-api"
                    + " 1.0.0), or a Switchboard version that implements the api it needs");
            assertThat(listed.get("typeless-plugin").get("state").getAsString()).isEqualTo("failed");
            assertThat(listed.get("typeless-plugin").get("error").getAsString()).isEqualTo("Plugin"
                    + " 'typeless-plugin' contributes no backend types (is META-INF/extensions.idx missing?):"
                    + " annotate each BackendType class with @org.pf4j.Extension and build the plugin with the"
                    + " parent dev.switchboard:switchboard-plugins, whose annotation processor writes the index");
            for (String refused : new String[] {"second-plugin", "future-plugin", "typeless-plugin"}) {
                String reason = listed.get(refused).get("error").getAsString();
                assertThat(log.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN)
                                && event.getFormattedMessage().contains(refused))
                        .singleElement()
                        .satisfies(event -> assertThat(event.getFormattedMessage()).startsWith("Plugin " + refused
                                + " at ").endsWith(reason));
            }
            assertThat(api.call("ListBackendTypes").toString()).contains("dup_type").contains("comfyui_api")
                    .doesNotContain("future_type");
        } finally {
            root.detachAppender(log);
        }
    }
}
