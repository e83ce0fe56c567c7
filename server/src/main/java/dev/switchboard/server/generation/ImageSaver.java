package dev.switchboard.server.generation;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/** Saves one generated image for a user and says where clients fetch it. */
@FunctionalInterface
public interface ImageSaver {
    /**
     * @param userId the user the output belongs to
     * @param image the encoded image
     * @param mediaType its media type
     * @param requestTime when the request came (the output path's date and minute)
     * @param parameters the parameters it was made with, embedded where the format allows
     * @return the path clients fetch it from, e.g. {@code View/local/raw/2026-12-06/0102003-a cat-base.png}
     * @throws IOException when it could not be written (nothing is left behind)
     */
    String save(String userId, byte[] image, String mediaType, Instant requestTime, Map<String, Object> parameters)
            throws IOException;
}
