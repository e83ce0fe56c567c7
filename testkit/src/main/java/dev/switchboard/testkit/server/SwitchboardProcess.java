package dev.switchboard.testkit.server;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Switchboard server running as its own process (the distribution's {@code bin/switchboard}, or {@code java}
 * with the server's main class), for tests that need the real entry point: its ready line, its exit code, and
 * SIGTERM or SIGKILL. Its output (stdout and stderr together) is collected line by line.
 */
public final class SwitchboardProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Switchboard listening on (http://\\S+)");
    /** The server's main class, for {@link #startJava}. */
    public static final String MAIN_CLASS = "dev.switchboard.server.bootstrap.Main";

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> url = new CompletableFuture<>();
    private final Thread reader;

    private SwitchboardProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "switchboard-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a command, e.g. {@code [".../bin/switchboard", "--port", "0"]}.
     *
     * @param workingDirectory the directory to run it in
     * @param command the command and its arguments
     * @return the running process
     */
    public static SwitchboardProcess start(Path workingDirectory, List<String> command) {
        return start(workingDirectory, command, Map.of());
    }

    /**
     * Starts a command with extra environment variables (e.g. a secret that must not appear in {@code ps}).
     *
     * @param workingDirectory the directory to run it in
     * @param command the command and its arguments
     * @param environment variables added to this JVM's environment for the child
     * @return the running process
     */
    public static SwitchboardProcess start(Path workingDirectory, List<String> command,
                                           Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            return new SwitchboardProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    /**
     * Starts the server's main class in a new JVM with the given class path.
     *
     * @param workingDirectory the directory to run it in
     * @param classPath the class path holding the server and its libraries
     * @param arguments the server's options, e.g. {@code --port 0 --data-dir ...}
     * @return the running process
     */
    public static SwitchboardProcess startJava(Path workingDirectory, String classPath, List<String> arguments) {
        return startJava(workingDirectory, classPath, arguments, Map.of());
    }

    /**
     * Starts the server's main class in a new JVM with extra environment variables.
     *
     * @param workingDirectory the directory to run it in
     * @param classPath the class path holding the server and its libraries
     * @param arguments the server's options
     * @param environment variables added to this JVM's environment for the child
     * @return the running process
     */
    public static SwitchboardProcess startJava(Path workingDirectory, String classPath, List<String> arguments,
                                               Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath, MAIN_CLASS));
        command.addAll(arguments);
        return start(workingDirectory, command, environment);
    }

    /**
     * Waits for the ready line.
     *
     * @param timeout how long to wait
     * @return the address the server printed, e.g. {@code http://127.0.0.1:7801}
     * @throws AssertionError with the output so far when no ready line came in time
     */
    public String awaitReady(Duration timeout) {
        try {
            return url.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the server", e);
        } catch (Exception e) {
            throw new AssertionError("The server printed no ready line; its output:\n" + String.join("\n", output), e);
        }
    }

    /**
     * Waits for the process to exit and for its output to be read to the end.
     *
     * @param timeout how long to wait
     * @return the exit code
     * @throws AssertionError with the output when it does not exit in time
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("The server did not exit; its output:\n" + String.join("\n", output));
            }
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the server", e);
        }
        return process.exitValue();
    }

    /** Sends SIGTERM (leaves the output readable, unlike {@link Process#destroy()}). */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Sends SIGKILL. */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /** @return every line printed so far */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** @return the process, e.g. for its pid */
    public Process process() {
        return process;
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        kill();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                Matcher matcher = READY.matcher(line);
                if (matcher.matches()) {
                    url.complete(matcher.group(1));
                }
            }
        } catch (IOException e) {
            url.completeExceptionally(e);
        }
        url.completeExceptionally(new IllegalStateException("the output ended"));
    }

    /**
     * Runs a command to completion (e.g. {@code --help}) and returns its exit code and output.
     *
     * @param workingDirectory the directory to run it in
     * @param command the command
     * @param timeout how long it may take
     * @return the result
     */
    public static Result run(Path workingDirectory, List<String> command, Duration timeout) {
        try (SwitchboardProcess process = start(workingDirectory, command)) {
            int exitCode = process.awaitExit(timeout);
            return new Result(exitCode, String.join("\n", process.output()));
        }
    }

    /**
     * The outcome of {@link #run}.
     *
     * @param exitCode the exit code
     * @param output everything it printed
     */
    public record Result(int exitCode, String output) {
        /** Checks the fields. */
        public Result {
            requireNonNull(output, "output is null");
        }
    }
}
