package dev.switchboard.testkit.comfyui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A stand-in for ComfyUI's {@code main.py} (needs {@code python3}, standard library only), for tests of backends
 * that launch ComfyUI. Run as {@code python3 -s main.py --port N}, it serves on 127.0.0.1:N {@code /object_info}
 * (the standard graph's node types, with the checkpoint {@code fake/model-a.safetensors}), {@code /features},
 * {@code POST /free}, and generation: {@code POST /prompt} (unknown node types and checkpoints refused as ComfyUI
 * does), the {@code /ws} WebSocket (status, execution_start, executing, progress with a PNG preview frame per step,
 * executed, execution_success, executing null), {@code /history}, {@code /view} (real PNGs of the latent's size and
 * batch), {@code /queue} and {@code /interrupt}; {@code --step-seconds S} sets the time per sampling step (0.02 s).
 * Extra arguments choose a misbehaviour: {@code --mode exit} (fails at
 * once with exit code 1), {@code never-ready} (never listens), {@code hostile} (ignores SIGINT and SIGTERM
 * and keeps a grandchild that ignores them too), {@code busy-once} (the first run, per {@code --marker}
 * file, prints Python's "address already in use" error and hangs), {@code busy-always} (every run does),
 * {@code crash-after} (serves, then exits with code 3: after {@code --seconds}, or, with
 * {@code --crash-signal DIR}, once the file {@code DIR/crash-<its pid>} exists, so a test decides when);
 * {@code --grandchild} adds a sleeping grandchild to {@code crash-after}. {@code --report FILE} makes it write
 * its arguments, environment, working directory, pid and (hostile) grandchild pid as JSON.
 */
public final class FakeComfyUiScript {

    private static final String RESOURCE = "fake_main.py";
    /** The ComfyUI side of the fake, imported by {@code main.py} from its own folder. */
    private static final String ENGINE_RESOURCE = "fake_comfy.py";

    private FakeComfyUiScript() {
    }

    /**
     * Copies the script into a folder as {@code main.py}, with {@code fake_comfy.py} beside it.
     *
     * @param folder an existing folder; it becomes the stand-in's ComfyUI folder
     * @return the script's path
     */
    public static Path install(Path folder) {
        Path script = folder.resolve("main.py");
        copy(RESOURCE, script);
        copy(ENGINE_RESOURCE, folder.resolve(ENGINE_RESOURCE));
        return script;
    }

    private static void copy(String resource, Path target) {
        try (InputStream in = FakeComfyUiScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the testkit");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes a stand-in launched with {@code --mode crash-after --crash-signal <signals>} crash (exit code 3)
     * now, by writing the file it waits for; it notices within 0.2 s.
     *
     * @param signals the folder given as {@code --crash-signal}
     * @param pid the process id of the stand-in to crash
     */
    public static void crash(Path signals, long pid) {
        try {
            Files.writeString(signals.resolve("crash-" + pid), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
