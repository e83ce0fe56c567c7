package dev.switchboard.examples.autowebui;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The media type of an image SD-WebUI sent: PNG, JPEG or WebP, as its {@code samples_format} option says. */
final class MediaTypes {
    private MediaTypes() {
    }

    static Optional<String> of(byte[] image) {
        if (image.length >= 8 && (image[0] & 0xff) == 0x89 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G') {
            return Optional.of("image/png");
        }
        if (image.length >= 3 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8 && (image[2] & 0xff) == 0xff) {
            return Optional.of("image/jpeg");
        }
        if (image.length >= 12 && new String(image, 0, 4, StandardCharsets.US_ASCII).equals("RIFF")
                && new String(image, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }
}
