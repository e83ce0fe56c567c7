package dev.switchboard.testkit.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Switchboard server, in its own process, with a plugin author's packaged plugin zips installed, and a
 * {@link SwarmApiClient} that already holds a session. For integration tests of a plugin as users run it:
 *
 * <pre>{@code
 * try (SwitchboardServerHarness server = SwitchboardServerHarness.startFromSystemProperties()) {
 *     JsonObject added = server.client().call("AddNewBackend", "{\"type_id\":\"my_type\"}");
 * }
 * }</pre>
 *
 * <p>The server comes from an unpacked Switchboard distribution ({@code bin/}, {@code lib/}); the plugin parent
 * {@code dev.switchboard:switchboard-plugins} unpacks the {@code switchboard-distribution} tar.gz of the same
 * version before the integration tests and passes its folder as {@value #SERVER_HOME_PROPERTY}, and the plugin's
 * own zip as {@value #PLUGIN_ZIP_PROPERTY}. Each harness has its own temporary data and plugins directories
 * (only the given plugins, not the distribution's), listens on a free loopback port, and on {@link #close()}
 * stops the server with SIGTERM and deletes the temporary files.
 */
public final class SwitchboardServerHarness implements AutoCloseable {
    /** The system property naming the unpacked distribution's folder (the one holding {@code lib/}). */
    public static final String SERVER_HOME_PROPERTY = "switchboard.server.home";
    /** The system property naming the plugin zip under test. */
    public static final String PLUGIN_ZIP_PROPERTY = "switchboard.plugin.zip";

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDirectory;
    private final SwitchboardProcess process;
    private final SwarmApiClient client;

    private SwitchboardServerHarness(Path workDirectory, SwitchboardProcess process, SwarmApiClient client) {
        this.workDirectory = workDirectory;
        this.process = process;
        this.client = client;
    }

    /**
     * Starts a server from {@value #SERVER_HOME_PROPERTY} with the plugin of {@value #PLUGIN_ZIP_PROPERTY}, as
     * the plugin parent's integration-test setup provides them.
     *
     * @return the ready server
     * @throws IllegalStateException when a property is missing, naming the pom setting that provides it
     * @throws AssertionError with the server's output when it does not become ready
     */
    public static SwitchboardServerHarness startFromSystemProperties() {
        return start(Path.of(required(SERVER_HOME_PROPERTY)), List.of(Path.of(required(PLUGIN_ZIP_PROPERTY))));
    }

    /**
     * Starts a server from an unpacked distribution with the given plugin zips installed.
     *
     * @param serverHome the distribution's folder, holding {@code lib/}
     * @param pluginZips packaged plugins ({@code plugin.properties}, {@code classes/}, {@code lib/})
     * @return the ready server, with a session already taken
     * @throws IllegalArgumentException when {@code serverHome} has no {@code lib/} or a zip does not exist
     * @throws AssertionError with the server's output when it does not become ready
     */
    public static SwitchboardServerHarness start(Path serverHome, List<Path> pluginZips) {
        requireNonNull(serverHome, "serverHome is null");
        requireNonNull(pluginZips, "pluginZips is null");
        Path lib = serverHome.resolve("lib");
        if (!Files.isDirectory(lib)) {
            throw new IllegalArgumentException("No Switchboard distribution at " + serverHome + ": it has no lib/"
                    + " folder (unpack switchboard-distribution's tar.gz, or build Switchboard with mvn install)");
        }
        Path workDirectory = createTempDirectory();
        SwitchboardProcess process = null;
        try {
            Path plugins = Files.createDirectories(workDirectory.resolve("plugins"));
            for (Path zip : pluginZips) {
                unzip(zip, plugins.resolve(folderName(zip)));
            }
            Path data = Files.createDirectories(workDirectory.resolve("data"));
            process = SwitchboardProcess.startJava(workDirectory, lib.toAbsolutePath() + "/*", List.of(
                    "--host", "127.0.0.1", "--port", "0", "--data-dir", data.toString(),
                    "--plugins-dir", plugins.toString()));
            SwarmApiClient client = new SwarmApiClient(process.awaitReady(READY_TIMEOUT));
            client.session();
            return new SwitchboardServerHarness(workDirectory, process, client);
        } catch (IOException e) {
            stopAndDelete(process, workDirectory);
            throw new UncheckedIOException("Cannot prepare the server's directories in " + workDirectory, e);
        } catch (RuntimeException | Error e) {
            stopAndDelete(process, workDirectory);
            throw e;
        }
    }

    /** @return a client with a session on this server */
    public SwarmApiClient client() {
        return client;
    }

    /** @return the server's address, e.g. {@code http://127.0.0.1:40123} */
    public String baseUrl() {
        return client.baseUrl();
    }

    /** @return every line the server printed so far (its log) */
    public List<String> output() {
        return process.output();
    }

    /** @return the server's data directory (where {@code backends.json} lives) */
    public Path dataDirectory() {
        return workDirectory.resolve("data");
    }

    /** Stops the server (SIGTERM, then SIGKILL if it does not exit in time) and deletes its temporary files. */
    @Override
    public void close() {
        stopAndDelete(process, workDirectory);
    }

    private static void stopAndDelete(SwitchboardProcess process, Path workDirectory) {
        if (process != null) {
            process.terminate();
            try {
                process.awaitExit(STOP_TIMEOUT);
            } catch (AssertionError notStopped) {
                process.kill();
            }
            process.close();
        }
        deleteTree(workDirectory);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: run integration tests"
                    + " with the failsafe plugin of a pom whose parent is dev.switchboard:switchboard-plugins,"
                    + " which sets it");
        }
        return value;
    }

    private static String folderName(Path zip) {
        String name = zip.getFileName().toString();
        return name.endsWith(".zip") ? name.substring(0, name.length() - ".zip".length()) : name;
    }

    private static void unzip(Path zip, Path target) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalArgumentException("No plugin zip at " + zip + " (run mvn package first)");
        }
        Path root = Files.createDirectories(target).toRealPath();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path destination = root.resolve(entry.getName()).normalize();
                if (!destination.startsWith(root)) {
                    throw new IOException("Zip entry " + entry.getName() + " of " + zip + " points outside it");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    copy(in, destination);
                }
            }
        }
    }

    private static void copy(InputStream in, Path destination) throws IOException {
        Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("switchboard-harness-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        } catch (IOException e) {
            return;
        }
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // Best effort: a leftover temporary file must not fail the test that used the server.
            }
        }
    }
}
