package dev.switchboard.server.web;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The web page's files, read once from the classpath at start-up. The list of files is the manifest
 * {@code assets.txt} next to them: only listed names can ever be served, so a request path cannot reach
 * anything else on the classpath or the disk.
 */
public final class WebAssets {
    private static final String BASE = "/dev/switchboard/server/web/";
    private static final String MANIFEST = "assets.txt";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "ico", "image/x-icon",
            "png", "image/png");

    private final Map<String, WebAsset> byPath;

    private WebAssets(Map<String, WebAsset> byPath) {
        this.byPath = Map.copyOf(requireNonNull(byPath, "byPath is null"));
    }

    /**
     * Reads every file named in the manifest.
     *
     * @throws IllegalStateException when the manifest or a listed file is missing, or a file has an unknown
     *     extension (a packaging mistake, so the server should not start half-served)
     */
    public static WebAssets load() {
        Map<String, WebAsset> assets = new LinkedHashMap<>();
        String manifest = new String(read(MANIFEST), StandardCharsets.UTF_8);
        for (String line : manifest.split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            byte[] bytes = read(name);
            assets.put("/" + name, new WebAsset(bytes, contentType(name), etag(bytes)));
        }
        return new WebAssets(assets);
    }

    /**
     * @param path a request path such as {@code /js/main.js}; {@code /} means {@code /index.html}
     * @return the asset, or empty when the path names no listed file
     */
    Optional<WebAsset> find(String path) {
        String key = "/".equals(path) ? "/index.html" : path;
        return Optional.ofNullable(byPath.get(key));
    }

    private static byte[] read(String name) {
        try (InputStream in = WebAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("Web page file missing from the server jar: " + BASE + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read web page file " + name, e);
        }
    }

    private static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        String type = CONTENT_TYPES.get(extension);
        if (type == null) {
            throw new IllegalStateException("No content type known for web page file " + name);
        }
        return type;
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
