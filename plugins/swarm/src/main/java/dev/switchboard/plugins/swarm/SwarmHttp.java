package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.switchboard.plugins.support.BoundedBodyHandler;
import dev.switchboard.plugins.support.CallFailure;
import dev.switchboard.plugins.support.Failures;
import dev.switchboard.plugins.support.SharedHttpClient;
import dev.switchboard.plugins.support.UntrustedText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Posts to one remote Swarm server's API ({@code POST <address>/API/<Route>}, JSON both ways). Every call has
 * a connect timeout and a total deadline that covers the whole body, so a server that stalls mid-answer
 * cannot hold a thread; bodies are bounded. {@link #close()} abandons calls in flight. Thread-safe.
 */
final class SwarmHttp implements AutoCloseable {

    /** Far above any ListBackends answer of a server with hundreds of backends. */
    static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    private final String address;
    private final Map<String, String> headers;
    private final String userAgent;
    private final Duration deadline;
    private final BoundedBodyHandler bodyHandler = new BoundedBodyHandler(MAX_BODY_BYTES);
    private final SharedHttpClient.Lease lease;

    /**
     * @param address the normalised address, used in requests and messages
     * @param headers headers sent with every call (may hold the secret: never log them)
     * @param userAgent the {@code User-Agent} header
     * @param deadline connect timeout and total deadline of each call
     */
    SwarmHttp(String address, RequestHeaders headers, String userAgent, Duration deadline) {
        // A client of its own (one lease of a holder nobody else uses): close() then ends its threads.
        this(address, headers, userAgent, deadline,
                new SharedHttpClient(deadline, "swarm-http", SwarmClients.MAX_IN_FLIGHT_PER_REMOTE));
    }

    /**
     * @param address the normalised address, used in requests and messages
     * @param headers headers sent with every call (may hold the secret: never log them)
     * @param userAgent the {@code User-Agent} header
     * @param deadline connect timeout and total deadline of each call
     * @param shared the client to lease, shared with other backends; its connect timeout must be {@code deadline}
     */
    SwarmHttp(String address, RequestHeaders headers, String userAgent, Duration deadline, SharedHttpClient shared) {
        this.address = requireNonNull(address, "address is null");
        this.headers = requireNonNull(headers, "headers is null").values();
        this.userAgent = requireNonNull(userAgent, "userAgent is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        if (!shared.connectTimeout().equals(deadline)) {
            throw new IllegalArgumentException("the shared client connects within " + shared.connectTimeout()
                    + ", not " + deadline);
        }
        // Calls go through this lease with their own deadlines; close() abandons only this backend's calls.
        this.lease = shared.lease();
    }

    String address() {
        return address;
    }

    /**
     * Posts a body and waits for the JSON object answered. A route-level {@code error} is a failure.
     *
     * @throws RemoteSwarmException when the call failed; its kind says how
     * @throws InterruptedException when the caller was interrupted; the call is abandoned
     */
    JsonObject post(String route, JsonObject body) throws RemoteSwarmException, InterruptedException {
        return post(route, body, deadline, bodyHandler);
    }

    /**
     * Posts a body with its own deadline and bound on the answer (a generation over HTTP takes longer and answers
     * more than the other calls).
     */
    JsonObject post(String route, JsonObject body, Duration callDeadline, BoundedBodyHandler answers)
            throws RemoteSwarmException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> sent = lease.send(request(route, body), answers, callDeadline);
        try {
            return read(route, sent.get());
        } catch (InterruptedException e) {
            throw e;
        } catch (CancellationException e) {
            throw cancelled(e);
        } catch (ExecutionException e) {
            throw describe(route, e, callDeadline);
        } finally {
            sent.cancel(true);
        }
    }

    /**
     * Posts a body without waiting for the answer, which is ignored (SwarmUI's master ignores InterruptAll's); the
     * call still ends at the deadline, or when this client is closed.
     */
    void postAndForget(String route, JsonObject body) {
        lease.send(request(route, body), bodyHandler, deadline);
    }

    /** @return the headers sent with every call, WebSocket upgrades included; they hold secrets, never log them */
    Map<String, String> headers() {
        return headers;
    }

    /** @return the {@code User-Agent} sent with every call */
    String userAgent() {
        return userAgent;
    }

    /** @return the deadline of each call, and of each wait for a WebSocket message */
    Duration deadline() {
        return deadline;
    }

    /** @return the HTTP client calls go through, for WebSockets; valid until {@link #close()} */
    HttpClient client() {
        return lease.client();
    }

    private HttpRequest request(String route, JsonObject body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + "/API/" + route))
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return request.build();
    }

    /** Abandons every call in flight and refuses new ones. */
    @Override
    public void close() {
        lease.close();
    }

    private JsonObject read(String route, HttpResponse<byte[]> response) throws RemoteSwarmException {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        JsonObject json = null;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (parsed.isJsonObject()) {
                json = parsed.getAsJsonObject();
            }
        } catch (JsonParseException e) {
            json = null;
        }
        if (json != null && json.has("error_id") && json.get("error_id").isJsonPrimitive()
                && json.get("error_id").getAsString().equals("invalid_session_id")) {
            throw new RemoteSwarmException(RemoteSwarmException.Kind.INVALID_SESSION,
                    "Remote Swarm server at " + address + " no longer knows our session.", null);
        }
        if (json != null && json.has("error")) {
            JsonElement error = json.get("error");
            String message = error.isJsonPrimitive() ? error.getAsString() : error.toString();
            throw new RemoteSwarmException(RemoteSwarmException.Kind.REMOTE_ERROR,
                    "Remote Swarm server at " + address + " answered: " + UntrustedText.sanitize(message, 200), null,
                    message);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER, "Remote Swarm server at " + address
                    + " answered HTTP " + status + " to " + route + ". Is the address that of a Swarm server?", null);
        }
        if (json == null) {
            throw new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER, "Remote Swarm server at " + address
                    + " answered " + route + " with something that is not a JSON object: "
                    + UntrustedText.sanitize(text, 80), null);
        }
        return json;
    }

    /**
     * Says why a call (or a WebSocket) to the remote failed.
     *
     * @param route the route, named in the message
     * @param failure what the call failed with
     * @param callDeadline the call's deadline, named when it ran out
     */
    RemoteSwarmException describe(String route, Throwable failure, Duration callDeadline) {
        return Failures.explain(failure, RemoteSwarmException.class, why -> word(why, route, callDeadline));
    }

    /** Says what went wrong in the operator's terms: the remote, its address, the route, the setting to change. */
    private RemoteSwarmException word(CallFailure why, String route, Duration callDeadline) {
        Throwable cause = why.cause();
        return switch (why.kind()) {
            case CANCELLED -> cancelled(cause);
            case TIMED_OUT -> unreachable("Remote Swarm server at " + address + " did not answer " + route + " within "
                    + callDeadline.toSeconds() + " s" + (callDeadline.equals(deadline)
                    ? " (ConnectionAttemptTimeoutSeconds)." : "."), cause);
            case CONNECT_TIMED_OUT -> unreachable("Could not connect to the remote Swarm server at " + address
                    + " within " + deadline.toSeconds() + " s. Is the address right, and can this machine reach it?",
                    cause);
            case TOO_LARGE -> new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER, "Remote Swarm server at "
                    + address + " answered " + route + " with too much data: " + why.detail() + ".", cause);
            case UNKNOWN_HOST -> unreachable("Could not connect to the remote Swarm server at " + address
                    + ": the host name " + URI.create(address).getHost() + " is unknown. Is the address right?", cause);
            case REFUSED -> unreachable("Could not connect to the remote Swarm server at " + address + ": "
                    + why.detail() + ". Is it running, and is the address right?", cause);
            case CONNECTION_LOST -> unreachable("Lost the connection to the remote Swarm server at " + address
                    + " during " + route + ": " + why.detail(), cause);
            case UNEXPECTED -> new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER,
                    "Unexpected failure during " + route + " to the remote Swarm server at " + address + ": "
                            + why.detail(), cause);
        };
    }

    private RemoteSwarmException cancelled(Throwable cause) {
        return new RemoteSwarmException(RemoteSwarmException.Kind.CANCELLED,
                "Stopped talking to the remote Swarm server at " + address + ": the backend is shutting down.", cause);
    }

    private static RemoteSwarmException unreachable(String message, Throwable cause) {
        return new RemoteSwarmException(RemoteSwarmException.Kind.UNREACHABLE, message, cause);
    }
}
