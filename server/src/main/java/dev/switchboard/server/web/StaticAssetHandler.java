package dev.switchboard.server.web;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Optional;

/**
 * Serves the web page for every path outside {@code /API/}. Files come from memory ({@link WebAssets}), so the
 * handler answers on the IO thread without blocking. Browsers revalidate each file with its ETag
 * ({@code no-cache}), so a new server version is picked up on the next load without stale scripts.
 */
public final class StaticAssetHandler implements HttpHandler {
    // The page loads only its own files and talks only to its own origin; inline code is never allowed.
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final HttpString CSP = new HttpString("Content-Security-Policy");
    private static final HttpString NO_SNIFF = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");

    private final WebAssets assets;

    public StaticAssetHandler(WebAssets assets) {
        this.assets = requireNonNull(assets, "assets is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // An exact lookup among the listed files: ".." or encoded tricks match nothing, so they get a 404.
        Optional<WebAsset> found = assets.find(exchange.getRequestPath());
        if (found.isEmpty()) {
            answerEmpty(exchange, StatusCodes.NOT_FOUND);
            return;
        }
        boolean head = Methods.HEAD.equals(exchange.getRequestMethod());
        if (!head && !Methods.GET.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            answerEmpty(exchange, StatusCodes.METHOD_NOT_ALLOWED);
            return;
        }
        WebAsset asset = found.get();
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(Headers.ETAG, asset.etag());
        headers.put(Headers.CACHE_CONTROL, "no-cache");
        headers.put(CSP, CONTENT_SECURITY_POLICY);
        headers.put(NO_SNIFF, "nosniff");
        headers.put(REFERRER_POLICY, "no-referrer");
        if (asset.etag().equals(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH))) {
            answerEmpty(exchange, StatusCodes.NOT_MODIFIED);
            return;
        }
        headers.put(Headers.CONTENT_TYPE, asset.contentType());
        headers.put(Headers.CONTENT_LENGTH, asset.bytes().length);
        if (head) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(asset.content());
    }

    private static void answerEmpty(HttpServerExchange exchange, int status) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0L);
        exchange.endExchange();
    }
}
