package dev.switchboard.server.http;

import com.google.gson.JsonObject;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ApiSocket} over an Undertow WebSocket channel: one message in flight at a time, the rest queued in
 * order; droppable messages are dropped while the queue is long; a close waits for the queue to drain, then sends
 * a normal close frame.
 */
final class UndertowApiSocket implements ApiSocket {
    private static final Logger LOG = LoggerFactory.getLogger(UndertowApiSocket.class);
    /** Droppable messages are dropped while this many wait (a client that reads slower than previews come). */
    private static final int DROPPABLE_BACKLOG = 16;

    private final WebSocketChannel channel;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final List<Runnable> closeTasks = new ArrayList<>();
    private boolean sending;
    private boolean closeRequested;
    private boolean closed;

    UndertowApiSocket(WebSocketChannel channel) {
        this.channel = channel;
        channel.addCloseTask(ignored -> closedByEither());
    }

    @Override
    public void send(JsonObject message) {
        enqueue(ApiJson.write(message), false);
    }

    @Override
    public void sendDroppable(JsonObject message) {
        enqueue(ApiJson.write(message), true);
    }

    /** Sends an envelope error as one message; the caller closes afterwards. */
    void sendRaw(String json) {
        enqueue(json, false);
    }

    private void enqueue(String text, boolean droppable) {
        synchronized (this) {
            if (closed || closeRequested || (droppable && queue.size() >= DROPPABLE_BACKLOG)) {
                return;
            }
            queue.add(text);
            if (sending) {
                return;
            }
            sending = true;
        }
        sendNext();
    }

    private void sendNext() {
        String next;
        synchronized (this) {
            next = closed ? null : queue.poll();
            if (next == null) {
                sending = false;
                if (closeRequested && !closed) {
                    sendCloseFrame();
                }
                return;
            }
        }
        WebSockets.sendText(next, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel socket, Void context) {
                sendNext();
            }

            @Override
            public void onError(WebSocketChannel socket, Void context, Throwable error) {
                LOG.debug("Could not send to a WebSocket client: {}", error.toString());
                closeQuietly();
            }
        });
    }

    /** Closes normally once every queued message is out. */
    void close() {
        synchronized (this) {
            if (closeRequested || closed) {
                return;
            }
            closeRequested = true;
            if (sending) {
                return;
            }
            sending = true;
        }
        sendNext();
    }

    private void sendCloseFrame() {
        WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, null, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel socket, Void context) {
                // The client answers with its own close frame; Undertow then closes the connection.
            }

            @Override
            public void onError(WebSocketChannel socket, Void context, Throwable error) {
                closeQuietly();
            }
        });
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing a WebSocket failed: {}", e.toString());
        }
        closedByEither();
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed && channel.isOpen() && !channel.isCloseFrameReceived();
    }

    @Override
    public void onClose(Runnable task) {
        synchronized (this) {
            if (!closed) {
                closeTasks.add(task);
                return;
            }
        }
        task.run();
    }

    private void closedByEither() {
        List<Runnable> tasks;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            tasks = List.copyOf(closeTasks);
            closeTasks.clear();
        }
        for (Runnable task : tasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("A WebSocket close task failed", e);
            }
        }
    }
}
