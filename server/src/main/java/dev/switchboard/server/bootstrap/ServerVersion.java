package dev.switchboard.server.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The server's version, filtered into a resource at build time. */
final class ServerVersion {
    private ServerVersion() {
    }

    static String read() {
        try (InputStream in = ServerVersion.class.getResourceAsStream("/dev/switchboard/server/server-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
