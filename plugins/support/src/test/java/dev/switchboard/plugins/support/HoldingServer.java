package dev.switchboard.plugins.support;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A keep-alive HTTP/1.1 server on 127.0.0.1 that holds the answer to every request whose path starts with
 * {@code /held} until the test lets one go ({@link #answer(int)}) or all ({@link #answerAll()}), answers any other
 * path at once, and opens a WebSocket (handshake only) on {@code /ws}. It sees the sockets, so it counts the
 * connections accepted and open at once, the exchanges open at once (request head read until the answer is
 * written or the client hangs up) and the request lines in arrival order. Thread-safe.
 */
final class HoldingServer implements AutoCloseable {
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);
    /** How often a held exchange looks whether the client hung up; only delays noticing, never decides. */
    private static final int HANG_UP_POLL_MILLIS = 10;

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "holding-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Semaphore answers = new Semaphore(0);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger mostOpenConnections = new AtomicInteger();
    private final AtomicInteger openExchanges = new AtomicInteger();
    private final AtomicInteger mostOpenExchanges = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final List<String> requestLines = new ArrayList<>();
    private volatile boolean answerAll;
    private volatile boolean closed;

    HoldingServer() {
        try {
            listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        threads.execute(this::acceptLoop);
    }

    /** @return e.g. {@code http://127.0.0.1:41234} */
    String baseUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Lets the answers of this many held requests go (now or, if fewer are held, as they come). */
    void answer(int count) {
        answers.release(count);
    }

    /** Takes back the answers let go that no request has used yet. */
    void withdrawAnswers() {
        answers.drainPermits();
    }

    /** From now on answers every request at once, the held ones too. */
    void answerAll() {
        answerAll = true;
    }

    /** @return how many requests wait for their answer now */
    int held() {
        return held.get();
    }

    int accepted() {
        return accepted.get();
    }

    int mostOpenConnections() {
        return mostOpenConnections.get();
    }

    int mostOpenExchanges() {
        return mostOpenExchanges.get();
    }

    /** @return the path of every request received, in arrival order */
    List<String> paths() {
        synchronized (requestLines) {
            return requestLines.stream().map(line -> line.split(" ")[1]).toList();
        }
    }

    /** @return how many requests whose path starts so arrived */
    long received(String pathPrefix) {
        return paths().stream().filter(path -> path.startsWith(pathPrefix)).count();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Already closed.
        }
        sockets.forEach(HoldingServer::closeQuietly);
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            sockets.add(socket);
            try {
                threads.execute(() -> serve(socket));
            } catch (RuntimeException e) {
                sockets.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        mostOpenConnections.accumulateAndGet(openConnections.incrementAndGet(), Math::max);
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String head;
            while ((head = readHead(in)) != null) {
                String line = head.lines().findFirst().orElse("");
                synchronized (requestLines) {
                    requestLines.add(line);
                }
                String path = line.split(" ")[1];
                if (path.startsWith("/ws")) {
                    out.write(switchToWebSocket(head));
                    out.flush();
                    awaitHangUp(in);
                    return;
                }
                mostOpenExchanges.accumulateAndGet(openExchanges.incrementAndGet(), Math::max);
                try {
                    if (path.startsWith("/held") && !awaitAnswer(socket, in)) {
                        return;
                    }
                    out.write(OK);
                    out.flush();
                } finally {
                    openExchanges.decrementAndGet();
                }
            }
        } catch (IOException e) {
            // The client went away or the server closed: the connection is over either way.
        } finally {
            openConnections.decrementAndGet();
            sockets.remove(socket);
        }
    }

    /** @return true when the answer may go, false when the client hung up first */
    private boolean awaitAnswer(Socket socket, InputStream in) throws IOException {
        held.incrementAndGet();
        try {
            socket.setSoTimeout(HANG_UP_POLL_MILLIS);
            while (!answerAll && !answers.tryAcquire()) {
                try {
                    if (in.read() < 0) {
                        return false;
                    }
                    throw new IOException("the client sent more while its request was unanswered");
                } catch (SocketTimeoutException e) {
                    // Still connected: look at the permits again.
                }
            }
            return true;
        } finally {
            socket.setSoTimeout(0);
            held.decrementAndGet();
        }
    }

    private static byte[] switchToWebSocket(String head) throws IOException {
        String key = head.lines()
                .filter(header -> header.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
                .map(header -> header.substring(header.indexOf(':') + 1).trim())
                .findFirst().orElseThrow(() -> new IOException("no Sec-WebSocket-Key"));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(digest) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static void awaitHangUp(InputStream in) throws IOException {
        byte[] sink = new byte[1024];
        while (in.read(sink) >= 0) {
            // WebSocket frames are ignored; the exchange ends when the client goes.
        }
    }

    /** Reads up to the blank line ending a head (requests here have no body); null if the client closed first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int next = in.read();
            if (next < 0) {
                return null;
            }
            head.write(next);
            matched = next == end[matched] ? matched + 1 : (next == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Gone either way.
        }
    }
}
