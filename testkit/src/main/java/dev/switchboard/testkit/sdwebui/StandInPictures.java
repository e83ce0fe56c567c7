package dev.switchboard.testkit.sdwebui;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** The stand-in's pictures: real PNGs of any size, a gradient picked by the seed that sharpens with the steps. */
final class StandInPictures {
    private StandInPictures() {
    }

    /**
     * Draws one picture.
     *
     * @param width the width in pixels, 1 or more
     * @param height the height in pixels, 1 or more
     * @param seed picks the colours
     * @param done how far sampling got, from 0 (noise) to 1 (the finished gradient)
     * @return the PNG bytes
     */
    static byte[] png(int width, int height, long seed, double done) {
        SplittableRandom random = new SplittableRandom(seed);
        int from = random.nextInt(0x1000000);
        int to = random.nextInt(0x1000000);
        SplittableRandom noise = new SplittableRandom(seed ^ 0x5DEECE66DL);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double t = (x + y) / (double) Math.max(1, width + height - 2);
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    double a = (from >>> shift) & 0xff;
                    double b = (to >>> shift) & 0xff;
                    double clean = a + (b - a) * t;
                    double value = clean * done + noise.nextInt(256) * (1 - done);
                    rgb |= (int) Math.min(255, Math.max(0, Math.round(value))) << shift;
                }
                image.setRGB(x, y, rgb);
            }
        }
        return encode(image);
    }

    private static byte[] encode(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            writer.write(image);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG in memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
