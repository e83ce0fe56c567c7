package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.xnio.IoUtils;

/**
 * The WebSockets clients opened on {@code /ws?clientId=<id>}, as ComfyUI keeps them: messages for one client go
 * to every socket opened with its id, {@code status} goes to everyone. A new socket first gets a {@code status}
 * carrying its {@code sid}. Text messages clients send are recorded. Thread-safe.
 */
final class ClientSockets implements WebSocketConnectionCallback {
    private final Map<String, Set<WebSocketChannel>> byClient = new ConcurrentHashMap<>();
    private final List<SocketMessage> received = new ArrayList<>();
    private final IntSupplier queueRemaining;

    /**
     * @param queueRemaining how many prompts are queued or running, for the {@code status} a new socket gets
     */
    ClientSockets(IntSupplier queueRemaining) {
        this.queueRemaining = requireNonNull(queueRemaining, "queueRemaining is null");
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        List<String> ids = exchange.getRequestParameters().get("clientId");
        // ComfyUI makes up an id for a socket opened without one.
        String clientId = ids == null || ids.isEmpty() || ids.get(0).isEmpty()
                ? UUID.randomUUID().toString().replace("-", "") : ids.get(0);
        byClient.computeIfAbsent(clientId, id -> ConcurrentHashMap.newKeySet()).add(channel);
        channel.addCloseTask(closed -> forget(clientId, closed));
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel from, BufferedTextMessage message) {
                synchronized (received) {
                    received.add(new SocketMessage(clientId, message.getData()));
                }
            }
        });
        channel.resumeReceives();
        JsonObject data = StandInMessages.status(queueRemaining.getAsInt());
        data.addProperty("sid", clientId);
        WebSockets.sendText(StandInMessages.message("status", data), channel, null);
    }

    /** Sends a text message to every socket of one client; a socket that is gone is skipped. */
    void sendText(String clientId, String text) {
        for (WebSocketChannel channel : channels(clientId)) {
            try {
                WebSockets.sendTextBlocking(text, channel);
            } catch (IOException e) {
                cut(channel);
            }
        }
    }

    /** Sends a binary message to every socket of one client; a socket that is gone is skipped. */
    void sendBinary(String clientId, byte[] data) {
        for (WebSocketChannel channel : channels(clientId)) {
            try {
                WebSockets.sendBinaryBlocking(ByteBuffer.wrap(data), channel);
            } catch (IOException e) {
                cut(channel);
            }
        }
    }

    /** Sends a text message to every open socket. */
    void broadcast(String text) {
        byClient.keySet().forEach(clientId -> sendText(clientId, text));
    }

    /** Cuts every socket without a close frame, as a ComfyUI that dies or a broken network would. */
    void dropAll() {
        byClient.values().forEach(channels -> channels.forEach(ClientSockets::cut));
    }

    /** Closes a socket's connection on its I/O thread, as Undertow closes its own, so it never races that thread. */
    private static void cut(WebSocketChannel channel) {
        channel.getIoThread().execute(() -> IoUtils.safeClose(channel));
    }

    /** @return how many sockets are open */
    int open() {
        return byClient.values().stream().mapToInt(Set::size).sum();
    }

    /** @return the text messages clients sent, in arrival order */
    List<SocketMessage> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    void clearReceived() {
        synchronized (received) {
            received.clear();
        }
    }

    private List<WebSocketChannel> channels(String clientId) {
        Set<WebSocketChannel> channels = byClient.get(clientId);
        return channels == null ? List.of() : new ArrayList<>(channels);
    }

    private void forget(String clientId, WebSocketChannel channel) {
        byClient.computeIfPresent(clientId, (id, channels) -> {
            channels.remove(channel);
            return channels.isEmpty() ? null : channels;
        });
    }
}
