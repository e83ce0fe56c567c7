package dev.switchboard.testkit.swarm;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one WebSocket (RFC 6455) on a socket whose upgrade request was read: answers the handshake,
 * reads the client's frames on the caller-supplied reading thread (text messages queued, pings answered with pongs
 * unless told otherwise, a close answered and recorded), and writes unmasked frames. Small on purpose: the stand-in
 * needs no extensions, no fragmentation on send, and messages of a few megabytes at most.
 */
final class WebSocketPeer {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean answerPings = true;
    private volatile boolean closeReceived;
    private volatile boolean closeSent;

    private WebSocketPeer(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(in);
        this.out = socket.getOutputStream();
    }

    /**
     * Answers the upgrade with {@code 101 Switching Protocols}.
     *
     * @param key the request's {@code Sec-WebSocket-Key}
     * @param in the socket's input, positioned after the request head
     */
    static WebSocketPeer accept(Socket socket, InputStream in, String key) throws IOException {
        WebSocketPeer peer = new WebSocketPeer(socket, in);
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n";
        synchronized (peer.out) {
            peer.out.write(head.getBytes(StandardCharsets.US_ASCII));
            peer.out.flush();
        }
        return peer;
    }

    /** Reads frames until the connection ends; run on a thread of its own. */
    void readLoop() {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                int opcode = first & 0x0f;
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                if (length > MAX_FRAME_BYTES) {
                    throw new IOException("frame of " + length + " bytes");
                }
                byte[] mask = new byte[4];
                if ((second & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                switch (opcode) {
                    case 0x0, 0x1, 0x2 -> {
                        message.write(payload);
                        if ((first & 0x80) != 0) {
                            texts.add(message.toString(StandardCharsets.UTF_8));
                            message.reset();
                        }
                    }
                    case 0x8 -> {
                        closeReceived = true;
                        if (!closeSent) {
                            sendFrame(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                        }
                        return;
                    }
                    case 0x9 -> {
                        if (answerPings) {
                            sendFrame(0xA, payload);
                        }
                    }
                    default -> {
                        // Pongs and anything else: nothing to do.
                    }
                }
            }
        } catch (EOFException e) {
            // The client hung up.
        } catch (IOException e) {
            // Dropped, or closed by this side.
        } finally {
            ended.countDown();
            drop();
        }
    }

    /** @return the next whole text message, or null when none came within {@code timeout} */
    String receive(Duration timeout) throws InterruptedException {
        return texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether pings get pongs (a remote that hangs answers nothing at all). */
    void answerPings(boolean answer) {
        answerPings = answer;
    }

    /** Sends one text message; false when the connection is gone. */
    boolean send(String text) {
        return sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a close frame with a status code (the client answers and the connection ends). */
    void close(int code) {
        closeSent = true;
        sendFrame(0x8, new byte[] {(byte) (code >> 8), (byte) code});
    }

    /** Drops the TCP connection without a close frame. */
    void drop() {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    /** @return whether the client sent a close frame */
    boolean closedByClient() {
        return closeReceived;
    }

    /** @return whether the connection ended (either side) within {@code timeout} */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return whether the connection has ended */
    boolean ended() {
        return ended.getCount() == 0;
    }

    private boolean sendFrame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length < 65536) {
            frame.write(126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        frame.writeBytes(payload);
        try {
            synchronized (out) {
                out.write(frame.toByteArray());
                out.flush();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String acceptKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key.trim() + GUID)
                    .getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this Java runtime", e);
        }
    }
}
