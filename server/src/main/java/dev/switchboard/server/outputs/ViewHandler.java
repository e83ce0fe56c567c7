package dev.switchboard.server.outputs;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.http.ExchangeCredentials;
import dev.switchboard.server.outputs.ByteRanges.Outcome;
import dev.switchboard.server.outputs.ByteRanges.Part;
import dev.switchboard.server.outputs.ByteRanges.Unsatisfiable;
import dev.switchboard.server.sessions.CallerResolver;
import dev.switchboard.server.sessions.Credentials;
import dev.switchboard.server.sessions.Identity;
import dev.switchboard.server.sessions.InvalidCredentialsException;
import dev.switchboard.server.sessions.Permission;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * Serves saved outputs: {@code GET} and {@code HEAD} of {@code /View/<user>/<path>} and the legacy
 * {@code /Output/<path>} (in the caller's own folder), as SwarmUI does (generation.md 4.3): the path is URL-decoded
 * (once more after Undertow, as SwarmUI decodes it twice) and cleaned ({@link OutputPaths}), and must lead to a
 * regular file whose real location is inside {@code outputs/<user>/}. Errors are SwarmUI's JSON bodies. A file is
 * sent with its content type, {@code Cache-Control: private, max-age=30} ({@code max-age=2} for text and
 * application types), a strong {@code ETag} ({@code If-None-Match} gives 304) and one {@code Range} honoured (206,
 * or 416 past the end). Every other path goes to the next handler.
 *
 * <p>File work runs on worker threads, never on the IO thread, and large files are streamed, never loaded whole.
 */
public final class ViewHandler implements HttpHandler {
    static final String CACHE_CONTROL_MEDIA = "private, max-age=30";
    static final String CACHE_CONTROL_DOCUMENTS = "private, max-age=2";

    private static final Logger LOG = LoggerFactory.getLogger(ViewHandler.class);
    private static final String VIEW_PREFIX = "/View/";
    private static final String OUTPUT_PREFIX = "/Output/";
    private static final HttpString NO_SNIFF = new HttpString("X-Content-Type-Options");

    private final Path root;
    private final HttpHandler next;
    private final FileOpener opener;
    private final CallerResolver callers;

    /**
     * @param outputsRoot the outputs folder ({@link OutputStore#root()})
     * @param callers tells who a request is from: a user sees their own folder, a holder of
     *     {@code view_others_outputs} every folder
     * @param next the handler for every path that is not {@code /View/...} or {@code /Output/...}
     */
    public ViewHandler(Path outputsRoot, CallerResolver callers, HttpHandler next) {
        this(outputsRoot, callers, next,
                file -> FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    ViewHandler(Path outputsRoot, CallerResolver callers, HttpHandler next, FileOpener opener) {
        this.root = requireNonNull(outputsRoot, "outputsRoot is null").toAbsolutePath().normalize();
        this.callers = requireNonNull(callers, "callers is null");
        this.next = requireNonNull(next, "next is null");
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        boolean view = path.startsWith(VIEW_PREFIX);
        if (!view && !path.startsWith(OUTPUT_PREFIX)) {
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        boolean head = Methods.HEAD.equals(exchange.getRequestMethod());
        if (!head && !Methods.GET.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
            exchange.endExchange();
            return;
        }
        try {
            serve(exchange, path.substring((view ? VIEW_PREFIX : OUTPUT_PREFIX).length()), view, head);
        } catch (RuntimeException e) {
            LOG.error("Serving {} failed", OutputPaths.printable(path), e);
            if (!exchange.isResponseStarted()) {
                answer(exchange, ViewError.FILE_ERROR, head);
            }
        }
    }

    private void serve(HttpServerExchange exchange, String requested, boolean view, boolean head) {
        String decoded = OutputPaths.percentDecode(requested).replace('\\', '/');
        Credentials credentials = ExchangeCredentials.of(exchange);
        Identity caller;
        try {
            caller = callers.resolve(credentials);
        } catch (InvalidCredentialsException e) {
            answer(exchange, ViewError.UNAUTHORIZED, head);
            return;
        }
        if (caller.anonymous()) {
            answer(exchange, ViewError.UNAUTHORIZED, head);
            return;
        }
        String owner = caller.user();
        String relative = decoded;
        if (view) {
            int slash = decoded.indexOf('/');
            owner = slash < 0 ? decoded : decoded.substring(0, slash);
            relative = slash < 0 ? "" : decoded.substring(slash + 1);
        }
        Path file;
        try {
            if (!OutputNames.isUserFolder(owner)) {
                throw new OutputPathException("no user has the folder name '" + OutputPaths.printable(owner) + "'");
            }
            if (!owner.equals(caller.user()) && !caller.has(Permission.VIEW_OTHERS_OUTPUTS)) {
                LOG.warn("Refused /View/{}/... to user '{}' from {}", owner, caller.user(), credentials.address());
                answer(exchange, ViewError.UNAUTHORIZED, head);
                return;
            }
            Path userFolder = root.resolve(owner);
            Path target = OutputPaths.resolve(userFolder, OutputPaths.clean(relative));
            if (OutputPaths.isHidden(userFolder.relativize(target))) {
                answer(exchange, ViewError.NOT_FOUND, head);
                return;
            }
            file = realFile(userFolder, target);
        } catch (OutputPathException e) {
            LOG.warn("Refused the output path '{}': {}", OutputPaths.printable(decoded), e.detail());
            answer(exchange, ViewError.BAD_PATH, head);
            return;
        } catch (NoSuchFileException e) {
            LOG.debug("No output at {}", OutputPaths.printable(decoded));
            answer(exchange, ViewError.NOT_FOUND, head);
            return;
        } catch (IOException e) {
            LOG.error("Could not read the output {}", OutputPaths.printable(decoded), e);
            answer(exchange, ViewError.FILE_ERROR, head);
            return;
        }
        send(exchange, file, head);
    }

    /** The file's real location, which must be a regular file inside the user's real folder. */
    private static Path realFile(Path userFolder, Path target) throws IOException, OutputPathException {
        Path real = target.toRealPath();
        OutputPaths.checkInside(userFolder.toRealPath(), real);
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(target.toString(), null, "not a regular file");
        }
        return real;
    }

    private void send(HttpServerExchange exchange, Path file, boolean head) {
        FileChannel channel;
        BasicFileAttributes attributes;
        try {
            channel = opener.open(file);
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            answer(exchange, ViewError.NOT_FOUND, head);
            return;
        } catch (IOException e) {
            LOG.error("Could not open the output {}", file, e);
            answer(exchange, ViewError.FILE_ERROR, head);
            return;
        }
        boolean streaming = false;
        try {
            long size = channel.size();
            String etag = etag(attributes, size);
            String contentType = MediaTypes.contentTypeOf(file.getFileName().toString());
            HeaderMap headers = exchange.getResponseHeaders();
            headers.put(Headers.ETAG, etag);
            headers.put(Headers.CACHE_CONTROL, contentType.startsWith("text/") || contentType.startsWith("application/")
                    ? CACHE_CONTROL_DOCUMENTS : CACHE_CONTROL_MEDIA);
            headers.put(Headers.ACCEPT_RANGES, "bytes");
            headers.put(NO_SNIFF, "nosniff");
            if (matchesAny(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH), etag)) {
                exchange.setStatusCode(StatusCodes.NOT_MODIFIED);
                exchange.endExchange();
                return;
            }
            String ifRange = exchange.getRequestHeaders().getFirst(Headers.IF_RANGE);
            Outcome range = ifRange == null || ifRange.strip().equals(etag)
                    ? ByteRanges.parse(exchange.getRequestHeaders().getFirst(Headers.RANGE), size)
                    : new ByteRanges.Whole();
            if (range instanceof Unsatisfiable) {
                exchange.setStatusCode(StatusCodes.REQUEST_RANGE_NOT_SATISFIABLE);
                headers.put(Headers.CONTENT_RANGE, "bytes */" + size);
                headers.put(Headers.CONTENT_LENGTH, 0L);
                exchange.endExchange();
                return;
            }
            long first = 0;
            long length = size;
            if (range instanceof Part part) {
                exchange.setStatusCode(StatusCodes.PARTIAL_CONTENT);
                headers.put(Headers.CONTENT_RANGE, "bytes " + part.first() + "-" + part.last() + "/" + size);
                first = part.first();
                length = part.length();
            }
            headers.put(Headers.CONTENT_TYPE, contentType);
            headers.put(Headers.CONTENT_LENGTH, length);
            if (head || length == 0) {
                exchange.endExchange();
                return;
            }
            exchange.addExchangeCompleteListener((ended, nextListener) -> {
                IoUtils.safeClose(channel);
                nextListener.proceed();
            });
            streaming = true;
            new FileBodyTransfer(exchange, channel, first, first + length).run();
        } catch (IOException e) {
            LOG.error("Could not read the output {}", file, e);
            if (!exchange.isResponseStarted()) {
                exchange.getResponseHeaders().clear();
                answer(exchange, ViewError.FILE_ERROR, head);
            }
        } finally {
            if (!streaming) {
                IoUtils.safeClose(channel);
            }
        }
    }

    /**
     * A strong validator: outputs are never rewritten in place (a save publishes a new file), so size,
     * modification time and file identity change whenever the bytes can have.
     */
    private static String etag(BasicFileAttributes attributes, long size) {
        long modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        return "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "-"
                + Integer.toHexString(Objects.hashCode(attributes.fileKey())) + "\"";
    }

    /** {@code If-None-Match}: {@code *} or any listed tag equal to ours, weak tags compared weakly (RFC 9110). */
    private static boolean matchesAny(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.strip();
            String opaque = candidate.startsWith("W/") ? candidate.substring(2) : candidate;
            if (candidate.equals("*") || opaque.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static void answer(HttpServerExchange exchange, ViewError error, boolean head) {
        byte[] body = error.body();
        exchange.setStatusCode(error.status());
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(Headers.CONTENT_TYPE, "application/json");
        headers.put(Headers.CACHE_CONTROL, "no-store");
        headers.put(Headers.CONTENT_LENGTH, body.length);
        if (head) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
    }

    /** Opens a file for reading; tests make it fail. */
    @FunctionalInterface
    interface FileOpener {
        FileChannel open(Path file) throws IOException;
    }
}
