package dev.switchboard.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.imageio.ImageIO;

/** Images as a server (Switchboard's {@code /View/} or ComfyUI's {@code /view}) serves them, decoded. */
final class ServedImages {
    private ServedImages() {
    }

    /** The body of a GET that must answer 200. */
    static byte[] fetch(String url) {
        try {
            HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.statusCode()).as("GET %s", url).isEqualTo(200);
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A saved output ({@code View/...}, as ListOutputs names it) from the server at {@code serverUrl}. */
    static BufferedImage saved(String serverUrl, String image) {
        return decode(fetch(serverUrl + "/" + image.replace(" ", "%20")));
    }

    static BufferedImage decode(byte[] file) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(file));
            assertThat(image).as("a decodable image").isNotNull();
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every pixel's RGB, row by row. */
    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
