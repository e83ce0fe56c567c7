package dev.switchboard.plugins.comfyui;

import dev.switchboard.api.generation.GenerationOutput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** A {@link GenerationOutput} for tests: keeps everything a generator reported, in order. Thread-safe. */
public final class RecordingOutput implements GenerationOutput {

    /** One delivered picture. */
    public record Picture(byte[] data, String mediaType) {
        /** @return the picture decoded (fails the test when it does not decode) */
        public BufferedImage decoded() {
            try {
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(data));
                if (image == null) {
                    throw new AssertionError("not a decodable image: " + mediaType + ", " + data.length + " bytes");
                }
                return image;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** @return every pixel, to tell images apart */
        public int[] pixels() {
            BufferedImage image = decoded();
            return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        }
    }

    /** One progress report. */
    public record Progress(double overall, double current) {
    }

    private final List<Progress> progress = new ArrayList<>();
    private final List<Picture> previews = new ArrayList<>();
    private final List<Picture> images = new ArrayList<>();

    @Override
    public synchronized void progress(double overall, double current) {
        progress.add(new Progress(overall, current));
    }

    @Override
    public synchronized void preview(byte[] image, String mediaType) {
        previews.add(new Picture(image.clone(), mediaType));
    }

    @Override
    public synchronized void image(byte[] data, String mediaType) {
        images.add(new Picture(data.clone(), mediaType));
    }

    /** @return the progress reports so far */
    public synchronized List<Progress> progress() {
        return List.copyOf(progress);
    }

    /** @return the previews so far */
    public synchronized List<Picture> previews() {
        return List.copyOf(previews);
    }

    /** @return the images so far */
    public synchronized List<Picture> images() {
        return List.copyOf(images);
    }
}
