package dev.switchboard.server.it;

import dev.switchboard.server.bootstrap.ServerOptions;
import dev.switchboard.server.bootstrap.StartupException;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.server.limits.UserLimits;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SortedSet;

/** A real Switchboard server in this JVM, on a free port, loading plugins from a real plugins directory. */
final class TestServer implements AutoCloseable {
    private final SwitchboardServer server;
    private final SwarmApiClient client;

    private TestServer(SwitchboardServer server) {
        this.server = server;
        this.client = new SwarmApiClient(server.url());
    }

    /** The folder holding the packaged comfyui and swarm plugins, unpacked as in the distribution. */
    static Path shippedPlugins() {
        return TestPlugins.shipped();
    }

    static TestServer start(Path dataDirectory) throws StartupException {
        return start(dataDirectory, shippedPlugins(), false);
    }

    static TestServer start(Path dataDirectory, Path pluginsDirectory, boolean lockSettings) throws StartupException {
        ServerOptions options = new ServerOptions("127.0.0.1", 0, dataDirectory, pluginsDirectory, lockSettings, 1 << 20,
                Duration.ofMinutes(10));
        return start(options);
    }

    static TestServer start(ServerOptions options) throws StartupException {
        return new TestServer(SwitchboardServer.start(options));
    }

    /** A server whose users generate within these limits. */
    static TestServer start(ServerOptions options, UserLimits limits) throws StartupException {
        return new TestServer(SwitchboardServer.start(options, limits));
    }

    SortedSet<String> routeNames() {
        return server.routeNames();
    }

    SwarmApiClient client() {
        return client;
    }

    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
