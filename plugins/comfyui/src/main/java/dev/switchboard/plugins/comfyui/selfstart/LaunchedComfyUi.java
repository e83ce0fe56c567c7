package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import dev.switchboard.plugins.comfyui.connection.ComfyUiConnection;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.support.SharedHttpClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One launched ComfyUI process: the process, the threads draining its output, its last lines and the
 * connection to it on its port.
 */
final class LaunchedComfyUi {
    private static final int KEPT_LINES = 20;

    private final Process process;
    private final int port;
    private final List<String> command;
    private final RecentLines recent = new RecentLines(KEPT_LINES);
    private final OutputPump stdout;
    private final OutputPump stderr;
    private final ComfyUiConnection connection;
    private final Set<ProcessHandle> knownDescendants = ConcurrentHashMap.newKeySet();

    private LaunchedComfyUi(Process process, int port, List<String> command, String threadPrefix,
            Consumer<String> output, ComfyUiConnection connection) {
        this.process = process;
        this.port = port;
        this.command = command;
        this.connection = connection;
        // stdout and stderr lines go to the log unprefixed, as a terminal shows them; ComfyUI logs to stderr.
        this.stdout = new OutputPump(threadPrefix + "-stdout-" + process.pid(), process.getInputStream(), output, recent);
        this.stderr = new OutputPump(threadPrefix + "-stderr-" + process.pid(), process.getErrorStream(), output, recent);
        stdout.start();
        stderr.start();
    }

    /**
     * Starts the process with exactly the given environment.
     *
     * @param command the command line
     * @param directory the working directory
     * @param environment the complete environment
     * @param port the port it was told to use
     * @param threadPrefix names the output threads, e.g. {@code comfyui-3}
     * @param output receives every line
     * @param userAgent the connection's user agent
     * @param http the shared client the connection leases (the lease is given back by {@link #closeConnection()})
     * @param timeouts the connection's deadlines
     * @return the running process
     * @throws IOException when the program cannot be started
     */
    static LaunchedComfyUi start(List<String> command, Path directory, Map<String, String> environment, int port,
            String threadPrefix, Consumer<String> output, String userAgent, SharedHttpClient http,
            ComfyUiTimeouts timeouts) throws IOException {
        requireNonNull(output, "output is null");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        String address = "http://127.0.0.1:" + port;
        ComfyUiConnection connection = new ComfyUiConnection(address, URI.create(address), userAgent,
                http, timeouts);
        return new LaunchedComfyUi(process, port, List.copyOf(command), threadPrefix, output, connection);
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    List<String> command() {
        return command;
    }

    ComfyUiConnection connection() {
        return connection;
    }

    boolean reportedAddressInUse() {
        return stdout.sawAddressInUse() || stderr.sawAddressInUse();
    }

    /** Waits briefly for the output to be read to its end, so failure messages carry the last lines. */
    void awaitOutput(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        stdout.awaitEnd(Math.max(1, deadline - System.currentTimeMillis()));
        stderr.awaitEnd(Math.max(1, deadline - System.currentTimeMillis()));
    }

    /** @return the last lines it printed, for a status message */
    String lastLines() {
        return recent.summary(KEPT_LINES);
    }

    /**
     * Remembers the process's current descendants. Once the process is dead its orphans can no longer be
     * found through it, so they are noted while it lives and stopped with it.
     */
    void noteDescendants() {
        process.descendants().forEach(knownDescendants::add);
    }

    /** @return every descendant noted so far (handles also match the start time, so a reused pid never does) */
    Set<ProcessHandle> knownDescendants() {
        return Set.copyOf(knownDescendants);
    }

    /** @return the status message of a ready ComfyUI, e.g. {@code Running: ComfyUI on port 40123 (pid 4242)} */
    String runningMessage() {
        return "Running: ComfyUI on port " + port + " (pid " + pid() + ")";
    }

    /** Closes the connection; the process itself is stopped by {@link ProcessTreeStopper}. */
    void closeConnection() {
        connection.close();
    }
}
