package dev.switchboard.examples.echo;

import dev.switchboard.api.generation.GenerationParameters;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws the echo backend's pictures: a diagonal gradient between two colours picked by the seed, crossed by
 * stripes whose angle, number and phase come from the prompt and the other parameters, their contrast from the
 * CFG scale. The same parameters and seed always give the same pixels; changing any of them changes the picture.
 * Plain pixel arithmetic on a {@link BufferedImage}, so it needs no display (headless servers are fine).
 */
final class EchoPainter {
    private EchoPainter() {
    }

    /**
     * Draws one picture and encodes it as PNG.
     *
     * @param parameters the job's parameters (everything but the seed and the size shapes the stripes)
     * @param seed the seed of this picture (a batch's pictures use the job's seed plus their index)
     * @param width the width in pixels
     * @param height the height in pixels
     * @return the PNG bytes
     * @throws IOException when encoding fails
     */
    static byte[] png(GenerationParameters parameters, long seed, int width, int height) throws IOException {
        return encode(draw(parameters, seed, width, height));
    }

    private static BufferedImage draw(GenerationParameters parameters, long seed, int width, int height) {
        SplittableRandom colours = new SplittableRandom(seed);
        int from = colours.nextInt(0x1000000);
        int to = colours.nextInt(0x1000000);
        double phase = colours.nextDouble() * 2 * Math.PI;
        int recipe = Objects.hash(parameters.prompt(), parameters.negativePrompt(), parameters.model().orElse(""),
                parameters.sampler().orElse(""), parameters.scheduler().orElse(""), parameters.clipStopAtLayer());
        double angle = (recipe & 0xff) / 256.0 * Math.PI;
        int stripes = 2 + ((recipe >>> 8) & 0xf);
        double contrast = Math.min(1, Math.max(0, parameters.cfgScale() / 20));
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double diagonal = Math.hypot(width, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // t runs from 0 to 1 across the picture along the stripes' normal.
                double t = ((x - width / 2.0) * cos + (y - height / 2.0) * sin) / diagonal + 0.5;
                double stripe = 0.5 + 0.5 * Math.sin(2 * Math.PI * stripes * t + phase);
                double shade = 1 - 0.7 * contrast * stripe;
                image.setRGB(x, y, mix(from, to, t, shade));
            }
        }
        return image;
    }

    /** The colour between {@code from} and {@code to} at {@code t}, darkened by {@code shade}. */
    private static int mix(int from, int to, double t, double shade) {
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double a = (from >>> shift) & 0xff;
            double b = (to >>> shift) & 0xff;
            int channel = (int) Math.round((a + (b - a) * t) * shade);
            rgb |= Math.min(255, Math.max(0, channel)) << shift;
        }
        return rgb;
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        // An in-memory stream: ImageIO.write(image, "png", stream) would buffer through a temporary file.
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            writer.write(image);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
