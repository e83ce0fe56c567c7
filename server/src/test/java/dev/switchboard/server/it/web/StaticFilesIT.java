package dev.switchboard.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The page's files over real HTTP: types, caching, security headers, and nothing else reachable. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticFilesIT {
    private static final Path WEB_SOURCES = Path.of("src/main/resources/dev/switchboard/server/web");

    private final HttpClient http = HttpClient.newHttpClient();
    private WebTestServer server;

    @BeforeAll
    void startServer(@TempDir Path data) throws Exception {
        server = WebTestServer.start(data, WebTestServer.shippedPlugins());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRootServesThePageWithAStrictPolicyAndRevalidation() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("ETag")).hasValueSatisfying(etag -> assertThat(etag).matches("\"[0-9a-f]{32}\""));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/js/main.js\"></script>");
        assertThat(get("/index.html").body()).isEqualTo(page.body());
    }

    @Test
    void scriptsAndStylesCarryTheirTypes() throws Exception {
        assertThat(get("/js/main.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/app.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    }

    @Test
    void anUnchangedFileIsAnsweredWithNotModified() throws Exception {
        String etag = get("/js/api.js").headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/js/api.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void headAnswersHeadersOnlyAndOtherMethodsAreRefused() throws Exception {
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/app.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/app.css"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(
                get("/app.css").body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void unknownPathsAndEscapesAreNotFound() throws Exception {
        for (String path : List.of("/nope.html", "/js/", "/js", "/assets.txt", "/../server-version.properties",
                "/js/../../server-version.properties", "/%2e%2e/server-version.properties", "/js/%2e%2e/index.html",
                "/dev/switchboard/server/web/index.html", "/index.html/", "/JS/MAIN.JS")) {
            assertThat(rawStatusLine(path)).as(path).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void everyFileOfThePageIsListedAndServed() throws Exception {
        List<String> files;
        try (Stream<Path> walk = Files.walk(WEB_SOURCES)) {
            files = walk.filter(Files::isRegularFile).map(file -> WEB_SOURCES.relativize(file).toString().replace('\\', '/'))
                    .filter(name -> !name.equals("assets.txt")).sorted().toList();
        }
        List<String> listed = Files.readAllLines(WEB_SOURCES.resolve("assets.txt")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).sorted().toList();

        assertThat(listed).isEqualTo(files);
        for (String file : files) {
            HttpResponse<String> response = get("/" + file);
            assertThat(response.statusCode()).as(file).isEqualTo(200);
            assertThat(response.body()).as(file).isEqualTo(Files.readString(WEB_SOURCES.resolve(file)));
        }
    }

    @Test
    void thePageReferencesOnlyItsOwnFiles() throws Exception {
        Pattern reference = Pattern.compile("(?:src|href)=\"([^\"]*)\"|from '([^']*)'|import\\('([^']*)'\\)");
        List<String> pages = Files.readAllLines(WEB_SOURCES.resolve("assets.txt")).stream().map(String::strip)
                .filter(line -> line.endsWith(".html") || line.endsWith(".js")).toList();
        assertThat(pages).contains("index.html", "js/main.js", "js/generation.js", "js/gallery.js");
        for (String file : pages) {
            Matcher matcher = reference.matcher(Files.readString(WEB_SOURCES.resolve(file)));
            while (matcher.find()) {
                String target = matcher.group(1) != null ? matcher.group(1)
                        : matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
                // A file of its own, or a place in the page itself (the views' links, #generate ...).
                assertThat(target).as(file).matches("(/|\\./)[a-z0-9./-]+|#[a-z]+");
            }
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // A raw request, so the path reaches the server exactly as written (clients would normalise "..").
    private String rawStatusLine(String path) throws IOException {
        URI base = URI.create(server.url());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.lines().findFirst().orElse("");
        }
    }
}
