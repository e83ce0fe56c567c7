package dev.switchboard.testkit.remote;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on 127.0.0.1 that speaks just enough HTTP/1.1 to misbehave like a dying remote. What it does
 * with a request is switched while it runs: {@link #answer} (a healthy remote: the whole answer at once),
 * {@link #blackhole()} (a wedged remote, or a firewall that drops replies: the request is read and never
 * answered), {@link #trickle} (a slow-loris remote: a {@code 200} head at once, then the body one byte per
 * interval), {@link #hangUp()} (a remote that dies mid-exchange: the request is read and the connection
 * closed) or {@link #flood} (a remote that sends far more than any answer: a body of a given size, without
 * a length announced). {@link #close()} closes the port, so connections are refused from then on.
 *
 * <p>Unlike an HTTP server library it sees the socket, so it knows when the client gives up: an exchange
 * counts as open from the moment its request head has arrived until the client closes the connection (or a
 * healthy answer has been sent). {@link #openExchanges()} and {@link #mostOpenExchanges()} tell a test
 * whether a client abandons its calls at their deadline and never has more than one in flight. Thread-safe.
 */
public final class StallingServer implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final ServerSocket listener;
    private final ExecutorService connections = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "stalling-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final List<String> requestLines = new ArrayList<>();
    private volatile Behaviour behaviour = Behaviour.BLACKHOLE;
    private volatile boolean closed;

    private StallingServer() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        connections.execute(this::acceptLoop);
    }

    /**
     * Starts a server that never answers, until told otherwise.
     *
     * @return the running server
     */
    public static StallingServer start() {
        return new StallingServer();
    }

    /**
     * From now on answers every request at once with {@code 200}, this content type and body, and
     * {@code Connection: close}.
     *
     * @param contentType the {@code Content-Type} header
     * @param body the body, sent as UTF-8
     */
    public void answer(String contentType, String body) {
        behaviour = new Behaviour(Mode.ANSWER, Duration.ZERO, requireNonNull(contentType, "contentType is null"),
                requireNonNull(body, "body is null").getBytes(StandardCharsets.UTF_8), 0);
    }

    /** From now on reads every request and never answers it; exchanges already trickling go on. */
    public void blackhole() {
        behaviour = Behaviour.BLACKHOLE;
    }

    /** From now on reads every request and closes the connection without a byte of answer. */
    public void hangUp() {
        behaviour = new Behaviour(Mode.HANG_UP, null, null, null, 0);
    }

    /**
     * From now on answers every request with {@code 200}, the content type and {@code bytes} bytes of
     * {@code x} as the body, with no {@code Content-Length} (the body ends when the connection closes), so a
     * client finds out how large it is only by reading it. Stops early when the client hangs up.
     *
     * @param contentType the {@code Content-Type} header
     * @param bytes how long the body is
     */
    public void flood(String contentType, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
        behaviour = new Behaviour(Mode.FLOOD, null, requireNonNull(contentType, "contentType is null"), null, bytes);
    }

    /**
     * From now on answers every request with {@code 200}, the content type and the body's length at once,
     * and then sends the body one byte per interval.
     *
     * @param perByte the pause before each byte of the body
     * @param contentType the {@code Content-Type} header
     * @param body the body, sent as UTF-8
     */
    public void trickle(Duration perByte, String contentType, String body) {
        requireNonNull(perByte, "perByte is null");
        if (perByte.isNegative() || perByte.isZero()) {
            throw new IllegalArgumentException("perByte must be positive, got " + perByte);
        }
        behaviour = new Behaviour(Mode.TRICKLE, perByte, requireNonNull(contentType, "contentType is null"),
                requireNonNull(body, "body is null").getBytes(StandardCharsets.UTF_8), 0);
    }

    /**
     * Returns the address to configure as the remote's address.
     *
     * @return e.g. {@code http://127.0.0.1:41234}, without a trailing slash
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /**
     * Returns how many exchanges are open now: request received, connection not yet closed by the client.
     *
     * @return the count
     */
    public int openExchanges() {
        return open.get();
    }

    /**
     * Returns the largest number of exchanges that were ever open at the same time.
     *
     * @return the count
     */
    public int mostOpenExchanges() {
        return mostOpen.get();
    }

    /**
     * Returns the request line of every request received, in arrival order, e.g. {@code GET /features HTTP/1.1}.
     *
     * @return an immutable copy
     */
    public List<String> requestLines() {
        synchronized (requestLines) {
            return List.copyOf(requestLines);
        }
    }

    /** Stops listening and drops every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing a listener fails only if it is already closed.
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(socket);
            try {
                connections.execute(() -> serve(socket));
            } catch (RuntimeException e) {
                // Rejected because the server is closing.
                sockets.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        boolean counted = false;
        try (socket) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            skipBody(in, head);
            synchronized (requestLines) {
                requestLines.add(head.lines().findFirst().orElse(""));
            }
            counted = true;
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            Behaviour current = behaviour;
            switch (current.mode()) {
                case BLACKHOLE -> awaitClientClose(in);
                case HANG_UP -> {
                    // Closing the socket (end of try) without answering.
                }
                case ANSWER -> {
                    OutputStream out = socket.getOutputStream();
                    out.write(head(current, "Content-Length: " + current.body().length + "\r\nConnection: close\r\n"));
                    out.write(current.body());
                    out.flush();
                }
                case FLOOD -> flood(socket.getOutputStream(), current);
                case TRICKLE -> trickle(socket, in, current);
            }
        } catch (IOException e) {
            // The client went away (reset) or the server closed: the exchange is over either way.
        } finally {
            if (counted) {
                open.decrementAndGet();
            }
            sockets.remove(socket);
        }
    }

    private static byte[] head(Behaviour answer, String extraHeaders) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: " + answer.contentType() + "\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void flood(OutputStream out, Behaviour answer) throws IOException {
        out.write(head(answer, "Connection: close\r\n"));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (long left = answer.floodBytes(); left > 0; left -= chunk.length) {
            // A client that refuses the body hangs up: the write then fails and ends the exchange.
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        out.flush();
    }

    private static void trickle(Socket socket, InputStream in, Behaviour answer) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(head(answer, "Content-Length: " + answer.body().length + "\r\n"));
        out.flush();
        // Waiting in a read (rather than a sleep) between bytes notices at once when the client hangs up.
        socket.setSoTimeout((int) Math.max(1, answer.perByte().toMillis()));
        for (byte b : answer.body()) {
            try {
                if (in.read() < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                out.write(b);
                out.flush();
            }
        }
        socket.setSoTimeout(0);
        awaitClientClose(in);
    }

    private static void awaitClientClose(InputStream in) throws IOException {
        byte[] sink = new byte[1024];
        while (in.read(sink) >= 0) {
            // Anything more the client sends is ignored; only its hang-up ends the exchange.
        }
    }

    /** Reads up to the blank line ending the head; null if the client closed first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int next = in.read();
            if (next < 0 || head.size() > MAX_HEAD_BYTES) {
                return null;
            }
            head.write(next);
            matched = next == end[matched] ? matched + 1 : (next == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void skipBody(InputStream in, String head) throws IOException {
        long length = 0;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        long skipped = 0;
        while (skipped < length && in.read() >= 0) {
            skipped++;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to do: the socket is gone either way.
        }
    }

    private enum Mode { BLACKHOLE, HANG_UP, ANSWER, TRICKLE, FLOOD }

    /** What to do with a request; the fields a mode does not use are null or 0. */
    private record Behaviour(Mode mode, Duration perByte, String contentType, byte[] body, long floodBytes) {
        static final Behaviour BLACKHOLE = new Behaviour(Mode.BLACKHOLE, null, null, null, 0);
    }
}
