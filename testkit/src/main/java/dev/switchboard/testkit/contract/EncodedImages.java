package dev.switchboard.testkit.contract;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;

/** Checks that an image's bytes are what its media type says, and (where the JDK can decode it) its size. */
final class EncodedImages {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] GIF = "GIF8".getBytes(StandardCharsets.US_ASCII);

    private EncodedImages() {
    }

    /**
     * Says what is wrong with an image, if anything.
     *
     * @param what names the image in the message, e.g. {@code image 2}
     * @param data the bytes the generator delivered
     * @param mediaType the media type it gave
     * @param width the width it must have, or 0 to not check the size
     * @param height the height it must have, or 0 to not check the size
     * @return the problem, or empty when the bytes decode as the media type says (with the size asked for)
     */
    static Optional<String> problem(String what, byte[] data, String mediaType, int width, int height) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        if (type.equals("image/webp")) {
            // The JDK has no WebP decoder: the RIFF container's signature is what can be checked.
            boolean webp = data.length >= 12 && startsWith(data, "RIFF".getBytes(StandardCharsets.US_ASCII))
                    && new String(data, 8, 4, StandardCharsets.US_ASCII).equals("WEBP");
            return webp ? Optional.empty() : Optional.of(what + " is said to be image/webp but is no WebP file");
        }
        byte[] signature = switch (type) {
            case "image/png" -> PNG;
            case "image/jpeg" -> JPEG;
            case "image/gif" -> GIF;
            default -> null;
        };
        if (signature == null) {
            return Optional.of(what + " has the media type '" + mediaType + "'; use image/png, image/jpeg, image/webp"
                    + " or image/gif");
        }
        if (!startsWith(data, signature)) {
            return Optional.of(what + " is said to be " + mediaType + " but its bytes do not start like one ("
                    + data.length + " bytes)");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            return Optional.of(what + " (" + mediaType + ") does not decode: " + e);
        }
        if (image == null) {
            return Optional.of(what + " (" + mediaType + ") does not decode");
        }
        if (width > 0 && (image.getWidth() != width || image.getHeight() != height)) {
            return Optional.of(what + " is " + image.getWidth() + "x" + image.getHeight() + ", but " + width + "x"
                    + height + " was asked for");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
