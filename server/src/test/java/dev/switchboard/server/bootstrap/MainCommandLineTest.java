package dev.switchboard.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.it.TestPlugins;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's options and subcommand as picocli parses them (the server itself is not started). */
final class MainCommandLineTest {
    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(String... args) {
        return Main.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> { }).execute(args);
    }

    @Test
    void helpListsTheLogOptionsAndTheImportSubcommand() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--log-format=text|json").contains("--log-file=PATH")
                .contains("import-swarmui");
    }

    @Test
    void anUnknownLogFormatIsAUsageError() {
        assertThat(execute("--log-format", "xml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--log-format").contains("xml");
    }

    @Test
    void theImportSubcommandHasItsOwnHelp() {
        assertThat(execute("import-swarmui", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("BACKENDS_FDS").contains("--data-dir")
                .contains("--plugins-dir").contains("--replace").contains("--dry-run");
    }

    @Test
    void theImportSubcommandRunsTheImport() throws IOException {
        Path fds = Files.writeString(folder.resolve("Backends.fds"), "0:\n\ttype: comfyui_api\n\ttitle: one\n");
        Path data = folder.resolve("data");

        assertThat(execute("import-swarmui", fds.toString(), "--data-dir", data.toString(), "--plugins-dir",
                TestPlugins.shipped().toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Imported 1 backend into " + data.resolve(
                "backends.json"));
        assertThat(Files.readString(data.resolve("backends.json"))).contains("\"title\": \"one\"");
    }

    @Test
    void theImportSubcommandNeedsTheFile() {
        assertThat(execute("import-swarmui")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("BACKENDS_FDS");
    }
}
