package dev.switchboard.api.generation;

/**
 * Where a running job's progress and images go. Implemented by the host; safe to call from any thread of the
 * generator while {@link ImageGenerator#generate} runs, and ignored once it has returned.
 *
 * @since 1.0
 */
public interface GenerationOutput {

    /**
     * Reports how far the job is.
     *
     * @param overall the whole job's progress, from 0 to 1
     * @param current the current step's progress (e.g. sampling steps done), from 0 to 1
     */
    void progress(double overall, double current);

    /**
     * Shows an intermediate picture of the image being made (clients display it with the progress).
     *
     * @param image the encoded picture
     * @param mediaType its media type, {@code image/jpeg}, {@code image/png} or {@code image/webp}
     */
    void preview(byte[] image, String mediaType);

    /**
     * Delivers one finished image. A job with a batch size of N delivers N of them.
     *
     * @param data the encoded image, as the engine made it
     * @param mediaType its media type, e.g. {@code image/png}
     */
    void image(byte[] data, String mediaType);
}
