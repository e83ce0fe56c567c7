package dev.switchboard.server.it.swarm;

import static dev.switchboard.server.it.swarm.SwarmServers.PATIENCE;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.server.bootstrap.StartupException;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.http.AccessPolicy;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import java.util.Map;

/**
 * Two real Switchboard servers on real ports: B holds an example_echo backend ({@code b echo}, with models only B
 * has and one both have), A an example_echo backend of its own ({@code a echo}) and a swarmswarmbackend pointed at
 * B, whose child mirrors B's echo backend. B may require an {@code Authorization} value, which A's control then
 * sends ({@code AuthorizationHeader}).
 */
final class Tiers implements AutoCloseable {
    static final String B_ONLY = "b-only/deep.safetensors";
    static final String A_ONLY = "a-only/local.safetensors";
    static final String SHARED = "shared/common.safetensors";

    private final Path root;
    private final String authorization;
    private SwitchboardServer b;
    private final SwitchboardServer a;
    private SwarmApiClient bApi;
    private final SwarmApiClient aApi;
    private final int bEcho;
    private final int aEcho;
    private final int control;

    private Tiers(Path root, String authorization, String bEchoSettings, String controlSettings)
            throws StartupException {
        this.root = root;
        this.authorization = authorization;
        b = SwarmServers.start(root.resolve("b-data"), 0, SwarmServers.pluginsWithEcho(root.resolve("b")), access());
        bApi = new SwarmApiClient(b.url(), headers());
        bEcho = SwarmServers.addEcho(bApi, "b echo", withModels(bEchoSettings, B_ONLY + "," + SHARED));
        a = SwarmServers.start(root.resolve("a-data"), 0, SwarmServers.pluginsWithEcho(root.resolve("a")),
                AccessPolicy.LOOPBACK_DEFAULTS);
        aApi = new SwarmApiClient(a.url());
        aEcho = SwarmServers.addEcho(aApi, "a echo", withModels("{\"StepMillis\":20}", A_ONLY + "," + SHARED));
        String secret = authorization == null ? "" : ",\"AuthorizationHeader\":\"" + authorization + "\"";
        control = SwarmServers.add(aApi, "swarmswarmbackend", "tier B", "{\"Address\":\"" + b.url() + "\"" + secret
                + controlSettings + "}");
        SwarmServers.awaitStatus(aApi, control, "running");
        child();
    }

    /**
     * Starts both tiers.
     *
     * @param root a temporary folder
     * @param authorization what B requires in {@code Authorization} (and A's control sends), or null for nothing
     * @param bEchoSettings the settings of B's echo backend (its models are set here)
     * @param controlSettings more settings of A's control, each starting with a comma, e.g.
     *     {@code ,"AllowWebsocket":false}
     */
    static Tiers start(Path root, String authorization, String bEchoSettings, String controlSettings)
            throws StartupException {
        return new Tiers(root, authorization, bEchoSettings, controlSettings);
    }

    SwarmApiClient a() {
        return aApi;
    }

    SwarmApiClient b() {
        return bApi;
    }

    String aUrl() {
        return a.url();
    }

    String bUrl() {
        return b.url();
    }

    int bEcho() {
        return bEcho;
    }

    int aEcho() {
        return aEcho;
    }

    int control() {
        return control;
    }

    /** The id of A's running child that mirrors B's echo backend, waiting for it. */
    int child() {
        int[] id = new int[1];
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            JsonObject child = SwarmServers.child(aApi, control, "b echo");
            id[0] = child.get("id").getAsInt();
            return child.get("status").getAsString().equals("running");
        });
        return id[0];
    }

    /** B's backend view (full data). */
    JsonObject bView(int id) {
        return SwarmServers.view(bApi, id);
    }

    /** A's backend view (full data). */
    JsonObject aView(int id) {
        return SwarmServers.view(aApi, id);
    }

    /** Stops B (its port closes), as a crash or restart would. */
    void stopB() {
        b.close();
    }

    /** Starts B again on the same port with the same data (its backends come back from its backends file). */
    void startB(int port) throws StartupException {
        b = SwarmServers.start(root.resolve("b-data"), port, root.resolve("b").resolve("plugins"), access());
        bApi = new SwarmApiClient(b.url(), headers());
    }

    int bPort() {
        return b.port();
    }

    private AccessPolicy access() {
        return authorization == null ? AccessPolicy.LOOPBACK_DEFAULTS : SwarmServers.requiring(authorization);
    }

    private Map<String, String> headers() {
        return authorization == null ? Map.of() : Map.of("Authorization", authorization);
    }

    private static String withModels(String settings, String models) {
        return settings.substring(0, settings.length() - 1) + (settings.length() > 2 ? "," : "") + "\"Models\":\""
                + models + "\"}";
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
