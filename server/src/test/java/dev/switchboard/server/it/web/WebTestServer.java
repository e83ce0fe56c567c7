package dev.switchboard.server.it.web;

import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.StartupException;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Switchboard server in this JVM for the web page's tests. Unlike the API tests' server it can be
 * started again on the same port and data directory, as an operator restarting it would.
 */
final class WebTestServer implements AutoCloseable {
    private final SwitchboardServer server;
    private final Path dataDirectory;
    private final Path pluginsDirectory;

    private WebTestServer(SwitchboardServer server, Path dataDirectory, Path pluginsDirectory) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.pluginsDirectory = pluginsDirectory;
    }

    /** The folder holding the packaged comfyui plugin, unpacked as in the distribution. */
    static Path shippedPlugins() {
        String path = System.getProperty("switchboard.test.plugins");
        if (path == null) {
            throw new IllegalStateException("system property switchboard.test.plugins is not set (run through Maven)");
        }
        return Path.of(path);
    }

    /**
     * A plugins folder under {@code parent} holding the shipped plugins and the packaged example-echo plugin
     * ({@code example_echo}: it generates real PNGs in Java, as slowly as its {@code StepMillis} setting says).
     */
    static Path pluginsWithEcho(Path parent) {
        return TestPlugins.copyShippedWithEcho(parent);
    }

    /** Starts a server on a free port. */
    static WebTestServer start(Path dataDirectory, Path pluginsDirectory) throws StartupException {
        return start(dataDirectory, pluginsDirectory, 0);
    }

    static WebTestServer start(Path dataDirectory, Path pluginsDirectory, int port) throws StartupException {
        ServerOptions options = new ServerOptions("127.0.0.1", port, dataDirectory, pluginsDirectory, false, 1 << 20,
                Duration.ofMinutes(10));
        return new WebTestServer(SwitchboardServer.start(options), dataDirectory, pluginsDirectory);
    }

    /** Starts a new server on this one's port, data directory and plugins (after this one was closed). */
    WebTestServer restart() throws StartupException {
        return start(dataDirectory, pluginsDirectory, server.port());
    }

    String url() {
        return server.url();
    }

    /** A fresh API client, as a second operator or a script would use. */
    SwarmApiClient client() {
        return new SwarmApiClient(server.url());
    }

    @Override
    public void close() {
        server.close();
    }
}
