package dev.switchboard.server.it.durability;

import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the real server's main class in its own JVM, tuned to start fast because the tests restart it often. */
final class ServerJvm {
    /**
     * C1 only, class data sharing where available, one GC thread, a small heap: each shortens start-up and
     * none changes what the server does.
     */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-XX:+UseSerialGC", "-Xmx256m");

    private ServerJvm() {
    }

    /** Starts a server on a free loopback port; the caller waits for its ready line. */
    static SwitchboardProcess start(Path workingDirectory, Path dataDirectory, Path pluginsDirectory) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FAST_START);
        command.addAll(List.of("-cp", serverClassPath(), SwitchboardProcess.MAIN_CLASS,
                "--port", "0", "--data-dir", dataDirectory.toString(), "--plugins-dir", pluginsDirectory.toString()));
        return SwitchboardProcess.start(workingDirectory, command);
    }

    /**
     * The server's own classes and runtime libraries, as Maven wrote them for the tests: a smaller class path
     * than the tests' (no test classes, no test libraries) starts faster and loads the production logging
     * configuration. Without Maven, the tests' class path.
     */
    private static String serverClassPath() {
        String classes = System.getProperty("switchboard.test.server.classes");
        String libraries = System.getProperty("switchboard.test.server.classpath.file");
        if (classes == null || libraries == null) {
            return System.getProperty("java.class.path");
        }
        try {
            return classes + File.pathSeparator + Files.readString(Path.of(libraries)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the server's class path from " + libraries, e);
        }
    }

    /** The folder holding the packaged comfyui and swarm plugins, unpacked as in the distribution. */
    static Path shippedPlugins() {
        String path = System.getProperty("switchboard.test.plugins");
        if (path == null) {
            throw new IllegalStateException("system property switchboard.test.plugins is not set (run through Maven)");
        }
        return Path.of(path);
    }
}
