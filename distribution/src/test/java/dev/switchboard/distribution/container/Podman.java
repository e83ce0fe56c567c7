package dev.switchboard.distribution.container;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code podman} command line, run to completion. Where Debian's {@code runc} is installed it is chosen
 * explicitly ({@code --runtime runc}): the default {@code crun} fails on hybrid cgroup hierarchies such as this
 * project's CI machines'. Containers get resource limits no higher than this process's own hard limits (see
 * {@link #runLimits()}), because raising them is refused there.
 */
final class Podman {
    private final Path executable;
    private final List<String> globalOptions;

    private Podman(Path executable, List<String> globalOptions) {
        this.executable = executable;
        this.globalOptions = List.copyOf(globalOptions);
    }

    /** @return podman when it is on the PATH, with the global options this machine needs; empty when it is not */
    static Optional<Podman> find() {
        return onPath("podman").map(podman -> new Podman(podman,
                onPath("runc").isPresent() ? List.of("--runtime", "runc") : List.of()));
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(folder -> !folder.isEmpty())
                .map(folder -> Path.of(folder, name)).filter(Files::isExecutable).findFirst();
    }

    /** @return the command that starts podman with the global options, to which a sub-command is added */
    List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(globalOptions);
        command.addAll(arguments);
        return command;
    }

    /**
     * The {@code --ulimit} options for {@code podman run}: open files at this process's hard limit (at most 65536)
     * and 4096 processes. Podman's defaults (about a million of each) are refused by machines that do not let
     * runc raise limits.
     */
    static List<String> runLimits() {
        long files = 1024;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                    files = hard.equals("unlimited") ? 65536 : Math.min(65536, Long.parseLong(hard));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an unexpected format: keep the conservative 1024.
        }
        return List.of("--ulimit", "nofile=" + files + ":" + files, "--ulimit", "nproc=4096:4096");
    }

    /**
     * Runs a podman sub-command.
     *
     * @param timeout how long it may take; after that it is killed and an {@link AssertionError} thrown
     * @param environment variables added to podman's environment (e.g. for {@code -e NAME}, which keeps a value
     *     out of the command line)
     * @param arguments the sub-command and its arguments
     * @return its exit code and output
     */
    Result run(Duration timeout, Map<String, String> environment, List<String> arguments) {
        List<String> command = command(arguments);
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("podman-out", ".txt");
            stderr = Files.createTempFile("podman-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " took longer than " + timeout + "; output:\n"
                        + Files.readString(stdout) + Files.readString(stderr));
            }
            return new Result(String.join(" ", command), process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** Runs a sub-command that must succeed within two minutes and returns its standard output. */
    String check(String... arguments) {
        return run(Duration.ofMinutes(2), Map.of(), List.of(arguments)).requireSuccess().stdout();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temporary file left behind is harmless.
            }
        }
    }

    /**
     * A finished podman command.
     *
     * @param command the command line, for messages
     * @param exitCode its exit code
     * @param stdout its standard output
     * @param stderr its standard error
     */
    record Result(String command, int exitCode, String stdout, String stderr) {
        /**
         * @return this result
         * @throws AssertionError naming the command and its output when it failed
         */
        Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(command + " failed with exit code " + exitCode + ":\n" + stdout + stderr);
            }
            return this;
        }
    }
}
