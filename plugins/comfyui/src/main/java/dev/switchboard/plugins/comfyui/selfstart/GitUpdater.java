package dev.switchboard.plugins.comfyui.selfstart;

import static java.util.Objects.requireNonNull;

import dev.switchboard.plugins.comfyui.connection.OperatorText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the git steps of an update before launch ({@code git pull}, or {@code git pull --autostash} when
 * aggressive) in ComfyUI's folder or each repository under {@code custom_nodes/}. Every outcome is written to
 * the output log; a failure (no git, no repository, a conflict, the deadline) is reported and never stops the
 * launch. A git that overruns the deadline is stopped like ComfyUI, with its whole process tree.
 */
final class GitUpdater {
    private final Map<String, String> environment;
    private final Duration deadline;
    private final Consumer<String> output;
    private final ProcessTreeStopper stopper;

    /**
     * Creates the updater.
     *
     * @param environment git's complete environment
     * @param deadline how long one {@code git pull} may take
     * @param output receives every line git prints and every outcome
     * @param stopper stops a git that overran its deadline, with its children
     */
    GitUpdater(Map<String, String> environment, Duration deadline, Consumer<String> output,
            ProcessTreeStopper stopper) {
        this.environment = requireNonNull(environment, "environment is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.output = requireNonNull(output, "output is null");
        this.stopper = requireNonNull(stopper, "stopper is null");
    }

    /**
     * Updates ComfyUI and/or its custom nodes as the settings ask.
     *
     * @param comfyFolder the folder of the start script
     * @param comfyMode {@code true}, {@code aggressive} or {@code false}
     * @param nodesMode the same for {@code custom_nodes/}
     */
    void update(Path comfyFolder, String comfyMode, String nodesMode) throws InterruptedException {
        if (!nodesMode.equals("false")) {
            for (Path repository : nodeRepositories(comfyFolder.resolve("custom_nodes"))) {
                pull(repository, nodesMode.equals("aggressive"));
            }
        }
        if (!comfyMode.equals("false")) {
            pull(comfyFolder, comfyMode.equals("aggressive"));
        }
    }

    private static List<Path> nodeRepositories(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(child -> Files.exists(child.resolve(".git"))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private void pull(Path repository, boolean aggressive) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "pull"));
        if (aggressive) {
            command.add("--autostash");
        }
        String label = "[update] " + String.join(" ", command) + " in " + repository + ": ";
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process git;
        try {
            git = builder.start();
        } catch (IOException e) {
            output.accept(label + "could not run git (" + e.getMessage() + "); launching without updating.");
            return;
        }
        Thread reader = new Thread(() -> copyOutput(git), "comfyui-git-output-" + git.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            if (!git.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                output.accept(label + "did not finish within " + OperatorText.describe(deadline)
                        + "; stopped it, launching without updating.");
                // SIGINT first, as for ComfyUI: git then removes its index.lock, which a SIGKILL would leave
                // behind to fail every later pull; its children (ssh, remote helpers) are stopped with it.
                stopper.stop(git.toHandle());
                return;
            }
            output.accept(label + (git.exitValue() == 0 ? "done." : "failed with exit code " + git.exitValue()
                    + "; launching anyway."));
        } finally {
            if (git.isAlive()) {
                git.destroyForcibly();
            }
            reader.join(2000);
        }
    }

    private void copyOutput(Process git) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(git.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.accept("[update] " + line);
            }
        } catch (IOException e) {
            // git is gone; nothing more to copy.
        }
    }
}
