package dev.switchboard.testkit.comfyui;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Draws the stand-in's images: real PNGs (and JPEG previews) whose pixels follow from the seed and the image's index
 * in its batch, so tests can tell images apart and check their size.
 */
final class Pictures {

    private Pictures() {
    }

    /** @return image {@code index} of the batch, as PNG */
    static byte[] png(PictureSpec spec, int index) {
        return encode(draw(spec, index, spec.width(), spec.height(), 1.0), "png");
    }

    /** @return a small preview of image 0 after {@code step} of {@code steps} sampling steps, as JPEG or PNG */
    static byte[] preview(PictureSpec spec, int step, int steps, boolean png) {
        int width = Math.max(8, spec.width() / 8);
        int height = Math.max(8, spec.height() / 8);
        return encode(draw(spec, 0, width, height, steps == 0 ? 1.0 : (double) step / steps), png ? "png" : "jpg");
    }

    private static BufferedImage draw(PictureSpec spec, int index, int width, int height, double done) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = new int[width * height];
        if (spec.color() != null) {
            java.util.Arrays.fill(pixels, spec.color() & 0xFFFFFF);
        } else {
            SplittableRandom random = new SplittableRandom(spec.seed() * 1_000_003L + index);
            int top = random.nextInt(0x1000000);
            int bottom = random.nextInt(0x1000000);
            int stripe = 2 + index + random.nextInt(6);
            for (int y = 0; y < height; y++) {
                int row = blend(top, bottom, height == 1 ? 0 : (double) y / (height - 1));
                for (int x = 0; x < width; x++) {
                    int pixel = ((x + y) / stripe) % 2 == 0 ? row : row ^ 0x202020;
                    pixels[y * width + x] = blend(0x808080, pixel, done);
                }
            }
        }
        image.setRGB(0, 0, width, height, pixels, 0, width);
        return image;
    }

    private static int blend(int from, int to, double t) {
        int r = (int) Math.round(((from >> 16) & 0xFF) * (1 - t) + ((to >> 16) & 0xFF) * t);
        int g = (int) Math.round(((from >> 8) & 0xFF) * (1 - t) + ((to >> 8) & 0xFF) * t);
        int b = (int) Math.round((from & 0xFF) * (1 - t) + (to & 0xFF) * t);
        return (r << 16) | (g << 8) | b;
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
