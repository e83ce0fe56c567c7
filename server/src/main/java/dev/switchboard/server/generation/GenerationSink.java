package dev.switchboard.server.generation;

import java.util.List;

/**
 * Where a running request's results go: the HTTP route collects them for one answer, the WebSocket route sends
 * each as a message. Called from job threads, possibly at once: implementations are thread-safe and quick.
 */
public interface GenerationSink {
    /**
     * A job's progress.
     *
     * @param batchIndex the image index the job makes first
     * @param overall the job's progress, 0 to 1
     * @param current the current step's progress, 0 to 1
     * @param preview a data URL of a preview image, or null
     */
    void progress(int batchIndex, double overall, double current, String preview);

    /**
     * One image, saved ({@code View/...}) or as a data URL; for forwarded requests its used parameters first.
     *
     * @param batchIndex the image's index in the request
     * @param image the path clients fetch it from, or a data URL
     * @param metadata the parameters it was made with, as JSON text
     * @param usedParameters the parameter ids it honoured, or null unless the request asked for them
     */
    void image(int batchIndex, String image, String metadata, List<String> usedParameters);

    /** Nothing to report, but the request is alive (WebSocket clients get {@code keep_alive}). */
    void keepAlive();

    /** The request failed: the first error, for the client. */
    void error(String message);
}
