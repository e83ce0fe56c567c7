package dev.switchboard.plugins.comfyui.selfstart;

import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a launched ComfyUI gets: built from scratch, taking from the server's own environment only
 * the system basics, so secrets in the server's environment (tokens, passwords, cloud keys) never reach it.
 */
final class ChildEnvironment {

    private static final java.util.Set<String> KEPT = java.util.Set.of("PATH", "HOME", "LANG", "LANGUAGE", "TMPDIR",
            "USER", "LOGNAME", "TZ", "SYSTEMROOT", "TEMP", "TMP");

    private ChildEnvironment() {
    }

    /**
     * Builds the environment.
     *
     * @param server the server's environment (usually {@link System#getenv()})
     * @param gpuIds the GPUs ComfyUI may see, e.g. {@code 0,1}
     * @return the complete environment of the child
     */
    static Map<String, String> of(Map<String, String> server, String gpuIds) {
        Map<String, String> env = new TreeMap<>();
        server.forEach((name, value) -> {
            if (KEPT.contains(name) || name.startsWith("LC_")) {
                env.put(name, value);
            }
        });
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        // Unbuffered output makes ComfyUI's lines reach the log as they are printed, not at exit.
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        env.put("CUDA_VISIBLE_DEVICES", gpuIds);
        env.put("ROCR_VISIBLE_DEVICES", gpuIds);
        env.put("HIP_VISIBLE_DEVICES", gpuIds);
        // git (auto-update) must fail rather than wait for a password nobody can type.
        env.put("GIT_TERMINAL_PROMPT", "0");
        return env;
    }
}
