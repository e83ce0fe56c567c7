package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * The Undertow side of the API envelope. On the IO thread it only looks at the request line and headers:
 * path, method (anything but POST is redirected to {@code /Error/NoGetAPI}), content type and content length,
 * all decided before a byte of the body is read. It then reads the body without blocking (sending
 * {@code 100 Continue} first when the client asked for it) and hands the rest to {@link ApiEnvelope} on a worker
 * thread.
 */
final class ApiRequestHandler implements HttpHandler {

    static final String API_PATH_PREFIX = "/api/";
    static final String NO_GET_REDIRECT = "/Error/NoGetAPI";
    static final String LEGACY_TRIGGER_REFRESH = "/TriggerRefresh";
    static final String LEGACY_TRIGGER_REFRESH_KEY = "triggerrefresh";

    private static final Logger LOG = LoggerFactory.getLogger(ApiRequestHandler.class);
    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private final ApiEnvelope envelope;
    private final long maxRequestBytes;
    private final Supplier<HttpHandler> fallbackHandler;
    private final WebSocketApiHandler webSockets;

    ApiRequestHandler(ApiEnvelope envelope, long maxRequestBytes, Supplier<HttpHandler> fallbackHandler) {
        this.envelope = requireNonNull(envelope, "envelope is null");
        this.webSockets = new WebSocketApiHandler(envelope);
        this.maxRequestBytes = maxRequestBytes;
        this.fallbackHandler = requireNonNull(fallbackHandler, "fallbackHandler is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        String routeKey;
        if (isApiPath(path)) {
            routeKey = ApiEnvelope.lowerCaseAscii(path.substring(API_PATH_PREFIX.length()));
        } else if (path.equalsIgnoreCase(LEGACY_TRIGGER_REFRESH)) {
            // OLD SwarmUI masters refresh their remotes here, outside /API/, and need a JSON answer.
            routeKey = LEGACY_TRIGGER_REFRESH_KEY;
        } else {
            fallbackHandler.get().handleRequest(exchange);
            return;
        }
        try {
            checkAndReceive(exchange, routeKey);
        } catch (Exception e) {
            // A bug in the checks must still get SwarmUI's envelope, never Undertow's bare 500.
            LOG.error("Checking a request for {} failed", exchange.getRequestPath(), e);
            if (!exchange.isResponseStarted()) {
                exchange.setPersistent(false);
                send(exchange, ApiResponse.internalError());
            }
        }
    }

    /** Whether a request path starts with {@code /API/}, ASCII letters in any case (as SwarmUI matches it). */
    static boolean isApiPath(String path) {
        if (path.length() < API_PATH_PREFIX.length()) {
            return false;
        }
        for (int i = 0; i < API_PATH_PREFIX.length(); i++) {
            if (ApiEnvelope.lowerCaseAscii(path.charAt(i)) != API_PATH_PREFIX.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void checkAndReceive(HttpServerExchange exchange, String routeKey) throws Exception {
        if (exchange.getRequestMethod().equals(Methods.GET) && WebSocketApiHandler.isUpgrade(exchange)) {
            webSockets.handleRequest(exchange);
            return;
        }
        if (!exchange.getRequestMethod().equals(Methods.POST)) {
            LOG.debug("Redirected a {} request for {}", exchange.getRequestMethod(), exchange.getRequestPath());
            closeIfBodyIsWithheld(exchange);
            ObservedRequestHandler.outcome(exchange, "redirected");
            redirectToNoGetApi(exchange);
            return;
        }
        HeaderMap requestHeaders = exchange.getRequestHeaders();
        if (!JsonContentType.matches(requestHeaders.getFirst(Headers.CONTENT_TYPE))) {
            closeIfBodyIsWithheld(exchange);
            send(exchange, ApiResponse.wrongContentType());
            return;
        }
        if (!hasAcceptableContentLength(requestHeaders)) {
            // The body is never read; do not keep the connection waiting for it either.
            exchange.setPersistent(false);
            send(exchange, ApiResponse.badContentLength());
            return;
        }
        // Read on demand (a route rarely asks); Undertow's map matches names ignoring case and keeps, for names
        // that differ only in case, the values in the order they came.
        RequestHeaders headers = ((RequestHeaders) requestHeaders::getFirst).from(exchange.getSourceAddress());
        if (envelope.isQuick(routeKey)) {
            exchange.getRequestReceiver().receiveFullBytes(
                    (ex, body) -> answer(ex, routeKey, body, headers), ApiRequestHandler::abandon);
        } else {
            exchange.getRequestReceiver().receiveFullBytes(
                    (ex, body) -> ex.dispatch(() -> answer(ex, routeKey, body, headers)),
                    ApiRequestHandler::abandon);
        }
    }

    /**
     * A client that asked for {@code 100 Continue} and gets a final answer instead may never send its body;
     * closing the connection keeps what it sends next from being taken for that body.
     */
    private static void closeIfBodyIsWithheld(HttpServerExchange exchange) {
        if (HttpContinue.requiresContinueResponse(exchange)) {
            exchange.setPersistent(false);
        }
    }

    private boolean hasAcceptableContentLength(HeaderMap headers) {
        HeaderValues transferEncoding = headers.get(Headers.TRANSFER_ENCODING);
        if (transferEncoding != null && !transferEncoding.isEmpty()) {
            return false;
        }
        HeaderValues contentLength = headers.get(Headers.CONTENT_LENGTH);
        if (contentLength == null || contentLength.size() != 1) {
            return false;
        }
        String text = contentLength.getFirst().trim();
        if (text.isEmpty() || text.length() > MAX_CONTENT_LENGTH_DIGITS) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        long length = Long.parseLong(text);
        return length > 0 && length <= maxRequestBytes;
    }

    private void answer(HttpServerExchange exchange, String routeKey, byte[] body, RequestHeaders headers) {
        ApiResponse response;
        try {
            response = envelope.process(routeKey, body, headers);
        } catch (RuntimeException | Error e) {
            LOG.error("The API envelope failed on /API/{}", routeKey, e);
            response = ApiResponse.internalError();
        }
        try {
            send(exchange, response);
        } catch (RuntimeException e) {
            LOG.debug("Could not send the answer to /API/{}", routeKey, e);
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    private static void abandon(HttpServerExchange exchange, IOException error) {
        LOG.debug("Could not read a request body for {}: {}", exchange.getRequestPath(), error.toString());
        exchange.setPersistent(false);
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
        } else {
            send(exchange, ApiResponse.badContentLength());
        }
    }

    private static void redirectToNoGetApi(HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.FOUND);
        exchange.getResponseHeaders().put(Headers.LOCATION, NO_GET_REDIRECT);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
        // Through the sender, not endExchange(): ending an exchange whose chunked request body was never read,
        // on a connection the client asked to close, dropped the connection without sending this answer.
        exchange.getResponseSender().send(ByteBuffer.allocate(0));
    }

    private static void send(HttpServerExchange exchange, ApiResponse response) {
        JsonText body = response.body();
        ObservedRequestHandler.outcome(exchange, response.outcome());
        exchange.setStatusCode(response.status());
        HeaderMap headers = exchange.getResponseHeaders();
        response.headers().forEach(header -> headers.add(new HttpString(header.name()), header.value()));
        headers.put(Headers.CONTENT_TYPE, "application/json");
        headers.put(Headers.CACHE_CONTROL, "no-store");
        headers.put(Headers.CONTENT_LENGTH, body.length());
        exchange.getResponseSender().send(body.buffers());
    }
}
