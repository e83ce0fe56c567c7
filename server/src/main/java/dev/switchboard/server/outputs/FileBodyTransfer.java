package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpServerExchange;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends a part of a file as the response body, a chunk at a time, without holding the file in memory and without
 * waiting on any thread: chunks are read and written on worker threads, and when the client cannot take more the
 * transfer stops and resumes, on a worker again, once the socket is writable. The IO thread only hands that event
 * over. The file is closed by whoever ends the exchange.
 *
 * <p>Undertow's own {@code transferFrom(FileChannel, position, count)} is not used: before the response head is
 * written it reads from the channel's current position and a whole buffer, whatever position and count say.
 */
final class FileBodyTransfer implements Runnable, ChannelListener<StreamSinkChannel> {
    static final int CHUNK_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FileBodyTransfer.class);

    private final HttpServerExchange exchange;
    private final FileChannel file;
    private final long end;
    private final ByteBuffer chunk;
    private long position;
    private StreamSinkChannel sink;

    /** Sends bytes {@code first} (included) to {@code end} (excluded) of {@code file}. */
    FileBodyTransfer(HttpServerExchange exchange, FileChannel file, long first, long end) {
        this.exchange = requireNonNull(exchange, "exchange is null");
        this.file = requireNonNull(file, "file is null");
        this.position = first;
        this.end = end;
        this.chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(0, end - first)));
        chunk.flip(); // empty: the first chunk is read on the first run
    }

    /** Sends as much as the socket takes now; call on a worker thread. */
    @Override
    public void run() {
        try {
            if (sink == null) {
                sink = exchange.getResponseChannel();
            }
            while (chunk.hasRemaining() || position < end) {
                if (!chunk.hasRemaining()) {
                    readChunk();
                }
                if (sink.write(chunk) == 0 && chunk.hasRemaining()) {
                    sink.getWriteSetter().set(this);
                    sink.resumeWrites();
                    return;
                }
            }
            exchange.endExchange();
        } catch (IOException e) {
            // The status line is gone; all that is left is to stop, so the client sees a short body.
            LOG.debug("Sending {} stopped: {}", exchange.getRequestPath(), e.toString());
            IoUtils.safeClose(file);
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** The socket can take more (IO thread): continue on a worker. */
    @Override
    public void handleEvent(StreamSinkChannel channel) {
        channel.suspendWrites();
        channel.getWriteSetter().set(null);
        exchange.dispatch(this);
    }

    private void readChunk() throws IOException {
        chunk.clear();
        chunk.limit((int) Math.min(chunk.capacity(), end - position));
        while (chunk.hasRemaining()) {
            int read = file.read(chunk, position);
            if (read < 0) {
                throw new EOFException("the file ended at byte " + position + " while it was sent");
            }
            position += read;
        }
        chunk.flip();
    }
}
