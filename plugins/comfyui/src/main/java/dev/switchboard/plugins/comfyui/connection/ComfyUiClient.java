package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.switchboard.plugins.support.BoundedBodyHandler;
import dev.switchboard.plugins.support.CallFailure;
import dev.switchboard.plugins.support.Failures;
import dev.switchboard.plugins.support.SharedHttpClient;
import dev.switchboard.plugins.support.UntrustedText;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Talks HTTP to one ComfyUI server, for {@link ComfyUiConnection}, which knows ComfyUI's routes. Every call has
 * a total deadline that covers the response body, bodies are read into memory up to a limit, and every failure
 * becomes a {@link ComfyUiException} whose message tells an operator what happened ("Could not connect to
 * ComfyUI at http://gpu1:8188: connection refused. ..."). Calls are asynchronous; {@link #await} waits for one.
 * {@link #close()} abandons every call in flight, so a thread waiting for one returns promptly. Thread-safe.
 */
public final class ComfyUiClient implements AutoCloseable {

    /** The default limit on a response body: far above the few MiB of a large {@code /object_info}. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    private static final int QUOTED_CHARS = 80;

    private final String address;
    private final URI apiBase;
    private final String userAgent;
    private final Duration connectTimeout;
    private final BoundedBodyHandler bodyHandler;
    private final SharedHttpClient.Lease lease;

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
        return exchange("GET", path, request, deadline, bytes -> parseObject("GET " + path, bytes));
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
            throw cancelled(e);
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
    }

    private HttpRequest.Builder requestTo(String path) {
        return HttpRequest.newBuilder(URI.create(apiBase + path)).header("User-Agent", userAgent);
    }

    private <T> CompletableFuture<T> exchange(String method, String path, HttpRequest request, Duration deadline,
            BodyReader<T> reader) {
        String call = method + " " + path;
        CompletableFuture<HttpResponse<byte[]>> sent = lease.send(request, bodyHandler, deadline);
        CompletableFuture<T> result = sent.handle((response, failure) -> {
            if (failure != null) {
                throw new CompletionException(describe(call, deadline, failure));
            }
            return read(call, response, reader);
        });
        // A caller that gives up on the result (e.g. await interrupted) abandons the exchange.
        result.whenComplete((value, failure) -> {
            if (failure != null) {
                sent.cancel(true);
            }
        });
        return result;
    }

    private <T> T read(String call, HttpResponse<byte[]> response, BodyReader<T> reader) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new CompletionException(new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER,
                    "ComfyUI at " + address + " answered HTTP " + status + " to " + call + ".", null));
        }
        try {
            return reader.read(response.body());
        } catch (ComfyUiException e) {
            throw new CompletionException(e);
        }
    }

    private JsonObject parseObject(String call, byte[] bytes) throws ComfyUiException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw badAnswer(call + " with an empty body.");
        }
        JsonElement json;
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            json = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("trailing data after the JSON value");
            }
        } catch (JsonParseException | IOException e) {
            throw badAnswer(call + " with something that is not JSON: " + UntrustedText.sanitize(text, QUOTED_CHARS));
        }
        if (!json.isJsonObject()) {
            throw badAnswer(call + " with JSON that is not an object: " + UntrustedText.sanitize(text, QUOTED_CHARS));
        }
        JsonObject object = json.getAsJsonObject();
        if (object.has("error")) {
            String error = object.get("error").isJsonPrimitive() ? object.get("error").getAsString()
                    : object.get("error").toString();
            throw new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER, "ComfyUI at " + address
                    + " reported an error for " + call + ": " + UntrustedText.sanitize(error, 200), null);
        }
        return object;
    }

    private ComfyUiException badAnswer(String what) {
        return new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER, "ComfyUI at " + address + " answered " + what,
                null);
    }

    private ComfyUiException describe(String call, Duration deadline, Throwable failure) {
        return Failures.explain(failure, ComfyUiException.class, why -> word(why, call, deadline));
    }

    private ComfyUiException word(CallFailure why, String call, Duration deadline) {
        Throwable cause = why.cause();
        return switch (why.kind()) {
            case CANCELLED -> cancelled(cause);
            case TIMED_OUT -> unreachable("ComfyUI at " + address + " did not answer " + call + " within "
                    + OperatorText.describe(deadline) + ".", cause);
            case CONNECT_TIMED_OUT -> unreachable("Could not connect to ComfyUI at " + address + " within "
                    + OperatorText.describe(connectTimeout) + ". Is the address right, and can this machine reach it?",
                    cause);
            case TOO_LARGE -> new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER, "ComfyUI at " + address
                    + " answered " + call + " with a body larger than the limit; " + why.detail() + ".", cause);
            case UNKNOWN_HOST -> unreachable("Could not connect to ComfyUI at " + address + ": the host name "
                    + apiBase.getHost() + " is unknown. Is the address right?", cause);
            case REFUSED -> unreachable("Could not connect to ComfyUI at " + address + ": " + why.detail()
                    + ". Is ComfyUI running, and is the address right?", cause);
            case CONNECTION_LOST -> unreachable("Lost the connection to ComfyUI at " + address + " during " + call + ": "
                    + why.detail(), cause);
            case UNEXPECTED -> new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER,
                    "Unexpected failure during " + call + " to ComfyUI at " + address + ": " + why.detail(), cause);
        };
    }

    private ComfyUiException cancelled(Throwable cause) {
        return new ComfyUiException(ComfyUiException.Kind.CANCELLED,
                "Stopped waiting for ComfyUI at " + address + ": the backend is shutting down.", cause);
    }

    private static ComfyUiException unreachable(String message, Throwable cause) {
        return new ComfyUiException(ComfyUiException.Kind.UNREACHABLE, message, cause);
    }

    /** Turns a 2xx response body into the call's result. */
    @FunctionalInterface
    private interface BodyReader<T> {
        T read(byte[] body) throws ComfyUiException;
    }
}
