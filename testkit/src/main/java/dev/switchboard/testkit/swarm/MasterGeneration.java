package dev.switchboard.testkit.swarm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one generation a simulated master sent a child ended with: the request it sent, every message that came (in
 * order), the images decoded from their data URLs, the parameters {@code raw_swarm_data} said were used, and the
 * error the master's user would see, if any.
 *
 * @since 1.0
 */
public final class MasterGeneration {
    private final JsonObject request;
    private final List<JsonObject> messages;
    private final List<Image> images;
    private final Set<String> paramsUsed;
    private final String error;
    private final int closeCode;
    private final int interruptCalls;
    private final Duration interruptToEnd;
    private final Duration longestGap;
    private final boolean sessionRefused;

    /**
     * One image that came back.
     *
     * @param mediaType what followed {@code data:} in its URL, e.g. {@code image/png}
     * @param bytes the decoded file
     */
    public record Image(String mediaType, byte[] bytes) {
    }

    MasterGeneration(JsonObject request, List<JsonObject> messages, List<Image> images, Set<String> paramsUsed,
                     String error, int closeCode, int interruptCalls, Duration interruptToEnd, Duration longestGap,
                     boolean sessionRefused) {
        this.request = request;
        this.messages = List.copyOf(messages);
        this.images = List.copyOf(images);
        this.paramsUsed = Set.copyOf(paramsUsed);
        this.error = error;
        this.closeCode = closeCode;
        this.interruptCalls = interruptCalls;
        this.interruptToEnd = interruptToEnd;
        this.longestGap = longestGap;
        this.sessionRefused = sessionRefused;
    }

    static MasterGeneration refused(String error) {
        return new MasterGeneration(new JsonObject(), List.of(), List.of(), Set.of(), error, -1, 0, null,
                Duration.ZERO, false);
    }

    /** Reads a {@code GenerateText2Image} answer as a master in HTTP mode does. */
    static MasterGeneration overHttp(JsonObject request, JsonObject answer) {
        String error = MasterJson.error(answer);
        List<Image> images = new ArrayList<>();
        if (error == null) {
            JsonElement list = answer.get("images");
            if (list == null || !list.isJsonArray()) {
                throw new MasterRejection("GenerateText2Image: no 'images' array; a master fails the job with"
                        + " 'Something went wrong while generating images.': " + answer);
            }
            for (JsonElement image : list.getAsJsonArray()) {
                images.add(decode("GenerateText2Image", image));
            }
        }
        return new MasterGeneration(request, List.of(answer), images, Set.of(), error, -1, 0, null, Duration.ZERO,
                false);
    }

    /** Decodes a data URL as a master does: the media type up to {@code ;base64,}, then the payload. */
    static Image decode(String call, JsonElement value) {
        String text = value != null && value.isJsonPrimitive() ? value.getAsString() : null;
        int marker = text == null ? -1 : text.indexOf(";base64,");
        if (text == null || !text.startsWith("data:") || marker < 0) {
            throw new MasterRejection(call + ": an image that is not a data URL; a master fails the job with"
                    + " 'Something went wrong while generating images.': " + MasterJson.start(String.valueOf(value)));
        }
        try {
            return new Image(text.substring("data:".length(), marker),
                    Base64.getDecoder().decode(text.substring(marker + ";base64,".length())));
        } catch (IllegalArgumentException e) {
            throw new MasterRejection(call + ": an image data URL whose payload is not base64");
        }
    }

    /** @return the body the master sent (session included) */
    public JsonObject request() {
        return request;
    }

    /** @return every message, in order (for HTTP: the one answer) */
    public List<JsonObject> messages() {
        return messages;
    }

    /** @return the images, in the order they came */
    public List<Image> images() {
        return images;
    }

    /** @return the parameter ids {@code raw_swarm_data} reported as used */
    public Set<String> paramsUsed() {
        return paramsUsed;
    }

    /** @return the error the master's user sees ({@code Remote swarm gave error: ...} and the like), if any */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** @return the remote's close code (1000 for a normal close), or -1 over HTTP */
    public int closeCode() {
        return closeCode;
    }

    /** @return how many InterruptAll calls the receive loop made */
    public int interruptCalls() {
        return interruptCalls;
    }

    /** @return how long the stream took to end after the interrupt, or empty when not interrupted */
    public Optional<Duration> interruptToEnd() {
        return Optional.ofNullable(interruptToEnd);
    }

    /** @return the longest wait between two messages (or the request and the first message) */
    public Duration longestGap() {
        return longestGap;
    }

    /**
     * Names each message as a master tells them apart: the first of {@code error}, {@code gen_progress},
     * {@code image}, {@code raw_backend_data}, {@code raw_swarm_data} it has, else its first key.
     *
     * @return one name per message, e.g. {@code status}, {@code gen_progress}, {@code raw_swarm_data}, {@code image}
     */
    public List<String> kinds() {
        List<String> kinds = new ArrayList<>();
        for (JsonObject message : messages) {
            String kind = message.keySet().isEmpty() ? "" : message.keySet().iterator().next();
            for (String known : List.of("error", "gen_progress", "image", "raw_backend_data", "raw_swarm_data")) {
                if (message.has(known)) {
                    kind = known;
                    break;
                }
            }
            kinds.add(kind);
        }
        return kinds;
    }

    boolean sessionRefused() {
        return sessionRefused;
    }
}
