package dev.switchboard.server.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SwarmUI's backends files as SwarmUI writes them (the CUR and OLD files under this package's test resources were
 * written by hand from the format's description: help comments, tabs, {@code \x} empty strings, escaped multi-line
 * values, Windows line ends in the OLD one), SwarmUI's fallback to {@code ~2}, and files that are not backends files.
 */
final class SwarmBackendsFileTest {
    @TempDir
    Path folder;

    static Path resource(Path folder, String name) throws IOException {
        try (InputStream in = SwarmBackendsFileTest.class.getResourceAsStream(name)) {
            Path file = folder.resolve(name.replaceFirst("^(cur|old)-", ""));
            Files.createDirectories(folder);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    private static Map<String, String> texts(SwarmBackend backend) {
        return backend.settings().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> ((FdsNode.Scalar) entry.getValue()).text(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    @Test
    void aCurrentFileReadsEveryBackendWithItsSettingsAsWritten() throws Exception {
        SwarmBackendsFile file = SwarmBackendsFile.read(resource(folder.resolve("cur"), "cur-Backends.fds"));

        assertThat(file.readSaveCopy()).isFalse();
        List<SwarmBackend> backends = file.backends();
        assertThat(backends).extracting(SwarmBackend::id).containsExactly(0, 3, 4, 7);
        assertThat(backends).extracting(SwarmBackend::type).containsExactly("comfyui_selfstart", "swarmswarmbackend",
                "comfyui_api", "autoscalingbackend");
        assertThat(backends).extracting(SwarmBackend::title).containsExactly("", "GPU box: the big one",
                " padded title ", "Scaler\\farm");
        assertThat(backends).extracting(SwarmBackend::enabled).containsExactly(true, false, true, true);
        assertThat(backends).extracting(SwarmBackend::line).containsExactly(1, 27, 46, 55);

        assertThat(texts(backends.get(0))).containsExactly(
                Map.entry("StartScript", "dlbackend/comfy/ComfyUI/main.py"),
                Map.entry("ExtraArgs", "--lowvram --output-directory \"/srv/comfy out\""),
                Map.entry("DisableInternalArgs", "false"), Map.entry("AutoUpdate", "aggressive"),
                Map.entry("UpdateManagedNodes", "false"), Map.entry("FrontendVersion", "LatestSwarmValidated"),
                Map.entry("EnablePreviews", "taesd"), Map.entry("GPU_ID", "0,1"), Map.entry("OverQueue", "2"),
                Map.entry("AutoRestart", "true"));
        assertThat(texts(backends.get(1))).containsEntry("AuthorizationHeader", "Bearer sk-swarm-7f3a9c")
                .containsEntry("OtherHeaders", "X-Team: imaging\nX-Api-Key: key-91b2e4")
                .containsEntry("ConnectionAttemptTimeoutSeconds", "45");
        assertThat(texts(backends.get(3))).containsEntry("StartScript", "").containsEntry("MinWaitBetweenStart", "1.5");
        assertThat(backends.get(0).settings().get("OverQueue").line()).isEqualTo(24);
    }

    @Test
    void anOldFileWithWindowsLineEndsAndMissingTitleAndEnabledTakesSwarmUisDefaults() throws Exception {
        Path fds = resource(folder.resolve("old"), "old-Backends.fds");
        assertThat(Files.readString(fds)).contains("\r\n");
        List<SwarmBackend> backends = SwarmBackendsFile.read(fds).backends();

        assertThat(backends).extracting(SwarmBackend::id).containsExactly(0, 1, 2);
        assertThat(backends.get(0).title()).isEmpty();
        assertThat(backends.get(2).enabled()).isTrue();
        assertThat(backends.get(1).enabled()).isFalse();
        assertThat(texts(backends.get(0))).containsEntry("AutoUpdate", "true").containsEntry("GPU_ID", "0")
                .containsEntry("ExtraArgs", "").doesNotContainKey("FrontendVersion");
    }

    @Test
    void aMissingFileIsReadFromTheCopySwarmUiKeepsWhileSaving() throws Exception {
        Path data = folder.resolve("Data");
        Path copy = resource(data, "cur-Backends.fds");
        Files.move(copy, data.resolve("Backends.fds~2"));
        Files.writeString(data.resolve("Backends.fds~1"), "half writ");

        SwarmBackendsFile file = SwarmBackendsFile.read(data.resolve("Backends.fds"));
        assertThat(file.readSaveCopy()).isTrue();
        assertThat(file.source()).isEqualTo(data.resolve("Backends.fds~2"));
        assertThat(file.backends()).hasSize(4);
        // The folder stands for the file inside it.
        assertThat(SwarmBackendsFile.read(data).backends()).hasSize(4);
    }

    @Test
    void neitherTheFileNorItsCopyIsAClearError() {
        Path missing = folder.resolve("Data/Backends.fds");
        assertThatThrownBy(() -> SwarmBackendsFile.read(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no Backends.fds~2");
    }

    @Test
    void filesThatAreNotBackendsFilesAreRefusedNamingTheLine() {
        record Damage(String text, int line, String reason) {
        }
        List<Damage> damages = List.of(
                new Damage("gpu:\n\ttype: comfyui_api\n", 1, "the top-level key 'gpu' is not a backend id"),
                new Damage("+1:\n\ttype: comfyui_api\n", 1, "is not a backend id"),
                new Damage("0:\n\ttype: a\n2147483647:\n\ttype: b\n", 3, "larger than 2147483646"),
                new Damage("0: comfyui_api\n", 1, "backend 0 is a single value, not a section"),
                new Damage("0:\n\ttitle: t\n\tenabled: true\n", 1, "backend 0 has no 'type'"),
                new Damage("0:\n\ttype: \\x\n", 2, "backend 0 has an empty 'type'"),
                new Damage("0:\n\ttype: a\n\tenabled: yes\n", 3, "'enabled' of backend 0 must be true or false"),
                new Damage("0:\n\ttype: a\n\ttitle:\n\tenabled: true\n", 3, "'title' of backend 0 has no value"),
                new Damage("0:\n\ttype: a\n\tsettings: none\n", 3, "'settings' of backend 0 must be a section"),
                new Damage("0:\n\ttype:\n\t\tx: y\n", 2, "'type' of backend 0 has no value"));
        for (Damage damage : damages) {
            assertThatThrownBy(() -> SwarmBackendsFile.backends(FdsParser.parse(damage.text()
                    .getBytes(StandardCharsets.UTF_8))))
                    .as(damage.text())
                    .isInstanceOfSatisfying(FdsParseException.class, e -> assertThat(e.line()).isEqualTo(damage.line()))
                    .hasMessageContaining(damage.reason());
        }
    }

    @Test
    void enabledReadsTrueAndFalseInAnyCaseAndOtherKeysAreIgnored() throws Exception {
        List<SwarmBackend> backends = SwarmBackendsFile.backends(FdsParser.parse(
                "5:\n\ttype: a\n\tenabled: FALSE\n\tfuture_field: 1\n6:\n\ttype: b\n\tenabled: True\n"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(backends).extracting(SwarmBackend::enabled).containsExactly(false, true);
        assertThat(backends.get(0).settings()).isEmpty();
    }
}
