package dev.switchboard.testkit.sdwebui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for SD-WebUI's {@code webui.sh} (needs {@code python3}), for tests of backends that launch the
 * WebUI. Run as {@code webui.sh --api --port=N}, it serves {@code /sdapi/v1/options}, {@code samplers},
 * {@code sd-models}, {@code refresh-checkpoints}, {@code txt2img} (real PNGs of the requested size, base64, one
 * generation at a time), {@code progress} (the running job's steps) and {@code interrupt} (the job stops at its next
 * step) on 127.0.0.1:N (404 without {@code --api}, like the real one) and prints its arguments and
 * {@code CUDA_VISIBLE_DEVICES}. {@code --step-ms N} sets the time per sampling step (20 ms by default),
 * {@code --mode exit} makes it fail at once with exit code 1, {@code --mode never-ready} makes it never listen.
 */
public final class FakeSdWebUiScript {
    private FakeSdWebUiScript() {
    }

    /**
     * Copies {@code webui.sh} (executable) and the Python program it runs into a folder.
     *
     * @param folder an existing folder; it becomes the stand-in's WebUI folder
     * @return the path of {@code webui.sh}
     */
    public static Path install(Path folder) {
        copy("fake_webui.py", folder.resolve("fake_webui.py"));
        Path script = folder.resolve("webui.sh");
        copy("webui.sh", script);
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    private static void copy(String resource, Path target) {
        try (InputStream in = FakeSdWebUiScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the testkit");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
