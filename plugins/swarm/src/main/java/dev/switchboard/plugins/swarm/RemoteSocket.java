package dev.switchboard.plugins.swarm;

import dev.switchboard.plugins.support.Failures;
import dev.switchboard.plugins.support.UntrustedText;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket to the remote's {@code /API/<Route>WS} (the JDK's client, on the control's HTTP client): opened
 * with the remote's headers ({@code Authorization} and {@code OtherHeaders} on the upgrade, as SwarmUI's master
 * sends them), whole text messages handed out one at a time. Every wait has a deadline: opening, sending, and the
 * time since the remote last sent anything, which a ping every two seconds keeps short for a remote that is alive
 * but quiet (a SwarmUI remote may send nothing for 30 s while a job runs; it answers pings); a ping that fails means
 * the connection is gone. Not thread-safe, except
 * {@link #abort()}, which any thread may call.
 */
final class RemoteSocket implements AutoCloseable {
    /** Far above any real answer: a batch of large PNGs as data URLs. */
    static final int MAX_MESSAGE_CHARS = 256 * 1024 * 1024;
    /**
     * Pings also find a connection the remote dropped: the JDK's client does not always report the end of a
     * connection that closes right after a message (it keeps waiting; seen on JDK 17), but a ping on it fails.
     */
    private static final Duration LONGEST_PING_INTERVAL = Duration.ofSeconds(2);

    /** What the remote sent: a whole text message, its close, or a failure of the connection. */
    sealed interface Event permits Text, Closed, Broken {
    }

    /** A whole text message. */
    record Text(String text) implements Event {
    }

    /** The remote closed the socket with a close frame. */
    record Closed(int code, String reason) implements Event {
    }

    /** The connection failed (dropped, or a message too large). */
    record Broken(Throwable failure) implements Event {
    }

    private final String address;
    private final String route;
    private final Duration silence;
    private final Duration pingInterval;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile long lastHeardNanos = System.nanoTime();
    private long lastPingNanos = System.nanoTime();
    private WebSocket socket;

    private RemoteSocket(String address, String route, Duration silence) {
        this.address = address;
        this.route = route;
        this.silence = silence;
        Duration third = silence.dividedBy(3);
        this.pingInterval = third.compareTo(LONGEST_PING_INTERVAL) < 0 ? third : LONGEST_PING_INTERVAL;
    }

    /**
     * Opens {@code ws(s)://<address>/API/<route>} within the call deadline.
     *
     * @throws RemoteSwarmException when the remote cannot be reached or refuses the upgrade
     */
    static RemoteSocket open(SwarmHttp http, String route) throws RemoteSwarmException, InterruptedException {
        RemoteSocket remote = new RemoteSocket(http.address(), route, http.deadline());
        // SwarmUI's rule: http becomes ws, anything else wss.
        String url = (http.address().startsWith("http://") ? "ws://" + http.address().substring("http://".length())
                : "wss://" + http.address().replaceFirst("^[a-zA-Z]+://", "")) + "/API/" + route;
        WebSocket.Builder builder = http.client().newWebSocketBuilder().connectTimeout(http.deadline());
        for (Map.Entry<String, String> header : http.headers().entrySet()) {
            try {
                builder.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                // The name only: the value may be secret.
                throw new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER, "The header " + header.getKey()
                        + " (OtherHeaders) cannot be sent on a WebSocket upgrade; remove it or turn AllowWebsocket"
                        + " off.", null);
            }
        }
        builder.header("User-Agent", http.userAgent());
        CompletableFuture<WebSocket> opening = builder.buildAsync(URI.create(url), remote.new Listener());
        try {
            remote.socket = opening.get(http.deadline().toMillis(), TimeUnit.MILLISECONDS);
            remote.lastHeardNanos = System.nanoTime();
            return remote;
        } catch (InterruptedException e) {
            opening.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw http.describe(route, e, http.deadline());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                throw new RemoteSwarmException(RemoteSwarmException.Kind.BAD_ANSWER, "Remote Swarm server at "
                        + http.address() + " refused the WebSocket of " + route + " with HTTP " + status
                        + (status == 401 || status == 403 ? ". Check AuthorizationHeader and OtherHeaders."
                        : ". Is it a Swarm server, and does everything in between pass WebSockets? (Else turn"
                        + " AllowWebsocket off.)"), refused);
            }
            throw http.describe(route, e, http.deadline());
        }
    }

    /** Sends one whole text message, within the deadline. */
    void send(String text) throws RemoteSwarmException, InterruptedException {
        CompletableFuture<WebSocket> sent = socket.sendText(text, true);
        try {
            sent.get(silence.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw lost(e.getCause());
        } catch (TimeoutException e) {
            throw quiet("accept the request");
        }
    }

    /**
     * Waits for what the remote sends next, pinging it while it is quiet.
     *
     * @return a whole message, the remote's close, or the connection's failure
     * @throws RemoteSwarmException when the remote sent nothing (not even a pong) for the deadline
     */
    Event next() throws RemoteSwarmException, InterruptedException {
        while (true) {
            long now = System.nanoTime();
            if (now - lastPingNanos >= pingInterval.toNanos()) {
                lastPingNanos = now;
                socket.sendPing(ByteBuffer.allocate(0)).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        events.add(new Broken(failure));
                    }
                });
            }
            long quietFor = now - lastHeardNanos;
            if (quietFor >= silence.toNanos()) {
                throw quiet("send anything");
            }
            long wait = Math.min(silence.toNanos() - quietFor, pingInterval.toNanos() - (now - lastPingNanos));
            Event event = events.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), TimeUnit.MILLISECONDS);
            if (event != null) {
                return event;
            }
        }
    }

    /** @return the failure for a connection that broke, naming the remote and the route */
    RemoteSwarmException lost(Throwable cause) {
        return new RemoteSwarmException(RemoteSwarmException.Kind.UNREACHABLE, "Lost the connection to the remote"
                + " Swarm server at " + address + " during " + route + ": " + describe(cause), cause);
    }

    /** Ends the conversation normally (a close frame), without waiting for the remote's. */
    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
    }

    /** Drops the connection at once (after a failure, a cancellation, or the end). Safe from any thread. */
    void abort() {
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
    }

    private RemoteSwarmException quiet(String what) {
        return new RemoteSwarmException(RemoteSwarmException.Kind.UNREACHABLE, "Remote Swarm server at " + address
                + " did not " + what + " within " + silence.toSeconds() + " s during " + route
                + " (ConnectionAttemptTimeoutSeconds).", null);
    }

    private static String describe(Throwable cause) {
        String text = Failures.messages(cause);
        return text.isEmpty() ? cause.getClass().getSimpleName()
                : UntrustedText.sanitize(text, 120);
    }

    /** Collects message parts into whole messages; any frame, pongs included, counts as a sign of life. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private boolean tooLarge;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            heard();
            if (!tooLarge && text.length() + data.length() > MAX_MESSAGE_CHARS) {
                tooLarge = true;
                text.setLength(0);
                events.add(new Broken(new IllegalStateException("a message longer than " + MAX_MESSAGE_CHARS
                        + " characters")));
                webSocket.abort();
                return null;
            }
            text.append(data);
            if (last) {
                events.add(new Text(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            // SwarmUI's API sends no binary messages; ignored, like its master does with unknown messages.
            heard();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            heard();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            heard();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            heard();
            events.add(new Closed(statusCode, reason));
            // Completing at once makes the JDK answer the close frame: the handshake ends cleanly.
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Broken(error));
        }

        private void heard() {
            lastHeardNanos = System.nanoTime();
        }
    }
}
