package dev.switchboard.server.outputs;

import static dev.switchboard.server.outputs.OutputStoreTest.REQUEST_TIME;
import static dev.switchboard.server.outputs.OutputStoreTest.description;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.sessions.CallerResolver;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /View/...} on a real Undertow over a real socket. */
final class ViewHandlerTest {
    static final String BAD_PATH = "{\"error\":\"Unacceptable path. If you are the server owner, check program console"
            + " log.\",\"error_id\":\"bad_path\"}";
    static final String NOT_FOUND = "{\"error\":\"404, file not found.\",\"error_id\":\"file_not_found\"}";
    static final String FILE_ERROR = "{\"error\":\"Error reading file. If you are the server owner, check program"
            + " console log.\",\"error_id\":\"file_error\"}";
    private static final String SECRET = "the secret outside outputs";

    @TempDir
    Path data;

    private Path outputs;
    private Undertow undertow;
    private ViewClient client;
    private final List<String> openingThreads = new CopyOnWriteArrayList<>();
    private SavedOutput cat;
    private byte[] catBytes;

    @BeforeEach
    void saveAnImage() throws Exception {
        outputs = data.resolve("outputs").toAbsolutePath();
        OutputStore store = new OutputStore(outputs, new MutableClock(REQUEST_TIME, ZoneOffset.UTC));
        cat = store.save("local", TestImages.png(40, 30), "image/png",
                description(store.stampRequest(), "a photo of a 猫", "sdxl/base.safetensors", 1));
        catBytes = Files.readAllBytes(cat.file());
        Files.writeString(data.resolve("secret.txt"), SECRET);
        Files.writeString(data.resolve("secret.png"), SECRET);
    }

    @AfterEach
    void stop() {
        if (undertow != null) {
            undertow.stop();
        }
    }

    private void start() {
        start(file -> FileChannel.open(file));
    }

    private void start(ViewHandler.FileOpener opener) {
        HttpHandler next = exchange -> {
            exchange.setStatusCode(418);
            exchange.getResponseSender().send("next");
        };
        ViewHandler handler = new ViewHandler(outputs, CallerResolver.SINGLE_USER, next, file -> {
            openingThreads.add(Thread.currentThread().getName());
            return opener.open(file);
        });
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        undertow.start();
        client = new ViewClient(((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort());
    }

    @Test
    void aSavedImageIsServedAtItsViewPathWithTypeCachingTagAndLength() {
        start();
        assertThat(cat.viewPath()).isEqualTo("View/local/raw/2024-01-02/0304001-a photo of a 猫-sdxlbase.png");
        HttpResponse<byte[]> response = client.send("GET", ViewClient.escape(cat.viewPath()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(catBytes);
        assertThat(header(response, "content-type")).isEqualTo("image/png");
        assertThat(header(response, "content-length")).isEqualTo(Integer.toString(catBytes.length));
        assertThat(header(response, "cache-control")).isEqualTo("private, max-age=30");
        assertThat(header(response, "accept-ranges")).isEqualTo("bytes");
        assertThat(header(response, "x-content-type-options")).isEqualTo("nosniff");
        assertThat(header(response, "etag")).matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\"");
        assertThat(openingThreads).isNotEmpty().allSatisfy(name -> assertThat(name).doesNotContain("I/O"));
    }

    @Test
    void theLegacyOutputPathServesTheLocalUsersFolder() {
        start();
        String legacy = ViewClient.escape(cat.viewPath()).replaceFirst("^/View/local/", "/Output/");
        assertThat(client.send("GET", legacy).body()).isEqualTo(catBytes);
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() {
        start();
        HttpResponse<byte[]> response = client.send("HEAD", ViewClient.escape(cat.viewPath()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "content-length")).isEqualTo(Integer.toString(catBytes.length));
        assertThat(header(response, "etag")).isNotNull();
        HttpResponse<byte[]> missing = client.send("HEAD", "/View/local/nothing.png");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
        assertThat(header(missing, "content-length")).isEqualTo(Integer.toString(NOT_FOUND.length()));
    }

    @Test
    void theContentTypeComesFromTheExtensionAndDocumentsAreCachedBriefly() throws Exception {
        Path folder = outputs.resolve("local/misc");
        Files.createDirectories(folder);
        Files.write(folder.resolve("a.jpg"), new byte[] {1});
        Files.write(folder.resolve("a.swarm.json"), "{}".getBytes(UTF_8));
        Files.write(folder.resolve("a.txt"), "t".getBytes(UTF_8));
        Files.write(folder.resolve("a.unknownext"), new byte[] {2});
        Files.write(folder.resolve("noextension"), new byte[] {3});
        start();
        assertTypeAndCache("/View/local/misc/a.jpg", "image/jpeg", "private, max-age=30");
        assertTypeAndCache("/View/local/misc/a.swarm.json", "application/json", "private, max-age=2");
        assertTypeAndCache("/View/local/misc/a.txt", "text/plain", "private, max-age=2");
        assertTypeAndCache("/View/local/misc/a.unknownext", "application/octet-stream", "private, max-age=2");
        assertTypeAndCache("/View/local/misc/noextension", "application/octet-stream", "private, max-age=2");
    }

    private void assertTypeAndCache(String path, String type, String cache) {
        HttpResponse<byte[]> response = client.send("GET", path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(header(response, "content-type")).as(path).isEqualTo(type);
        assertThat(header(response, "cache-control")).as(path).isEqualTo(cache);
    }

    @Test
    void aMatchingIfNoneMatchGets304AndAChangedFileANewTag() throws Exception {
        start();
        String path = ViewClient.escape(cat.viewPath());
        String etag = header(client.send("GET", path), "etag");
        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            HttpResponse<byte[]> response = client.send("GET", path, "If-None-Match", ifNoneMatch);
            assertThat(response.statusCode()).as(ifNoneMatch).isEqualTo(304);
            assertThat(response.body()).isEmpty();
            assertThat(header(response, "etag")).isEqualTo(etag);
            assertThat(header(response, "cache-control")).isEqualTo("private, max-age=30");
        }
        HttpResponse<byte[]> other = client.send("GET", path, "If-None-Match", "\"something-else\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(catBytes);

        Files.delete(cat.file());
        Files.write(cat.file(), Arrays.copyOf(catBytes, catBytes.length + 1));
        HttpResponse<byte[]> changed = client.send("GET", path, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(header(changed, "etag")).isNotEqualTo(etag);
    }

    @Test
    void oneRangeIsServedAsPartialContent() {
        start();
        String path = ViewClient.escape(cat.viewPath());
        int size = catBytes.length;
        assertRange(path, "bytes=0-9", 0, 9);
        assertRange(path, "bytes=-5", size - 5, size - 1);
        assertRange(path, "bytes=10-", 10, size - 1);
        assertRange(path, "bytes=3-999999", 3, size - 1);
        String etag = header(client.send("GET", path), "etag");
        HttpResponse<byte[]> ifRange = client.send("GET", path, "Range", "bytes=1-2", "If-Range", etag);
        assertThat(ifRange.statusCode()).isEqualTo(206);
        assertThat(ifRange.body()).isEqualTo(Arrays.copyOfRange(catBytes, 1, 3));

        HttpResponse<byte[]> staleIfRange = client.send("GET", path, "Range", "bytes=1-2", "If-Range", "\"old\"");
        assertThat(staleIfRange.statusCode()).isEqualTo(200);
        assertThat(staleIfRange.body()).isEqualTo(catBytes);
        HttpResponse<byte[]> several = client.send("GET", path, "Range", "bytes=0-1,4-5");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).isEqualTo(catBytes);

        HttpResponse<byte[]> head = client.send("HEAD", path, "Range", "bytes=0-9");
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(header(head, "content-length")).isEqualTo("10");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aRangePastTheEndGets416() {
        start();
        HttpResponse<byte[]> response = client.send("GET", ViewClient.escape(cat.viewPath()),
                "Range", "bytes=" + catBytes.length + "-");
        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(header(response, "content-range")).isEqualTo("bytes */" + catBytes.length);
        assertThat(response.body()).isEmpty();
    }

    private void assertRange(String path, String range, int first, int last) {
        HttpResponse<byte[]> response = client.send("GET", path, "Range", range);
        assertThat(response.statusCode()).as(range).isEqualTo(206);
        assertThat(header(response, "content-range")).as(range)
                .isEqualTo("bytes " + first + "-" + last + "/" + catBytes.length);
        assertThat(header(response, "content-length")).as(range).isEqualTo(Integer.toString(last - first + 1));
        assertThat(response.body()).as(range).isEqualTo(Arrays.copyOfRange(catBytes, first, last + 1));
    }

    @Test
    void aLargeFileIsStreamedWholeAndInRanges() throws Exception {
        byte[] big = new byte[24 * 1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.createDirectories(outputs.resolve("local/big"));
        Files.write(outputs.resolve("local/big/video.mp4"), big);
        start();
        HttpResponse<InputStream> whole = client.send("GET", "/View/local/big/video.mp4",
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(header(whole, "content-type")).isEqualTo("video/mp4");
        assertThat(readInSmallPieces(whole.body())).isEqualTo(sha256(big, 0, big.length));

        int first = 5 * 1024 * 1024 + 3;
        int last = 17 * 1024 * 1024 + 11;
        HttpResponse<InputStream> part = client.send("GET", "/View/local/big/video.mp4",
                HttpResponse.BodyHandlers.ofInputStream(), "Range", "bytes=" + first + "-" + last);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(readInSmallPieces(part.body())).isEqualTo(sha256(big, first, last + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/View/local/nothing.png", "/View/local/raw/2024-01-02", "/View/local/raw",
        "/View/nobody/x.png", "/View/local/raw/1999-01-01/x.png", "/Output/nothing.png"})
    void whatIsNotARegularFileGets404(String path) {
        start();
        HttpResponse<byte[]> response = client.send("GET", path);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new String(response.body(), UTF_8)).isEqualTo(NOT_FOUND);
        assertThat(header(response, "content-type")).isEqualTo("application/json");
        assertThat(header(response, "cache-control")).isEqualTo("no-store");
    }

    @Test
    void temporaryAndHiddenFilesAreNeverServed() throws Exception {
        Path folder = cat.file().getParent();
        Files.write(folder.resolve(".0304001-x.png.tmp-1f2e"), new byte[] {1, 2});
        Files.createDirectories(outputs.resolve("local/.hidden"));
        Files.write(outputs.resolve("local/.hidden/x.png"), new byte[] {1, 2});
        start();
        for (String path : List.of("/View/local/raw/2024-01-02/.0304001-x.png.tmp-1f2e", "/View/local/.hidden/x.png")) {
            HttpResponse<byte[]> response = client.send("GET", path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(new String(response.body(), UTF_8)).isEqualTo(NOT_FOUND);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/View/local/..%2F..%2Fsecret.txt", "/View/local/%2e%2e/%2e%2e/secret.txt", "/View/local/..%5C..%5Csecret.txt",
        "/View/local/%2E%2E%5C%2E%2E%5Csecret.txt", "/View/local/%252e%252e/%252e%252e/secret.txt",
        "/View/local//etc/passwd", "/View/local/%2Fetc%2Fpasswd", "/View/local/C:%5CWindows%5Cwin.ini",
        "/View/local/c:/secret.txt", "/View/..%2Fsecret.txt", "/View/%2e%2e/secret.txt", "/View/../secret.txt",
        "/View/local/../../secret.txt", "/View/", "/View/local", "/View/local/", "/View/a.b/x.png",
        "/View/%00local/x.png", "/Output/..%2F..%2Fsecret.txt", "/Output/%2Fetc%2Fpasswd", "/Output/"})
    void traversalAbsoluteAndUnusablePathsGet400BadPath(String path) {
        start();
        HttpResponse<byte[]> response = client.send("GET", path);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        assertThat(new String(response.body(), UTF_8)).as(path).isEqualTo(BAD_PATH);
        assertThat(header(response, "content-type")).isEqualTo("application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/View/local/..\\..\\secret.txt", "/View/local/../../secret.txt",
        "/View/local/./../../secret.txt", "/View/local/raw/../../../secret.txt"})
    void literalDotsAndBackslashesInTheRequestLineNeverReachTheFileOutside(String target) {
        start();
        ViewClient.RawReply reply = client.raw(target);
        // Refused (by Undertow for the backslash, else by us), or (as SwarmUI, which removes every "..") looked up
        // inside the folder and not found there.
        assertThat(reply.status()).as(target).isIn(400, 404);
        assertThat(new String(reply.body(), UTF_8)).as(target).isIn("", BAD_PATH, NOT_FOUND);
    }

    @Test
    void symbolicLinksOutOfTheUserFolderAreRefusedAndLinksInsideFollowed() throws Exception {
        Path user = outputs.resolve("local");
        Files.createSymbolicLink(user.resolve("escape.png"), data.resolve("secret.png"));
        Files.createDirectories(data.resolve("elsewhere"));
        Files.writeString(data.resolve("elsewhere/x.png"), SECRET);
        Files.createSymbolicLink(user.resolve("linked-folder"), data.resolve("elsewhere"));
        Files.createSymbolicLink(user.resolve("other-user.png"), outputs.resolve("someone/x.png"));
        Files.createDirectories(outputs.resolve("someone"));
        Files.writeString(outputs.resolve("someone/x.png"), SECRET);
        Files.createSymbolicLink(user.resolve("inside.png"), cat.file());
        start();
        for (String path : List.of("/View/local/escape.png", "/View/local/linked-folder/x.png",
                "/View/local/other-user.png")) {
            HttpResponse<byte[]> response = client.send("GET", path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(new String(response.body(), UTF_8)).as(path).isEqualTo(BAD_PATH);
        }
        assertThat(client.send("GET", "/View/local/inside.png").body()).isEqualTo(catBytes);
    }

    @Test
    void aFileThatCannotBeReadGets500FileErrorAndOneThatVanishes404() {
        start(file -> {
            if (file.getFileName().toString().startsWith("0304001")) {
                throw new IOException("Input/output error");
            }
            throw new NoSuchFileException(file.toString());
        });
        HttpResponse<byte[]> broken = client.send("GET", ViewClient.escape(cat.viewPath()));
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(new String(broken.body(), UTF_8)).isEqualTo(FILE_ERROR);
        assertThat(header(broken, "content-type")).isEqualTo("application/json");
        assertThat(header(broken, "etag")).isNull();

        Path vanishing = cat.file().resolveSibling("vanishing.png");
        try {
            Files.write(vanishing, new byte[] {1});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        HttpResponse<byte[]> gone = client.send("GET", "/View/local/raw/2024-01-02/vanishing.png");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(new String(gone.body(), UTF_8)).isEqualTo(NOT_FOUND);
    }

    @Test
    void otherMethodsGet405() {
        start();
        HttpResponse<byte[]> response = client.send("POST", ViewClient.escape(cat.viewPath()));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(header(response, "allow")).isEqualTo("GET, HEAD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "/view/local/x.png", "/Viewer/x", "/View", "/Output", "/API/View"})
    void everyOtherPathGoesToTheNextHandler(String path) {
        start();
        HttpResponse<byte[]> response = client.send("GET", path);
        assertThat(response.statusCode()).as(path).isEqualTo(418);
        assertThat(new String(response.body(), UTF_8)).isEqualTo("next");
    }

    private static String readInSmallPieces(InputStream body) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = body) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(byte[] bytes, int from, int to) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(bytes, from, to - from);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
