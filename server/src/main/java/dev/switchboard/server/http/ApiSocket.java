package dev.switchboard.server.http;

import com.google.gson.JsonObject;

/**
 * The client side of a WebSocket route's conversation, as the route sees it: JSON text messages out, in the order
 * sent, and word when the client goes away. Sending never blocks: messages queue and go out as the client reads
 * them. Thread-safe.
 */
public interface ApiSocket {
    /**
     * Sends one JSON text message.
     *
     * @param message the object to send
     */
    void send(JsonObject message);

    /**
     * Sends a message that may be dropped when the client is far behind (a progress update or preview that a
     * later one replaces), so a slow reader cannot make the server hold an unbounded backlog.
     *
     * @param message the object to send
     */
    void sendDroppable(JsonObject message);

    /** @return false once the client closed the socket or the connection was lost */
    boolean isOpen();

    /**
     * Runs {@code task} when the socket closes for any reason (at once when it already has); the route's way to
     * stop work nobody waits for any more.
     *
     * @param task what to run, quickly, on an I/O thread
     */
    void onClose(Runnable task);
}
