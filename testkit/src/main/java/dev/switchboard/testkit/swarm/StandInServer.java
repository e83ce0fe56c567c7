package dev.switchboard.testkit.swarm;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.contract.StandInThreads;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The socket side of {@link SwarmRemoteStandIn}: a TCP server on 127.0.0.1 that reads one HTTP/1.1 request per
 * connection, hands a POST's JSON body to the stand-in and writes its JSON answer with {@code Connection: close},
 * or hands an upgrade to a {@link WebSocketPeer}. Its threads come from {@link StandInThreads}.
 */
final class StandInServer implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /** What the stand-in does with a request. */
    interface Handler {
        /** @return the HTTP status and the JSON answer of a POST */
        Answer post(String path, Map<String, String> headers, JsonObject body);

        /** Runs a WebSocket conversation on the calling thread. */
        void converse(WebSocketPeer peer, Map<String, String> headers, String path) throws IOException;
    }

    /** An HTTP answer. */
    record Answer(int status, JsonObject body) {
    }

    private final ServerSocket listener;
    private final ExecutorService threads =
            Executors.newCachedThreadPool(StandInThreads.factory("swarm-remote-stand-in"));
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Handler handler;
    private volatile boolean closed;

    StandInServer(Handler handler) {
        this.handler = handler;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        threads.execute(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] requestLine = head.get(0).split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : head.subList(1, head.size())) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
            String path = requestLine.length > 1 ? requestLine[1] : "/";
            if ("websocket".equalsIgnoreCase(headers.get("upgrade")) && headers.containsKey("sec-websocket-key")) {
                WebSocketPeer peer = WebSocketPeer.accept(socket, in, headers.get("sec-websocket-key"));
                threads.execute(peer::readLoop);
                handler.converse(peer, Map.copyOf(headers), path);
                return;
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            Answer answer = handler.post(path, Map.copyOf(headers), StandInJson.parse(body));
            byte[] bytes = answer.body().toString().getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 " + answer.status() + (answer.status() == 200 ? " OK" : " Error")
                    + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // The client went away, or sent nonsense: nothing to answer.
        } finally {
            sockets.remove(socket);
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int total = 0;
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (++total > MAX_HEAD_BYTES) {
                throw new IOException("request head too large");
            }
            if (c == '\n') {
                String text = line.toString().replace("\r", "");
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        return List.of();
    }
}
