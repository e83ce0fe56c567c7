package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer's JSON text as UTF-8 bytes, held in blocks of at most {@value #BLOCK_BYTES} bytes that are sent
 * one after another: a ten-megabyte ListBackends answer is then never one huge array (which the garbage
 * collector places in the old generation and makes the heap grow). Immutable once built.
 */
public final class JsonText {
    static final int BLOCK_BYTES = 64 * 1024;

    private final List<byte[]> blocks;
    private final int lastBlockLength;
    private final int length;

    private JsonText(List<byte[]> blocks, int lastBlockLength, int length) {
        this.blocks = blocks;
        this.lastBlockLength = lastBlockLength;
        this.length = length;
    }

    /**
     * @param json JSON text
     * @return it as UTF-8
     */
    public static JsonText of(String json) {
        byte[] bytes = requireNonNull(json, "json is null").getBytes(StandardCharsets.UTF_8);
        return new JsonText(List.of(bytes), bytes.length, bytes.length);
    }

    /**
     * Joins small parts into one block (an answer of a few hundred bytes goes out best as one buffer).
     *
     * @param utf8Parts bytes of UTF-8 text, in order
     * @return the joined text
     */
    public static JsonText ofParts(byte[]... utf8Parts) {
        int length = 0;
        for (byte[] part : utf8Parts) {
            length += part.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] part : utf8Parts) {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return new JsonText(List.of(joined), length, length);
    }

    /** @return a builder that appends UTF-8 bytes */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the number of bytes */
    public int length() {
        return length;
    }

    /** @return the bytes as buffers to send in order, each reading from the start of its block */
    ByteBuffer[] buffers() {
        ByteBuffer[] buffers = new ByteBuffer[blocks.size()];
        for (int i = 0; i < buffers.length; i++) {
            byte[] block = blocks.get(i);
            buffers[i] = ByteBuffer.wrap(block, 0, i == buffers.length - 1 ? lastBlockLength : block.length);
        }
        return buffers;
    }

    /** @return the text (joined; for small answers and tests) */
    @Override
    public String toString() {
        byte[] all = new byte[length];
        int at = 0;
        for (ByteBuffer buffer : buffers()) {
            int count = buffer.remaining();
            buffer.get(all, at, count);
            at += count;
        }
        return new String(all, StandardCharsets.UTF_8);
    }

    /** Appends UTF-8 bytes into fixed-size blocks. Not thread-safe. */
    public static final class Builder {
        private final List<byte[]> blocks = new ArrayList<>();
        private byte[] block = new byte[BLOCK_BYTES];
        private int used;
        private int length;

        private Builder() {
        }

        /**
         * @param utf8 bytes of UTF-8 text
         * @return this builder
         */
        public Builder append(byte[] utf8) {
            int offset = 0;
            while (offset < utf8.length) {
                if (used == block.length) {
                    blocks.add(block);
                    block = new byte[BLOCK_BYTES];
                    used = 0;
                }
                int count = Math.min(utf8.length - offset, block.length - used);
                System.arraycopy(utf8, offset, block, used, count);
                used += count;
                offset += count;
            }
            length += utf8.length;
            return this;
        }

        /**
         * @param ascii text of ASCII characters only (digits, punctuation, plain words)
         * @return this builder
         */
        public Builder appendAscii(String ascii) {
            return append(ascii.getBytes(StandardCharsets.US_ASCII));
        }

        /** @return the text; the builder must not be used afterwards */
        public JsonText build() {
            List<byte[]> all = new ArrayList<>(blocks);
            all.add(block);
            return new JsonText(List.copyOf(all), used, length);
        }
    }
}
