package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.plugins.support.BoundedBodyHandler;
import dev.switchboard.plugins.support.Failures;
import dev.switchboard.plugins.support.SharedHttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Talks HTTP to one ComfyUI server, for {@link ComfyUiConnection}, which knows ComfyUI's routes. Every call has
 * a total deadline that covers the response body, bodies are read into memory up to a limit, and every failure
 * becomes a {@link ComfyUiException} whose message tells an operator what happened ("Could not connect to
 * ComfyUI at http://gpu1:8188: connection refused. ..."). Calls are asynchronous; {@link #await} waits for one.
 * WebSockets ({@link #openWebSocket}) go through the same JDK client. {@link #close()} abandons every call in
 * flight and aborts every open WebSocket, so a thread waiting for one returns promptly. Thread-safe.
 */
public final class ComfyUiClient implements AutoCloseable {

    /** The default limit on a response body: far above the few MiB of a large {@code /object_info}. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    private final String address;
    private final URI apiBase;
    private final String userAgent;
    private final Duration connectTimeout;
    private final BoundedBodyHandler bodyHandler;
    private final SharedHttpClient.Lease lease;
    private final CallWording wording;
    // Guarded by itself: the open WebSockets and what to run when close() aborts each.
    private final Map<WebSocket, Runnable> sockets = new HashMap<>();
    private boolean closed;

    /**
     * Creates a client with a JDK HTTP client of its own.
     *
     * @param address the address as operators know it, used in messages, e.g. {@code http://gpu1:8188}
     * @param apiBase the base every API path is appended to, e.g. {@code http://gpu1:8188} or
     *     {@code http://gpu1:8188/api}; without a trailing slash
     * @param userAgent the {@code User-Agent} header, e.g. {@code Switchboard/1.0.0}
     * @param connectTimeout how long opening a connection may take
     * @param maxBodyBytes the largest response body accepted
     */
    public ComfyUiClient(String address, URI apiBase, String userAgent, Duration connectTimeout, long maxBodyBytes) {
        this(address, apiBase, userAgent, newSharedHttp(connectTimeout), maxBodyBytes);
    }

    /**
     * Makes a holder of an HTTP client for ComfyUI clients to share; its threads are named {@code comfyui-http-N}.
     *
     * @param connectTimeout how long opening a connection may take
     * @return the holder; nothing is started until its first lease
     */
    public static SharedHttpClient newSharedHttp(Duration connectTimeout) {
        return new SharedHttpClient(connectTimeout, "comfyui-http");
    }

    /**
     * Creates a client that takes a share of a JDK HTTP client other clients use too; {@link #close()} gives
     * the share back.
     *
     * @param address the address as operators know it, used in messages
     * @param apiBase the base every API path is appended to, without a trailing slash
     * @param userAgent the {@code User-Agent} header
     * @param shared the client to share, and its connect timeout
     * @param maxBodyBytes the largest response body accepted
     */
    public ComfyUiClient(String address, URI apiBase, String userAgent, SharedHttpClient shared, long maxBodyBytes) {
        this.address = requireNonNull(address, "address is null");
        this.apiBase = requireNonNull(apiBase, "apiBase is null");
        this.userAgent = requireNonNull(userAgent, "userAgent is null");
        this.connectTimeout = requireNonNull(shared, "shared is null").connectTimeout();
        this.bodyHandler = new BoundedBodyHandler(maxBodyBytes);
        this.wording = new CallWording(address, apiBase, connectTimeout);
        // Last, so a client that could not be made holds no share.
        this.lease = shared.lease();
    }

    /**
     * Returns the address used in messages.
     *
     * @return the address
     */
    public String address() {
        return address;
    }

    /**
     * Sends {@code GET <path>} and reads the answer as a JSON object; an object with an {@code error} member is a
     * failure, as ComfyUI reports errors that way.
     *
     * @param path the API path, e.g. {@code /object_info}
     * @param deadline the total deadline, body included
     * @return the JSON object, or a failure with a {@link ComfyUiException}
     */
    public CompletableFuture<JsonObject> get(String path, Duration deadline) {
        HttpRequest request = requestTo(path).GET().build();
        return exchange("GET", path, request, deadline, bytes -> JsonBodies.object("GET " + path, bytes, wording));
    }

    /**
     * Sends {@code POST <path>} with a JSON body and ignores the answer's body (ComfyUI's control routes answer
     * with an empty 200).
     *
     * @param path the API path, e.g. {@code /free}
     * @param body the JSON body
     * @param deadline the total deadline
     * @return completes when the server accepted, or fails with a {@link ComfyUiException}
     */
    public CompletableFuture<Void> post(String path, JsonObject body, Duration deadline) {
        HttpRequest request = requestTo(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return exchange("POST", path, request, deadline, bytes -> null);
    }

    /**
     * Sends {@code POST <path>} with a JSON body and returns the status with the JSON object answered, whatever the
     * status: ComfyUI's {@code /prompt} answers validation failures with HTTP 400 and a JSON body.
     *
     * @param path the API path, e.g. {@code /prompt}
     * @param body the JSON body
     * @param deadline the total deadline
     * @return the answer, or a failure with a {@link ComfyUiException} when the body is not a JSON object
     */
    public CompletableFuture<JsonAnswer> postForAnswer(String path, JsonObject body, Duration deadline) {
        HttpRequest request = requestTo(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        String call = "POST " + path;
        return send(call, request, deadline, response -> {
            String text = new String(response.body(), StandardCharsets.UTF_8);
            Optional<JsonObject> json = JsonBodies.objectOrEmpty(text);
            if (json.isPresent()) {
                return new JsonAnswer(response.statusCode(), json.get());
            }
            boolean ok = response.statusCode() >= 200 && response.statusCode() <= 299;
            throw wording.badAnswer((ok ? call : "HTTP " + response.statusCode() + " to " + call)
                    + " with something that is not a JSON object: " + JsonBodies.quote(text));
        });
    }

    /**
     * Sends {@code GET <path>} and returns the body's bytes with their content type, for files such as
     * {@code /view} images.
     *
     * @param path the API path with its query, e.g. {@code /view?filename=a.png&type=output&subfolder=}
     * @param deadline the total deadline, body included
     * @return the body, or a failure with a {@link ComfyUiException} (also for a status other than 2xx)
     */
    public CompletableFuture<FetchedFile> getBytes(String path, Duration deadline) {
        HttpRequest request = requestTo(path).GET().build();
        String call = "GET " + path.replaceFirst("\\?.*", "");
        return send(call, request, deadline, response -> {
            checkStatus(call, response);
            return new FetchedFile(response.body(), response.headers().firstValue("Content-Type").orElse(""));
        });
    }

    /**
     * Opens a WebSocket to {@code <path>} under the API base ({@code ws://} or {@code wss://} as the base's
     * scheme says), within the connect timeout. The socket stays open until its user closes or aborts it (then it
     * calls {@link #forget}) or until this client is closed, which aborts it and runs {@code onAbort}.
     *
     * @param path the path with its query, e.g. {@code /ws?clientId=abc}
     * @param listener receives the socket's messages
     * @param onAbort runs when {@link #close()} aborts the socket (the JDK then tells the listener nothing)
     * @return the open socket, or a failure with a {@link ComfyUiException}
     */
    public CompletableFuture<WebSocket> openWebSocket(String path, WebSocket.Listener listener, Runnable onAbort) {
        requireNonNull(onAbort, "onAbort is null");
        String call = "WebSocket " + path.replaceFirst("\\?.*", "");
        synchronized (sockets) {
            if (closed) {
                return CompletableFuture.failedFuture(wording.cancelled(null));
            }
        }
        String base = apiBase.toString();
        String scheme = apiBase.getScheme();
        URI uri = URI.create(("https".equalsIgnoreCase(scheme) ? "wss" : "ws") + base.substring(scheme.length())
                + path);
        CompletableFuture<WebSocket> opening = lease.client().newWebSocketBuilder()
                .connectTimeout(connectTimeout)
                .header("User-Agent", userAgent)
                .buildAsync(uri, listener);
        return opening.handle((socket, failure) -> {
            if (failure != null) {
                Throwable cause = Failures.unwrap(failure);
                if (cause instanceof WebSocketHandshakeException handshake) {
                    throw new CompletionException(wording.badAnswer(call + " with HTTP "
                            + handshake.getResponse().statusCode() + " instead of opening the WebSocket."));
                }
                throw new CompletionException(wording.describe(call, connectTimeout, failure));
            }
            synchronized (sockets) {
                if (!closed) {
                    sockets.put(socket, onAbort);
                    return socket;
                }
            }
            socket.abort();
            throw new CompletionException(wording.cancelled(null));
        });
    }

    /**
     * Stops tracking a WebSocket its user closed or aborted.
     *
     * @param socket a socket from {@link #openWebSocket}
     */
    public void forget(WebSocket socket) {
        synchronized (sockets) {
            sockets.remove(socket);
        }
    }

    /**
     * Waits for a call of this client, and turns its failure back into a {@link ComfyUiException}.
     *
     * @param call a future returned by this client
     * @param <T> the result type
     * @return the result
     * @throws ComfyUiException when the call failed
     * @throws InterruptedException when the waiting thread was interrupted; the call is then abandoned
     */
    public <T> T await(CompletableFuture<T> call) throws ComfyUiException, InterruptedException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw wording.cancelled(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ComfyUiException comfyUiException) {
                throw comfyUiException;
            }
            throw new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER,
                    "Unexpected failure while talking to ComfyUI at " + address + ": " + cause, cause);
        }
    }

    /**
     * Abandons every call in flight (they fail as cancelled), refuses new ones and gives back the share of the
     * HTTP client. Never contacts the server. Calls of other clients sharing the HTTP client go on.
     */
    @Override
    public void close() {
        lease.close();
        Map<WebSocket, Runnable> open;
        synchronized (sockets) {
            closed = true;
            open = Map.copyOf(sockets);
            sockets.clear();
        }
        open.forEach((socket, onAbort) -> {
            socket.abort();
            onAbort.run();
        });
    }

    private HttpRequest.Builder requestTo(String path) {
        return HttpRequest.newBuilder(URI.create(apiBase + path)).header("User-Agent", userAgent);
    }

    private <T> CompletableFuture<T> exchange(String method, String path, HttpRequest request, Duration deadline,
            BodyReader<T> reader) {
        String call = method + " " + path;
        return send(call, request, deadline, response -> read(call, response, reader));
    }

    private <T> CompletableFuture<T> send(String call, HttpRequest request, Duration deadline,
            ResponseReader<T> reader) {
        CompletableFuture<HttpResponse<byte[]>> sent = lease.send(request, bodyHandler, deadline);
        CompletableFuture<T> result = sent.handle((response, failure) -> {
            if (failure != null) {
                throw new CompletionException(wording.describe(call, deadline, failure));
            }
            try {
                return reader.read(response);
            } catch (ComfyUiException e) {
                throw new CompletionException(e);
            }
        });
        // A caller that gives up on the result (e.g. await interrupted) abandons the exchange.
        result.whenComplete((value, failure) -> {
            if (failure != null) {
                sent.cancel(true);
            }
        });
        return result;
    }

    private <T> T read(String call, HttpResponse<byte[]> response, BodyReader<T> reader) throws ComfyUiException {
        checkStatus(call, response);
        return reader.read(response.body());
    }

    private void checkStatus(String call, HttpResponse<byte[]> response) throws ComfyUiException {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER,
                    "ComfyUI at " + address + " answered HTTP " + status + " to " + call + ".", null);
        }
    }

    /** Turns a 2xx response body into the call's result. */
    @FunctionalInterface
    private interface BodyReader<T> {
        T read(byte[] body) throws ComfyUiException;
    }

    /** Turns a response into the call's result. */
    @FunctionalInterface
    private interface ResponseReader<T> {
        T read(HttpResponse<byte[]> response) throws ComfyUiException;
    }
}
