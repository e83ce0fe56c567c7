package dev.switchboard.examples.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the guide honest: every code block marked {@code <!-- snippet: PATH#REGION -->} in
 * docs/writing-a-backend-type.md must equal the region between {@code tag::REGION[]} and {@code end::REGION[]}
 * in PATH (relative to the repository root), with the region's common indentation removed. The sources are
 * compiled and tested by this module, so the guide's code is too.
 */
final class GuideSnippetsTest {
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");

    private record Snippet(String path, String region, String text) {
    }

    @Test
    void everyMarkedSnippetEqualsItsSourceRegion() throws IOException {
        List<Snippet> snippets = snippets(Files.readAllLines(guide()));

        assertThat(snippets).as("snippets in the guide").hasSizeGreaterThanOrEqualTo(5);
        for (Snippet snippet : snippets) {
            String source = region(root().resolve(snippet.path()), snippet.region());
            assertThat(snippet.text()).as("guide snippet %s#%s differs from the source; copy the region into the"
                    + " guide", snippet.path(), snippet.region()).isEqualTo(source);
        }
    }

    @Test
    void aChangedSourceRegionIsNoticed() {
        List<Snippet> snippets = snippets(List.of("<!-- snippet: a.java#r -->", "```java", "int x = 1;", "```"));

        assertThat(snippets).singleElement().satisfies(snippet -> {
            assertThat(snippet.text()).isEqualTo("int x = 1;");
            assertThat(snippet.text()).isNotEqualTo(dedent(List.of("    int x = 2;")));
        });
    }

    private static List<Snippet> snippets(List<String> lines) {
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i).strip());
            if (!marker.matches()) {
                continue;
            }
            assertThat(lines.get(i + 1)).as("line after a snippet marker opens a code block").startsWith("```");
            List<String> body = new ArrayList<>();
            int j = i + 2;
            while (!lines.get(j).startsWith("```")) {
                body.add(lines.get(j));
                j++;
            }
            snippets.add(new Snippet(marker.group(1), marker.group(2), String.join("\n", body)));
            i = j;
        }
        return snippets;
    }

    private static String region(Path file, String region) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("tag::" + region + "[]")) {
                start = i + 1;
            } else if (line.contains("end::" + region + "[]") && start >= 0) {
                return dedent(lines.subList(start, i));
            }
        }
        throw new AssertionError("no region " + region + " (tag::" + region + "[] ... end::" + region + "[]) in " + file);
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
    }

    private static Path guide() {
        return Path.of(System.getProperty("switchboard.guide"));
    }

    private static Path root() {
        return Path.of(System.getProperty("switchboard.repository.root"));
    }
}
