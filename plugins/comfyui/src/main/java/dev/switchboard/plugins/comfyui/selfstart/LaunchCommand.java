package dev.switchboard.plugins.comfyui.selfstart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds the command line that starts ComfyUI from its start script. */
final class LaunchCommand {

    private LaunchCommand() {
    }

    /**
     * Builds the command: a {@code .py} script runs under the {@code venv} beside it when there is one, else
     * {@code python3}, as {@code -s <script> <args>}; other scripts run directly.
     *
     * @param script the absolute script path
     * @param extraArgs the operator's arguments
     * @param port the port ComfyUI must listen on
     * @param internalArgs the arguments Switchboard adds
     * @return the command, program first
     */
    static List<String> of(Path script, List<String> extraArgs, int port, List<String> internalArgs) {
        List<String> command = new ArrayList<>();
        if (script.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".py")) {
            command.add(interpreter(script.getParent()));
            command.add("-s");
        }
        command.add(script.toString());
        command.addAll(extraArgs);
        command.add("--port");
        command.add(Integer.toString(port));
        command.addAll(internalArgs);
        return command;
    }

    private static String interpreter(Path folder) {
        Path venv = folder.resolve("venv").resolve("bin").resolve("python");
        return Files.isExecutable(venv) ? venv.toString() : "python3";
    }
}
