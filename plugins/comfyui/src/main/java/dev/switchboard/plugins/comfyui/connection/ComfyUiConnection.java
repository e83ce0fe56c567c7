package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.plugins.support.SharedHttpClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The connection to one running ComfyUI, the same for both backend types: a {@code comfyui_api} backend holds
 * one for its address, a {@code comfyui_selfstart} backend one per launched process (on its port). It speaks
 * ComfyUI's routes over a {@link ComfyUiClient}: the node types and models ({@code GET /object_info}), the
 * health probe ({@code GET /features}), freeing memory ({@code POST /free}) and the routes of running prompts
 * ({@code /ws}, {@code /prompt}, {@code /queue}, {@code /interrupt}, {@code /history}, {@code /view}). Each call has
 * a deadline, from {@link ComfyUiTimeouts} or the caller. {@link #close()} abandons the calls in flight and aborts
 * the open WebSockets. Thread-safe.
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
     * Opens ComfyUI's WebSocket for a client id ({@code /ws?clientId=<id>}), on which it reports the prompts
     * submitted with that id.
     *
     * @param clientId the client id
     * @param listener receives the messages
     * @param onAbort runs when closing this connection aborts the socket
     * @return the open socket, or a failure with a {@link ComfyUiException}
     */
    public CompletableFuture<WebSocket> openSocket(String clientId, WebSocket.Listener listener, Runnable onAbort) {
        return client.openWebSocket("/ws?clientId=" + encode(clientId), listener, onAbort);
    }

    /**
     * Stops tracking a socket from {@link #openSocket} that its user closed.
     *
     * @param socket the socket
     */
    public void forget(WebSocket socket) {
        client.forget(socket);
    }

    /**
     * Submits a prompt: {@code POST /prompt} with the request body ({@code prompt}, {@code client_id}, ...).
     *
     * @param request the body
     * @param deadline the total deadline
     * @return ComfyUI's answer, 200 with {@code prompt_id} or 400 with {@code error} and {@code node_errors}
     */
    public CompletableFuture<JsonAnswer> submitPrompt(JsonObject request, Duration deadline) {
        return client.postForAnswer("/prompt", request, deadline);
    }

    /**
     * Reads {@code GET /queue}: {@code queue_running} and {@code queue_pending}.
     *
     * @param deadline the total deadline
     * @return the queue
     */
    public CompletableFuture<JsonObject> queue(Duration deadline) {
        return client.get("/queue", deadline);
    }

    /**
     * Reads {@code GET /history/<promptId>}: an object keyed by the prompt id, or empty while ComfyUI has no entry.
     *
     * @param promptId the prompt
     * @param deadline the total deadline
     * @return the answer
     */
    public CompletableFuture<JsonObject> history(String promptId, Duration deadline) {
        return client.get("/history/" + encode(promptId), deadline);
    }

    /**
     * Reads a file a save node wrote: {@code GET /view?filename=...&type=...&subfolder=...}.
     *
     * @param filename the file name
     * @param subfolder its subfolder, possibly empty
     * @param type {@code output} or {@code temp}
     * @param deadline the total deadline
     * @return the file
     */
    public CompletableFuture<FetchedFile> view(String filename, String subfolder, String type, Duration deadline) {
        return client.getBytes("/view?filename=" + encode(filename) + "&type=" + encode(type) + "&subfolder="
                + encode(subfolder), deadline);
    }

    /**
     * Removes a waiting prompt from ComfyUI's queue ({@code POST /queue {"delete": [id]}}); a running one is not
     * affected.
     *
     * @param promptId the prompt
     * @param deadline the total deadline
     * @return completes when ComfyUI accepted
     */
    public CompletableFuture<Void> deleteFromQueue(String promptId, Duration deadline) {
        return client.post("/queue", deleting(promptId), deadline);
    }

    /**
     * Interrupts a running prompt ({@code POST /interrupt {"prompt_id": id}}). ComfyUI 0.3.64 interrupts only that
     * prompt; older versions ignore the id and interrupt whatever runs, so ask only when it is this one.
     *
     * @param promptId the prompt
     * @param deadline the total deadline
     * @return completes when ComfyUI accepted
     */
    public CompletableFuture<Void> interrupt(String promptId, Duration deadline) {
        JsonObject body = new JsonObject();
        body.addProperty("prompt_id", promptId);
        return client.post("/interrupt", body, deadline);
    }

    /**
     * Deletes a prompt's history entry ({@code POST /history {"delete": [id]}}).
     *
     * @param promptId the prompt
     * @param deadline the total deadline
     * @return completes when ComfyUI accepted
     */
    public CompletableFuture<Void> deleteHistory(String promptId, Duration deadline) {
        return client.post("/history", deleting(promptId), deadline);
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

    private static JsonObject deleting(String promptId) {
        JsonArray ids = new JsonArray();
        ids.add(promptId);
        JsonObject body = new JsonObject();
        body.add("delete", ids);
        return body;
    }

    /** Percent-encodes for a path segment or a query value (a space as {@code %20}, which both read alike). */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Abandons every call in flight (they fail as cancelled), aborts the sockets, gives back the HTTP client. */
    @Override
    public void close() {
        client.close();
    }
}
