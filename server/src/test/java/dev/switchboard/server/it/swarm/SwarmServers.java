package dev.switchboard.server.it.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.StartupException;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.http.AccessPolicy;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Real Switchboard servers in this JVM loading the packaged comfyui and swarm plugins, and the API calls the
 * Swarm tests share.
 */
final class SwarmServers {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private SwarmServers() {
    }

    /** The folder holding the packaged plugins, unpacked as in the distribution. */
    static Path plugins() {
        String path = System.getProperty("switchboard.test.plugins");
        if (path == null) {
            throw new IllegalStateException("system property switchboard.test.plugins is not set (run through Maven)");
        }
        return Path.of(path);
    }

    /** Starts a server on {@code port} (0 for a free one) with the given data directory. */
    static SwitchboardServer start(Path data, int port) throws StartupException {
        return SwitchboardServer.start(new ServerOptions("127.0.0.1", port, data, plugins(), false, 1 << 20,
                Duration.ofMinutes(10)));
    }

    /** Starts a server with its own plugins folder and access rules (e.g. a required Authorization). */
    static SwitchboardServer start(Path data, int port, Path plugins, AccessPolicy access) throws StartupException {
        return SwitchboardServer.start(new ServerOptions("127.0.0.1", port, data, plugins, false, 1 << 20,
                Duration.ofMinutes(10), access));
    }

    /** The access rules of {@code --required-authorization <value>}. */
    static AccessPolicy requiring(String authorization) {
        return new AccessPolicy(Optional.of(authorization), Set.of(), Set.of(), Optional.empty());
    }

    /**
     * A plugins folder under {@code parent} holding the shipped plugins and the example-echo plugin, whose
     * {@code example_echo} backends draw real PNGs in Java (the generating backends of these tests).
     */
    static Path pluginsWithEcho(Path parent) {
        return TestPlugins.copyShippedWithEcho(parent);
    }

    /** Adds an example_echo backend with these settings and waits until it runs. */
    static int addEcho(SwarmApiClient api, String title, String settingsJson) {
        int id = add(api, "example_echo", title, settingsJson);
        awaitStatus(api, id, "running");
        return id;
    }

    /** Adds a backend, applies settings and a title, and returns its id; fails on an error answer. */
    static int add(SwarmApiClient api, String type, String title, String settingsJson) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"" + type + "\"}").get("id").getAsInt();
        JsonObject edited = edit(api, id, title, settingsJson);
        assertThat(edited.has("error")).as(edited.toString()).isFalse();
        return id;
    }

    static JsonObject edit(SwarmApiClient api, int id, String title, String settingsJson) {
        return api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"" + title + "\",\"settings\":"
                + settingsJson + "}");
    }

    /** Adds a comfyui_api backend pointed at {@code comfyUrl} and waits until it runs. */
    static int addComfy(SwarmApiClient api, String title, String comfyUrl) {
        int id = add(api, "comfyui_api", title, "{\"Address\":\"" + comfyUrl + "\"}");
        awaitStatus(api, id, "running");
        return id;
    }

    /** Every backend, non-real ones included, with full data. */
    static JsonObject list(SwarmApiClient api) {
        return api.call("ListBackends", "{\"nonreal\":true,\"full_data\":true}");
    }

    static JsonObject view(SwarmApiClient api, int id) {
        return list(api).getAsJsonObject(Integer.toString(id));
    }

    static void awaitStatus(SwarmApiClient api, int id, String status) {
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            JsonObject view = view(api, id);
            assertThat(view).as("backend " + id).isNotNull();
            assertThat(view.get("status").getAsString()).as(view.toString()).isEqualTo(status);
        });
    }

    /** The views of the non-real children of {@code parent}, by remote title suffix order of ids. */
    static List<JsonObject> children(SwarmApiClient api, int parent) {
        List<JsonObject> children = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : list(api).entrySet()) {
            JsonObject view = entry.getValue().getAsJsonObject();
            if (view.has("parent_id") && view.get("parent_id").getAsInt() == parent) {
                children.add(view);
            }
        }
        return children;
    }

    /** The child of {@code parent} whose title ends with {@code remoteTitle}, or null. */
    static JsonObject child(SwarmApiClient api, int parent, String remoteTitle) {
        return children(api, parent).stream()
                .filter(view -> view.get("title").getAsString().endsWith("] " + remoteTitle))
                .findFirst().orElse(null);
    }

    /** The names of live threads that are running code of the swarm plugin. */
    static List<String> threadsInSwarmPlugin() {
        List<String> busy = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement frame : entry.getValue()) {
                if (frame.getClassName().startsWith("dev.switchboard.plugins.swarm.")) {
                    busy.add(entry.getKey().getName() + " at " + frame);
                    break;
                }
            }
        }
        return busy;
    }
}
