package dev.switchboard.testkit.comfyui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A stand-in for ComfyUI's {@code main.py} (needs {@code python3}), for tests of backends that launch
 * ComfyUI. Run as {@code python3 -s main.py --port N}, it serves {@code /object_info}, {@code /features}
 * and {@code POST /free} on 127.0.0.1:N. Extra arguments choose a misbehaviour: {@code --mode exit} (fails at
 * once with exit code 1), {@code never-ready} (never listens), {@code hostile} (ignores SIGINT and SIGTERM
 * and keeps a grandchild that ignores them too), {@code busy-once} (the first run, per {@code --marker}
 * file, prints Python's "address already in use" error and hangs), {@code crash-after} (serves for
 * {@code --seconds}, then exits with code 3); {@code --grandchild} adds a sleeping grandchild to
 * {@code crash-after}. {@code --report FILE} makes it write its arguments,
 * environment, working directory, pid and (hostile) grandchild pid as JSON.
 */
public final class FakeComfyUiScript {

    private static final String RESOURCE = "fake_main.py";

    private FakeComfyUiScript() {
    }

    /**
     * Copies the script into a folder as {@code main.py}.
     *
     * @param folder an existing folder; it becomes the stand-in's ComfyUI folder
     * @return the script's path
     */
    public static Path install(Path folder) {
        Path script = folder.resolve("main.py");
        try (InputStream in = FakeComfyUiScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the testkit");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }
}
