package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.plugins.support.SharedHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The connection to one running ComfyUI, the same for both backend types: a {@code comfyui_api} backend holds
 * one for its address, a {@code comfyui_selfstart} backend one per launched process (on its port). It speaks
 * ComfyUI's routes over a {@link ComfyUiClient}: the node types and models ({@code GET /object_info}), the
 * health probe ({@code GET /features}) and freeing memory ({@code POST /free}); running jobs on ComfyUI
 * ({@code /prompt}, {@code /ws}, {@code /history}, {@code /view}) belongs here too. Each call has the deadline
 * {@link ComfyUiTimeouts} gives it. {@link #close()} abandons the calls in flight. Thread-safe.
 */
public final class ComfyUiConnection implements AutoCloseable {
    private final ComfyUiClient client;
    private final ComfyUiTimeouts timeouts;

    /**
     * Opens a connection that takes a share of {@code http} until it is closed.
     *
     * @param address the address as operators know it, used in messages, e.g. {@code http://gpu1:8188}
     * @param apiBase the base every API path is appended to, e.g. {@code http://gpu1:8188/api}; no trailing slash
     * @param userAgent the {@code User-Agent} header, e.g. {@code Switchboard/1.0.0}
     * @param http the HTTP client to share (its connect timeout wins over the one in {@code timeouts})
     * @param timeouts the deadlines of the calls
     */
    public ComfyUiConnection(String address, URI apiBase, String userAgent, SharedHttpClient http,
            ComfyUiTimeouts timeouts) {
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.client = new ComfyUiClient(address, apiBase, userAgent, http, ComfyUiClient.DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * Returns the address used in messages.
     *
     * @return the address
     */
    public String address() {
        return client.address();
    }

    /**
     * Loads {@code GET /object_info} (every node type, with its inputs) within the load deadline.
     *
     * @return what it lists, or a failure with a {@link ComfyUiException}
     */
    public CompletableFuture<ObjectInfo> objectInfo() {
        return objectInfo(timeouts.load());
    }

    /**
     * Loads {@code GET /object_info} within a deadline of the caller's.
     *
     * @param deadline the total deadline, body included
     * @return what it lists, or a failure with a {@link ComfyUiException}
     */
    public CompletableFuture<ObjectInfo> objectInfo(Duration deadline) {
        return client.get("/object_info", deadline).thenApply(ObjectInfo::parse);
    }

    /**
     * Probes whether ComfyUI still answers: {@code GET /features}, a few bytes, within the probe deadline.
     *
     * @return completes when ComfyUI answered, or fails with a {@link ComfyUiException}
     */
    public CompletableFuture<?> probe() {
        return client.get("/features", timeouts.probe());
    }

    /**
     * Asks ComfyUI to unload its models ({@code POST /free} with
     * {@code {"unload_models":true,"free_memory":<systemRam>}}) and waits for it to accept.
     *
     * @param systemRam whether system RAM should be freed too
     * @return true once ComfyUI accepted
     * @throws ComfyUiException when ComfyUI refused or could not be reached
     * @throws InterruptedException when the waiting thread was interrupted; the call is then abandoned
     */
    public boolean free(boolean systemRam) throws ComfyUiException, InterruptedException {
        JsonObject body = new JsonObject();
        body.addProperty("unload_models", true);
        body.addProperty("free_memory", systemRam);
        await(client.post("/free", body, timeouts.request()));
        return true;
    }

    /**
     * Waits for a call of this connection, and turns its failure back into a {@link ComfyUiException}.
     *
     * @param call a future returned by this connection
     * @param <T> the result type
     * @return the result
     * @throws ComfyUiException when the call failed
     * @throws InterruptedException when the waiting thread was interrupted; the call is then abandoned
     */
    public <T> T await(CompletableFuture<T> call) throws ComfyUiException, InterruptedException {
        return client.await(call);
    }

    /** Abandons every call in flight (they fail as cancelled) and gives back the share of the HTTP client. */
    @Override
    public void close() {
        client.close();
    }
}
