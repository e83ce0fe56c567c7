package dev.switchboard.distribution.container;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container started by an attached {@code podman run} (no {@code -d}): its output arrives here line by line as
 * the server prints it, so the ready line is noticed when it appears (and timed from the {@code podman run}), and
 * the attached command ends with the container, with its exit code.
 */
final class ContainerRun implements AutoCloseable {
    /** What the server prints once it accepts requests inside the container. */
    static final String READY_LINE = "Switchboard listening on http://0.0.0.0:7801";

    private final String name;
    private final Process process;
    private final long startedNanos = System.nanoTime();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Duration> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

    private ContainerRun(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::readOutput, "podman-run-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code podman run --name NAME ARGUMENTS} attached.
     *
     * @param podman the podman command
     * @param name the container's name
     * @param arguments the options, the image and the server's extra arguments
     * @param environment variables added to podman's own environment (for {@code -e NAME})
     * @return the running container
     */
    static ContainerRun start(Podman podman, String name, List<String> arguments, Map<String, String> environment) {
        List<String> run = new ArrayList<>(List.of("run", "--name", name));
        run.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(podman.command(run)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            return new ContainerRun(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the container's name */
    String name() {
        return name;
    }

    /**
     * Waits for the ready line.
     *
     * @param timeout how long to wait
     * @return the time from the {@code podman run} to the ready line
     * @throws AssertionError with the output so far when the container ended or the time ran out first
     */
    Duration awaitReady(Duration timeout) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("container " + name + " did not print '" + READY_LINE + "' within " + timeout
                    + " (" + e.getMessage() + "); its output:\n" + String.join("\n", output), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for the attached {@code podman run} to end with the container, and for the last of its output.
     *
     * @param timeout how long to wait
     * @return the attached command's exit code, which is the container's
     */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("container " + name + " still runs after " + timeout + "; its output:\n"
                        + String.join("\n", output));
            }
            outputEnded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return process.exitValue();
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the output of container " + name + " did not end", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return everything the container (and the attached podman) printed so far */
    List<String> output() {
        return List.copyOf(output);
    }

    /** Ends the attached podman command; the container itself is removed by the test's clean-up. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.equals(READY_LINE)) {
                    ready.complete(Duration.ofNanos(System.nanoTime() - startedNanos));
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the container's output ended"));
        outputEnded.complete(null);
    }
}
