package dev.switchboard.examples.autowebui;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A WebUI process this backend started: its output goes line by line to a consumer (and the last lines are
 * kept for error messages); {@link #stop()} ends it and its children.
 */
final class LaunchedWebUi {
    private static final int KEPT_LINES = 10;
    /** The server's environment a WebUI gets; nothing else (no tokens or keys) reaches it. */
    private static final List<String> PASSED_VARIABLES = List.of("PATH", "HOME", "LANG", "TMPDIR", "USER",
            "LOGNAME", "TZ");

    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Thread pump;

    private LaunchedWebUi(Process process, Consumer<String> output) {
        this.process = process;
        this.pump = new Thread(() -> pump(output), "auto-webui-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts a script with arguments in the script's folder.
     *
     * @param script the WebUI's start script
     * @param arguments its arguments
     * @param gpu the value of {@code CUDA_VISIBLE_DEVICES}
     * @param output receives every line the process prints
     * @return the running process
     * @throws IOException when it cannot be started
     */
    static LaunchedWebUi start(Path script, List<String> arguments, String gpu, Consumer<String> output)
            throws IOException {
        List<String> command = new ArrayList<>(commandFor(script));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(script.toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        Map<String, String> server = Map.copyOf(environment);
        environment.clear();
        server.forEach((name, value) -> {
            if (PASSED_VARIABLES.contains(name) || name.startsWith("LC_")) {
                environment.put(name, value);
            }
        });
        environment.put("PYTHONUNBUFFERED", "1");
        environment.put("CUDA_VISIBLE_DEVICES", gpu);
        return new LaunchedWebUi(builder.start(), requireNonNull(output, "output is null"));
    }

    private static List<String> commandFor(Path script) {
        String name = script.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".bat")) {
            return List.of("cmd", "/c", script.toString());
        }
        if (name.endsWith(".py")) {
            return List.of("python3", "-u", script.toString());
        }
        // webui.sh is a bash script; running it through bash works whether or not it is executable.
        return List.of("bash", script.toString());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** @return the exit code, once it exited */
    int exitCode() {
        return process.exitValue();
    }

    /** Runs an action once the process has exited, on a JDK thread. */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /** @return the last lines it printed, oldest first, joined with " | " */
    synchronized String lastLines() {
        return lastLines.isEmpty() ? "(no output)" : String.join(" | ", lastLines);
    }

    /** Ends the process and its children: SIGTERM, then SIGKILL after 5 s. Idempotent. */
    void stop() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(5, TimeUnit.SECONDS);
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        pump.join(TimeUnit.SECONDS.toMillis(5));
    }

    private void pump(Consumer<String> output) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                remember(line);
                output.accept(line);
            }
        } catch (IOException e) {
            // The stream closes when the process is stopped: nothing more to read.
        }
    }

    private synchronized void remember(String line) {
        if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
        }
        lastLines.addLast(line);
    }
}
