package dev.switchboard.server.plugins;

import dev.switchboard.api.BackendType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the api module this server implements, as the api jar records it in
 * {@code dev/switchboard/api/api-version.properties}. Plugins state the range they accept in
 * {@code plugin.requires}; the host checks it against this version.
 */
public final class ApiVersion {
    private static final String RESOURCE = "api-version.properties";

    private ApiVersion() {
    }

    /**
     * Reads the version.
     *
     * @return e.g. {@code 1.0.0}
     * @throws IllegalStateException when the api jar lacks the resource or it holds no usable version
     */
    public static String current() {
        // Resolved next to BackendType, so it is the api jar's copy that is read.
        try (InputStream in = BackendType.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("dev/switchboard/api/" + RESOURCE + " is missing from the api jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").trim();
            if (!PluginDescriptorValidator.SEMANTIC_VERSION.matcher(version).matches()) {
                throw new IllegalStateException("dev/switchboard/api/" + RESOURCE
                        + " holds no semantic version: '" + version + "'");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read dev/switchboard/api/" + RESOURCE, e);
        }
    }
}
