package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Text chunks of PNG files (PNG specification, 11.3.4): embedding one under a keyword, and reading them all back.
 * Latin-1 text goes into a {@code tEXt} chunk, any other text into an uncompressed UTF-8 {@code iTXt} chunk; reading
 * understands {@code tEXt}, {@code zTXt} and {@code iTXt} (compressed or not). The image data is never decoded or
 * changed: chunks are copied byte for byte.
 */
public final class PngText {
    /** Text chunks longer than this, or inflating to more, are skipped when reading (no decompression bombs). */
    static final int MAX_TEXT_BYTES = 16 * 1024 * 1024;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int CHUNK_OVERHEAD = 12;

    private PngText() {
    }

    /**
     * Reads every readable text chunk of a PNG.
     *
     * @param png the file's bytes
     * @return keyword to text, in file order; the first chunk of a keyword wins; chunks with a wrong CRC or a
     *     broken layout are skipped
     * @throws IllegalArgumentException when the bytes are not a PNG (signature, chunk layout, no {@code IEND})
     */
    public static Map<String, String> read(byte[] png) {
        try {
            return read(new ArraySource(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array source never fails
        }
    }

    /**
     * Returns a copy of a PNG with {@code text} stored under {@code keyword}, inserted just before {@code IEND};
     * text chunks that already hold that keyword are left out, so the keyword is there exactly once.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG, the keyword is not 1 to 79 printable Latin-1
     *     characters without leading, trailing or double spaces, or the text contains NUL
     */
    public static byte[] embed(byte[] png, String keyword, String text) {
        checkKeyword(keyword);
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("PNG text cannot contain NUL");
        }
        ArraySource source = new ArraySource(png);
        List<Chunk> chunks;
        try {
            chunks = chunks(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array source never fails
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + text.length() + 64);
        out.writeBytes(SIGNATURE);
        for (Chunk chunk : chunks) {
            if (chunk.type().equals("IEND")) {
                out.writeBytes(chunk(latin1Text(text) ? "tEXt" : "iTXt", textData(keyword, text)));
            } else if (chunk.isText() && keyword.equals(source.keyword(chunk))) {
                continue;
            }
            out.write(png, (int) chunk.offset(), CHUNK_OVERHEAD + chunk.length());
        }
        return out.toByteArray();
    }

    /** Reads the text chunks of a PNG file without reading its image data. */
    static Map<String, String> read(FileChannel file) throws IOException {
        return read(new FileSource(file));
    }

    private static Map<String, String> read(Source source) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Chunk chunk : chunks(source)) {
            if (chunk.isText() && chunk.length() <= MAX_TEXT_BYTES) {
                byte[] body = source.bytes(chunk.offset() + 4, chunk.length() + 8); // type, data, CRC
                CRC32 crc = new CRC32();
                crc.update(body, 0, body.length - 4);
                if ((int) crc.getValue() == ByteBuffer.wrap(body, body.length - 4, 4).getInt()) {
                    decode(chunk.type(), Arrays.copyOfRange(body, 4, body.length - 4), texts);
                }
            }
        }
        return texts;
    }

    private static void decode(String type, byte[] data, Map<String, String> texts) {
        int nul = indexOf(data, 0);
        if (nul < 1 || nul > 79) {
            return;
        }
        String keyword = new String(data, 0, nul, ISO_8859_1);
        String text = switch (type) {
            case "tEXt" -> new String(data, nul + 1, data.length - nul - 1, ISO_8859_1);
            case "zTXt" -> data.length > nul + 1 && data[nul + 1] == 0
                    ? latin1(inflate(Arrays.copyOfRange(data, nul + 2, data.length))) : null;
            default -> internationalText(data, nul + 1);
        };
        if (text != null) {
            texts.putIfAbsent(keyword, text);
        }
    }

    private static String internationalText(byte[] data, int start) {
        if (data.length < start + 2 || data[start + 1] != 0) {
            return null;
        }
        boolean compressed = data[start] == 1;
        int language = indexOf(data, start + 2);
        int translated = language < 0 ? -1 : indexOf(data, language + 1);
        if (translated < 0) {
            return null;
        }
        byte[] text = Arrays.copyOfRange(data, translated + 1, data.length);
        byte[] plain = compressed ? inflate(text) : text;
        return plain == null ? null : new String(plain, UTF_8);
    }

    private static String latin1(byte[] bytes) {
        return bytes == null ? null : new String(bytes, ISO_8859_1);
    }

    /** @return the inflated bytes, or null when they are broken or longer than {@link #MAX_TEXT_BYTES} */
    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_TEXT_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** Walks the chunk layout from the signature to {@code IEND}, checking every length against the size. */
    private static List<Chunk> chunks(Source source) throws IOException {
        long size = source.size();
        if (size < SIGNATURE.length + CHUNK_OVERHEAD || !Arrays.equals(source.bytes(0, 8), SIGNATURE)) {
            throw new IllegalArgumentException("not a PNG: the PNG signature is missing");
        }
        List<Chunk> chunks = new ArrayList<>();
        long position = SIGNATURE.length;
        while (chunks.isEmpty() || !chunks.get(chunks.size() - 1).type().equals("IEND")) {
            if (size - position < CHUNK_OVERHEAD) {
                throw new IllegalArgumentException("not a PNG: it ends before its IEND chunk");
            }
            ByteBuffer header = ByteBuffer.wrap(source.bytes(position, 8));
            long length = Integer.toUnsignedLong(header.getInt());
            String type = new String(header.array(), 4, 4, US_ASCII);
            if (!type.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                throw new IllegalArgumentException("not a PNG: a chunk at byte " + position + " has no valid type");
            }
            if (length > size - position - CHUNK_OVERHEAD || length > Integer.MAX_VALUE - CHUNK_OVERHEAD) {
                throw new IllegalArgumentException("not a PNG: the " + type + " chunk at byte " + position
                        + " is longer than the file");
            }
            if (chunks.isEmpty() && !type.equals("IHDR")) {
                throw new IllegalArgumentException("not a PNG: the first chunk is " + type + ", not IHDR");
            }
            chunks.add(new Chunk(position, (int) length, type));
            position += CHUNK_OVERHEAD + length;
        }
        return chunks;
    }

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_OVERHEAD + data.length);
        chunk.putInt(data.length).put(type.getBytes(US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        return chunk.array();
    }

    private static byte[] textData(String keyword, String text) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(keyword.getBytes(ISO_8859_1));
        data.write(0);
        if (latin1Text(text)) {
            data.writeBytes(text.getBytes(ISO_8859_1));
        } else {
            // Not compressed, compression method 0, no language tag, no translated keyword.
            data.writeBytes(new byte[] {0, 0, 0, 0});
            data.writeBytes(text.getBytes(UTF_8));
        }
        return data.toByteArray();
    }

    /** Whether tEXt can hold the text: printable Latin-1 and line feeds only (PNG 11.3.4.3). */
    private static boolean latin1Text(String text) {
        return text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff));
    }

    private static void checkKeyword(String keyword) {
        boolean printable = keyword.chars().allMatch(c -> (c >= 0x20 && c <= 0x7e) || (c >= 0xa1 && c <= 0xff));
        if (keyword.isEmpty() || keyword.length() > 79 || !printable || keyword.startsWith(" ")
                || keyword.endsWith(" ") || keyword.contains("  ")) {
            throw new IllegalArgumentException("Not a valid PNG text keyword: " + keyword);
        }
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private record Chunk(long offset, int length, String type) {
        boolean isText() {
            return type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt");
        }
    }

    /** Random access to the file's bytes, so the gallery reads a PNG's chunk headers without its image data. */
    private interface Source {
        long size() throws IOException;

        byte[] bytes(long position, int length) throws IOException;

        /** @return the keyword of a text chunk, or null when it has none */
        default String keyword(Chunk chunk) {
            try {
                byte[] start = bytes(chunk.offset() + 8, Math.min(chunk.length(), 80));
                int nul = indexOf(start, 0);
                return nul < 1 ? null : new String(start, 0, nul, ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record ArraySource(byte[] png) implements Source {
        @Override
        public long size() {
            return png.length;
        }

        @Override
        public byte[] bytes(long position, int length) {
            return Arrays.copyOfRange(png, (int) position, (int) position + length);
        }
    }

    private record FileSource(FileChannel file) implements Source {
        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public byte[] bytes(long position, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (file.read(buffer, position + buffer.position()) < 0) {
                    throw new EOFException("the file ended at byte " + (position + buffer.position()));
                }
            }
            return buffer.array();
        }
    }
}
