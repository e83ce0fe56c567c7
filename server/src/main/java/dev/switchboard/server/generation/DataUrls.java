package dev.switchboard.server.generation;

import java.util.Base64;

/** Images as {@code data:} URLs, the form {@code donotsave} answers and previews use. */
public final class DataUrls {
    private DataUrls() {
    }

    /** @return {@code data:<mediaType>;base64,<bytes>} */
    public static String of(byte[] data, String mediaType) {
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(data);
    }
}
