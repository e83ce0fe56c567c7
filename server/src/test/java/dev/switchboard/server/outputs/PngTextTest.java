package dev.switchboard.server.outputs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

/** PNG text chunks, checked against the JDK's own PNG reader and writer. */
final class PngTextTest {
    private static final String IMAGE_METADATA = "javax_imageio_png_1.0";

    @Test
    void latin1TextGoesIntoATextChunkThatImageIoReadsAndTheImageStillDecodes() throws Exception {
        byte[] png = TestImages.png(20, 10);
        String json = "{\"sui_image_params\":{\"prompt\":\"caf\u00e9 \\\"cat\\\"\",\"seed\":42}}";
        byte[] embedded = PngText.embed(png, "parameters", json);

        assertThat(chunkTypes(embedded)).containsExactlyElementsOf(insertBeforeEnd(chunkTypes(png), "tEXt"));
        assertThat(PngText.read(embedded)).containsEntry("parameters", json);
        assertThat(imageIoTexts(embedded, "tEXt", "value")).containsExactly(Map.entry("parameters", json));
        BufferedImage decoded = TestImages.decode(embedded);
        assertThat(decoded.getWidth()).isEqualTo(20);
        assertThat(decoded.getRGB(19, 9)).isEqualTo(TestImages.decode(png).getRGB(19, 9));
        assertCrcsAreRight(embedded);
    }

    @Test
    void otherTextGoesIntoAnInternationalTextChunk() throws Exception {
        byte[] png = TestImages.png(4, 4);
        String json = "{\"prompt\":\"日本語の猫 🐱, \u0152uvre\"}";
        byte[] embedded = PngText.embed(png, "parameters", json);
        assertThat(chunkTypes(embedded)).containsExactlyElementsOf(insertBeforeEnd(chunkTypes(png), "iTXt"));
        assertThat(PngText.read(embedded)).containsExactly(Map.entry("parameters", json));
        assertThat(imageIoTexts(embedded, "iTXt", "text")).containsExactly(Map.entry("parameters", json));
        assertCrcsAreRight(embedded);
    }

    @Test
    void embeddingAgainReplacesTheKeywordAndKeepsEveryOtherChunkAsItWas() throws Exception {
        byte[] png = withImageIoTexts(List.of(
                new Text("tEXt", "prompt", "{\"3\": {\"class_type\": \"KSampler\"}}", false),
                new Text("tEXt", "parameters", "steps: 20, sampler: euler (SD-WebUI style)", false)));
        byte[] once = PngText.embed(png, "parameters", "{\"a\":1}");
        byte[] twice = PngText.embed(once, "parameters", "{\"b\":\"\u4e8c\"}");
        assertThat(PngText.read(twice)).containsExactly(Map.entry("prompt", "{\"3\": {\"class_type\": \"KSampler\"}}"),
                Map.entry("parameters", "{\"b\":\"\u4e8c\"}"));
        assertThat(chunkTypes(twice).stream().filter(type -> type.endsWith("Xt"))).hasSize(2);
        // The image chunks are copied byte for byte.
        assertThat(chunkBytes(twice, "IDAT")).isEqualTo(chunkBytes(png, "IDAT"));
        assertThat(chunkBytes(twice, "IHDR")).isEqualTo(chunkBytes(png, "IHDR"));
        TestImages.decode(twice);
    }

    @Test
    void readsTextZtxtAndCompressedOrPlainItxtAsImageIoWritesThem() throws Exception {
        String big = "x".repeat(5000) + " end";
        byte[] png = withImageIoTexts(List.of(
                new Text("tEXt", "Title", "plain latin-1 \u00e9", false),
                new Text("zTXt", "Comment", big, true),
                new Text("iTXt", "Author", "\u4f5c\u8005 compressed " + big, true),
                new Text("iTXt", "Description", "\u8aac\u660e plain", false)));
        Map<String, String> texts = PngText.read(png);
        assertThat(texts).containsEntry("Title", "plain latin-1 \u00e9").containsEntry("Comment", big)
                .containsEntry("Author", "\u4f5c\u8005 compressed " + big)
                .containsEntry("Description", "\u8aac\u660e plain").hasSize(4);
    }

    @Test
    void theFileReaderReadsWhatTheByteReaderReads(@TempDir Path folder) throws Exception {
        byte[] embedded = PngText.embed(TestImages.png(300, 200), "parameters", "{\"seed\":1}");
        Path file = Files.write(folder.resolve("x.png"), embedded);
        try (FileChannel channel = FileChannel.open(file)) {
            assertThat(PngText.read(channel)).isEqualTo(PngText.read(embedded)).containsKey("parameters");
        }
    }

    @Test
    void aTextChunkWithAWrongCrcOrABrokenLayoutIsSkipped() {
        byte[] embedded = PngText.embed(TestImages.png(4, 4), "parameters", "{\"seed\":1}");
        byte[] corrupt = embedded.clone();
        int data = indexOf(corrupt, "tEXt".getBytes(US_ASCII)) + 4;
        corrupt[data + "parameters".length() + 3] ^= 1;
        assertThat(PngText.read(corrupt)).isEmpty();
        byte[] noSeparator = PngText.embed(TestImages.png(4, 4), "k", "v");
        int text = indexOf(noSeparator, "tEXt".getBytes(US_ASCII)) + 4;
        noSeparator[text + 1] = 'x'; // the NUL after the keyword
        fixCrc(noSeparator, text - 8);
        assertThat(PngText.read(noSeparator)).isEmpty();
    }

    @Test
    void aCompressedTextThatInflatesBeyondTheLimitIsSkipped() {
        byte[] bomb = new byte[PngText.MAX_TEXT_BYTES + 1024];
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(bomb);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        ByteArrayOutputStream chunkData = new ByteArrayOutputStream();
        chunkData.writeBytes("bomb".getBytes(US_ASCII));
        chunkData.write(0);
        chunkData.write(0);
        chunkData.writeBytes(compressed.toByteArray());
        byte[] png = insertChunk(PngText.embed(TestImages.png(4, 4), "ok", "fine"), "zTXt", chunkData.toByteArray());
        assertThat(PngText.read(png)).containsExactly(Map.entry("ok", "fine"));
    }

    @Test
    void bytesThatAreNotAPngAreRefused() {
        byte[] png = TestImages.png(4, 4);
        assertThatThrownBy(() -> PngText.read(TestImages.jpeg(4, 4))).hasMessage(
                "not a PNG: the PNG signature is missing");
        assertThatThrownBy(() -> PngText.embed(new byte[3], "k", "v")).hasMessage(
                "not a PNG: the PNG signature is missing");
        assertThatThrownBy(() -> PngText.read(Arrays.copyOf(png, png.length - 12))).hasMessage(
                "not a PNG: it ends before its IEND chunk");
        byte[] longChunk = png.clone();
        longChunk[8] = 0x7f; // IHDR's length
        assertThatThrownBy(() -> PngText.read(longChunk)).hasMessage(
                "not a PNG: the IHDR chunk at byte 8 is longer than the file");
        byte[] noHeader = png.clone();
        noHeader[12] = 'X';
        assertThatThrownBy(() -> PngText.embed(noHeader, "k", "v")).hasMessage(
                "not a PNG: the first chunk is XHDR, not IHDR");
        byte[] badType = png.clone();
        badType[13] = '1';
        assertThatThrownBy(() -> PngText.read(badType)).hasMessage("not a PNG: a chunk at byte 8 has no valid type");
    }

    @Test
    void keywordsAndTextsThePngFormatForbidsAreRefused() {
        byte[] png = TestImages.png(4, 4);
        for (String keyword : new String[] {"", " lead", "trail ", "two  spaces", "k".repeat(80), "nul\u0000",
            "\u4e2d"}) {
            assertThatThrownBy(() -> PngText.embed(png, keyword, "v")).as(keyword)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> PngText.embed(png, "k", "a\u0000b")).hasMessage("PNG text cannot contain NUL");
    }

    @Test
    void bytesAfterTheEndChunkAreDropped() {
        byte[] png = TestImages.png(4, 4);
        byte[] trailing = Arrays.copyOf(png, png.length + 5);
        byte[] embedded = PngText.embed(trailing, "k", "v");
        assertThat(embedded.length).isEqualTo(png.length + 12 + 3);
        assertThat(Arrays.copyOfRange(embedded, embedded.length - 12, embedded.length))
                .isEqualTo(Arrays.copyOfRange(png, png.length - 12, png.length));
    }

    record Text(String type, String keyword, String value, boolean compressed) {
    }

    /** A PNG the JDK's writer made with the given text chunks. */
    static byte[] withImageIoTexts(List<Text> texts) throws Exception {
        BufferedImage image = TestImages.picture(6, 6, BufferedImage.TYPE_INT_RGB);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
        IIOMetadataNode root = new IIOMetadataNode(IMAGE_METADATA);
        for (Text text : texts) {
            IIOMetadataNode group = new IIOMetadataNode(text.type());
            IIOMetadataNode entry = new IIOMetadataNode(text.type() + "Entry");
            entry.setAttribute("keyword", text.keyword());
            switch (text.type()) {
                case "tEXt" -> entry.setAttribute("value", text.value());
                case "zTXt" -> {
                    entry.setAttribute("text", text.value());
                    entry.setAttribute("compressionMethod", "deflate");
                }
                default -> {
                    entry.setAttribute("compressionFlag", text.compressed() ? "TRUE" : "FALSE");
                    entry.setAttribute("compressionMethod", "0");
                    entry.setAttribute("languageTag", "");
                    entry.setAttribute("translatedKeyword", "");
                    entry.setAttribute("text", text.value());
                }
            }
            group.appendChild(entry);
            root.appendChild(group);
        }
        metadata.mergeTree(IMAGE_METADATA, root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The text entries of one chunk type as the JDK's PNG reader sees them. */
    static Map<String, String> imageIoTexts(byte[] png, String type, String valueAttribute) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try {
            reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(png)));
            Node root = reader.getImageMetadata(0).getAsTree(IMAGE_METADATA);
            Map<String, String> texts = new LinkedHashMap<>();
            for (Node group = root.getFirstChild(); group != null; group = group.getNextSibling()) {
                if (group.getNodeName().equals(type)) {
                    for (Node entry = group.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        texts.put(((IIOMetadataNode) entry).getAttribute("keyword"),
                                ((IIOMetadataNode) entry).getAttribute(valueAttribute));
                    }
                }
            }
            return texts;
        } finally {
            reader.dispose();
        }
    }

    static List<String> chunkTypes(byte[] png) {
        List<String> types = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(png);
        int position = 8;
        while (position + 8 <= png.length) {
            int length = buffer.getInt(position);
            types.add(new String(png, position + 4, 4, US_ASCII));
            position += 12 + length;
        }
        return types;
    }

    private static List<String> insertBeforeEnd(List<String> types, String type) {
        List<String> expected = new ArrayList<>(types);
        expected.add(expected.size() - 1, type);
        return expected;
    }

    private static byte[] chunkBytes(byte[] png, String type) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.wrap(png);
        int position = 8;
        while (position + 8 <= png.length) {
            int length = buffer.getInt(position);
            if (new String(png, position + 4, 4, US_ASCII).equals(type)) {
                all.write(png, position, length + 12);
            }
            position += 12 + length;
        }
        return all.toByteArray();
    }

    private static void assertCrcsAreRight(byte[] png) {
        ByteBuffer buffer = ByteBuffer.wrap(png);
        int position = 8;
        while (position + 8 <= png.length) {
            int length = buffer.getInt(position);
            CRC32 crc = new CRC32();
            crc.update(png, position + 4, length + 4);
            assertThat(buffer.getInt(position + 8 + length)).as(new String(png, position + 4, 4, ISO_8859_1))
                    .isEqualTo((int) crc.getValue());
            position += 12 + length;
        }
    }

    private static void fixCrc(byte[] png, int chunk) {
        ByteBuffer buffer = ByteBuffer.wrap(png);
        int length = buffer.getInt(chunk);
        CRC32 crc = new CRC32();
        crc.update(png, chunk + 4, length + 4);
        buffer.putInt(chunk + 8 + length, (int) crc.getValue());
    }

    /** Inserts a chunk (with its CRC) just before IEND. */
    private static byte[] insertChunk(byte[] png, String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put(type.getBytes(US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, png.length - 12);
        out.writeBytes(chunk.array());
        out.write(png, png.length - 12, 12);
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
