package dev.switchboard.distribution.container;

import dev.switchboard.distribution.ShippedDistribution;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds Switchboard's image as the README says, from {@code distribution/container/Containerfile} and the
 * assembled distribution, on the local base that {@code make-test-base.sh} makes (no registry is needed).
 */
final class ImageBuild {
    /** The system property naming {@code distribution/container} (set by this module's failsafe configuration). */
    static final String CONTAINER_FOLDER_PROPERTY = "switchboard.container";
    /** The system property with the project's version (set by this module's failsafe configuration). */
    static final String VERSION_PROPERTY = "switchboard.version";

    private static final Duration BASE_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    private final Podman podman;

    ImageBuild(Podman podman) {
        this.podman = podman;
    }

    /** @return {@code distribution/container} */
    static Path containerFolder() {
        return Path.of(required(CONTAINER_FOLDER_PROPERTY));
    }

    /** @return the version the image is labelled with */
    static String version() {
        return required(VERSION_PROPERTY);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: run this test through the"
                    + " distribution module's failsafe plugin");
        }
        return value;
    }

    /**
     * Runs {@code make-test-base.sh}: at once when the base exists, else debootstrap and import (about a minute).
     *
     * @return the base image's name
     */
    String localBase() {
        Path script = containerFolder().resolve("make-test-base.sh");
        Path log = null;
        Path out = null;
        try {
            log = Files.createTempFile("make-test-base", ".log");
            out = Files.createTempFile("make-test-base", ".out");
            Process process = new ProcessBuilder("bash", script.toString()).redirectError(log.toFile())
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(BASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(script + " took longer than " + BASE_TIMEOUT + ":\n" + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(script + " failed with exit code " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            List<String> lines = Files.readString(out, StandardCharsets.UTF_8).strip().lines().toList();
            if (lines.isEmpty()) {
                throw new AssertionError(script + " printed no image name:\n" + Files.readString(log));
            }
            return lines.get(lines.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            for (Path file : new Path[] {log, out}) {
                if (file != null) {
                    file.toFile().delete();
                }
            }
        }
    }

    /**
     * Builds the image: the Containerfile's folder as the context, the assembled distribution as the
     * {@code distribution} context, the Docker format (the OCI format has no HEALTHCHECK), never pulling, no
     * intermediate images left behind.
     *
     * @param base the base image
     * @param tag the name to give the image
     */
    void build(String base, String tag) {
        Path folder = containerFolder();
        podman.run(BUILD_TIMEOUT, Map.of(), List.of("build", "--format", "docker", "--pull=never", "--layers=false",
                "--build-arg", "BASE=" + base, "--build-arg", "VERSION=" + version(),
                "--build-context", "distribution=" + ShippedDistribution.home(),
                "-f", folder.resolve("Containerfile").toString(), "-t", tag, folder.toString())).requireSuccess();
    }
}
