package dev.switchboard.server.bootstrap;

import dev.switchboard.server.apidocs.ApiMarkdown;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes {@code docs/api.md} from the routes a real server serves: starts one on a free loopback port with an empty
 * data directory and no plugins, reads its route registry, stops it. The build runs it (server module, {@code
 * prepare-package}); a test fails when the committed file differs from what it would write.
 */
public final class ApiDocsWriter {
    private ApiDocsWriter() {
    }

    /**
     * @param args the file to write, e.g. {@code docs/api.md}
     */
    public static void main(String[] args) throws IOException, StartupException {
        if (args.length != 1) {
            System.err.println("usage: ApiDocsWriter FILE");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        String markdown = markdown();
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(markdown)) {
            return;
        }
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        System.out.println("Wrote " + file.toAbsolutePath().normalize());
    }

    /** @return the Markdown reference of every route a server serves */
    public static String markdown() throws IOException, StartupException {
        Path folder = Files.createTempDirectory("switchboard-api-docs");
        Files.createDirectories(folder.resolve("no-plugins"));
        try (SwitchboardServer server = SwitchboardServer.start(new ServerOptions("127.0.0.1", 0,
                folder.resolve("data"), folder.resolve("no-plugins"), false, 1 << 20, Duration.ofMinutes(1)))) {
            return ApiMarkdown.of(server.routes());
        } finally {
            deleteTree(folder);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
