package dev.switchboard.testkit.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A SwarmUI master, simulated (generation.md 5.7): a client that makes the calls a master makes on a remote it
 * holds as a {@code swarmswarmbackend}, in the master's order and with its bodies, and checks every answer the way
 * the master reads it, throwing {@link MasterRejection} where a real master would fail. {@link #connect()} is the
 * control's initialisation (GetNewSession, ListBackends {nonreal, full_data}, the seven ListModels at once) followed
 * by each child's (its own GetNewSession and ListBackends, and for remote backends whose type starts with
 * {@code comfyui_} ComfyGetNodeTypesForBackend and {@code GET /ComfyBackendDirect/object_info} with
 * {@code X-Swarm-Backend-ID}); a {@link MasterChild} then loads models (SelectModel with an integer backendId) and
 * generates over the WebSocket with the body of section 1.3, posting InterruptAll in its receive loop when told to
 * interrupt. {@link Version#OLD} behaves like a 2024 StableSwarmUI master: it needs {@code count_running}, lists
 * models with {@code depth} 10 and without {@code allowRemote}/{@code dataImages}, posts {@code /TriggerRefresh}
 * outside {@code /API/} and sends no {@code forwardswarmdata}.
 *
 * <p>Real HTTP and WebSockets (the JDK's) over real sockets. Not thread-safe: one test drives it.
 *
 * @since 1.0
 */
public final class MasterSimulator {
    /** A master's model sub-types, in the order it sends them. */
    public static final List<String> SUBTYPES = List.of("Stable-Diffusion", "VAE", "LoRA", "Embedding", "ControlNet",
            "Clip", "ClipVision");
    /** How long a master may wait between two messages of a generation before it counts as hung. */
    public static final Duration LONGEST_SILENCE = Duration.ofSeconds(30);
    /** A master's remote-call client gives up after 10 minutes. */
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);
    /** How many fresh sessions in a row may be refused before the simulator stops (a master never stops). */
    private static final int MOST_RENEWALS = 3;

    /** Which master is simulated. */
    public enum Version {
        /** SwarmUI as users run it (2026). */
        CUR,
        /** StableSwarmUI of 2024. */
        OLD
    }

    private final String address;
    private final Version version;
    private final Map<String, String> headers;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String ownServerId = UUID.randomUUID().toString();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private Duration interruptPromptness = Duration.ofSeconds(5);

    private MasterSimulator(String address, Version version, Map<String, String> headers) {
        this.address = requireNonNull(address, "address is null").replaceAll("/+$", "");
        this.version = requireNonNull(version, "version is null");
        this.headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    }

    /**
     * A current SwarmUI master.
     *
     * @param address the remote's address, e.g. {@code http://127.0.0.1:7801}
     * @param headers {@code Authorization} and {@code OtherHeaders} as the master's settings hold them
     * @return the simulator
     */
    public static MasterSimulator cur(String address, Map<String, String> headers) {
        return new MasterSimulator(address, Version.CUR, headers);
    }

    /**
     * An OLD (2024) StableSwarmUI master.
     *
     * @param address the remote's address
     * @param headers {@code Authorization} and {@code OtherHeaders} as the master's settings hold them
     * @return the simulator
     */
    public static MasterSimulator old(String address, Map<String, String> headers) {
        return new MasterSimulator(address, Version.OLD, headers);
    }

    /**
     * Sets how soon after the first InterruptAll a generation's stream must end (default 5 s).
     *
     * @param promptness the limit
     * @return this simulator
     */
    public MasterSimulator interruptPromptness(Duration promptness) {
        this.interruptPromptness = requireNonNull(promptness, "promptness is null");
        return this;
    }

    /**
     * Initialises a control for the remote and a child for each running remote backend, as a master does.
     *
     * @return the mirror of the remote
     * @throws MasterRejection when an answer would make the master fail
     */
    public MasterMirror connect() {
        MasterMirror mirror = new MasterMirror(this);
        mirror.resync(true);
        return mirror;
    }

    /** @return the calls made so far, oldest first, as {@code <method> <path>} */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    Version version() {
        return version;
    }

    String address() {
        return address;
    }

    Map<String, String> headers() {
        return headers;
    }

    HttpClient http() {
        return http;
    }

    Duration interruptPromptness() {
        return interruptPromptness;
    }

    int mostRenewals() {
        return MOST_RENEWALS;
    }

    /** GetNewSession, read as a master reads it. @return the session id */
    String newSession() {
        JsonObject answer = MasterJson.object("GetNewSession", post("/API/GetNewSession", new JsonObject()));
        if (!answer.has("session_id") || !answer.get("session_id").isJsonPrimitive()
                || answer.get("session_id").getAsString().isEmpty()) {
            throw new MasterRejection("GetNewSession: no session_id; a master fails with 'Failed to get session ID"
                    + " from remote swarm.': " + answer);
        }
        String serverId = MasterJson.string("GetNewSession", answer, "server_id");
        if (serverId.equals(ownServerId)) {
            throw new MasterRejection("GetNewSession: the remote's server_id is the master's own");
        }
        if (version == Version.OLD) {
            MasterJson.integer("GetNewSession", answer, "count_running");
        }
        return answer.get("session_id").getAsString();
    }

    /** POSTs a JSON body to a path of the remote. @return the body answered, whatever the status */
    String post(String path, JsonObject body) {
        return await(postAsync(path, body));
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, JsonObject body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + path)).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json").header("User-Agent", "SwarmUI/0.9.7-simulated")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        headers.forEach(request::header);
        log.add("POST " + path);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A plain GET with the master's headers and more. @return the body, whatever the status */
    String get(String path, Map<String, String> more) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + path)).timeout(CALL_TIMEOUT)
                .header("User-Agent", "SwarmUI/0.9.7-simulated").GET();
        headers.forEach(request::header);
        more.forEach(request::header);
        log.add("GET " + path);
        return await(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    void logged(String call) {
        log.add(call);
    }

    static String await(CompletableFuture<HttpResponse<String>> call) {
        try {
            return call.get().body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the remote", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException(new IOException("the call to the remote failed: " + e.getCause(),
                    e.getCause()));
        }
    }
}
