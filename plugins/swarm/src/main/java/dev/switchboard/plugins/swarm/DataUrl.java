package dev.switchboard.plugins.swarm;

import java.util.Base64;
import java.util.Optional;

/**
 * A {@code data:<media type>;base64,<payload>} URL, as Swarm servers answer images with {@code donotsave}: the media
 * type is what follows {@code data:} up to {@code ;base64,} (SwarmUI's master reads it the same way).
 *
 * @param mediaType e.g. {@code image/png}
 * @param bytes the decoded payload
 */
record DataUrl(String mediaType, byte[] bytes) {
    private static final String PREFIX = "data:";
    private static final String BASE64 = ";base64,";

    /** @return the decoded URL, or empty when {@code text} is not a base64 data URL with a media type */
    static Optional<DataUrl> parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int marker = text.indexOf(BASE64);
        if (marker <= PREFIX.length()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DataUrl(text.substring(PREFIX.length(), marker),
                    Base64.getMimeDecoder().decode(text.substring(marker + BASE64.length()))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
