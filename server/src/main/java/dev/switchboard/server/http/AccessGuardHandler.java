package dev.switchboard.server.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks every request before the API and the web page see it: the {@code Host} header (against DNS
 * rebinding), the required {@code Authorization} value (SwarmUI's {@code RequiredAuthorization}: 401
 * {@code Unauthorized}), the {@code Origin} of POSTs and WebSocket upgrades, and CORS when an origin is configured. It only reads
 * headers and writes short answers, so it is safe on the IO thread.
 */
final class AccessGuardHandler implements HttpHandler {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final byte[] UNAUTHORIZED = "Unauthorized".getBytes(UTF_8);
    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    private static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
    private static final HttpString REQUEST_HEADERS = new HttpString("Access-Control-Request-Headers");
    private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");

    private final HttpHandler next;
    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;
    private final Optional<String> corsOrigin;
    // Only a digest is kept: comparing digests takes the same time whatever the length or content of a guess.
    private final Optional<byte[]> requiredAuthorizationDigest;
    /**
     * The Host header value last found acceptable: clients send the same one on every request, and comparing it
     * saves taking it apart each time. Any accepted value will do, so racing writes need no lock.
     */
    private volatile String lastAcceptedHost;

    AccessGuardHandler(String boundHost, AccessPolicy policy, HttpHandler next) {
        requireNonNull(boundHost, "boundHost is null");
        requireNonNull(policy, "policy is null");
        this.next = requireNonNull(next, "next is null");
        Set<String> hosts = new HashSet<>(LOOPBACK_HOSTS);
        hosts.addAll(policy.allowedHosts());
        hosts.add(hostLiteral(boundHost));
        this.allowedHosts = Set.copyOf(hosts);
        Set<String> origins = new HashSet<>(policy.allowedOrigins());
        policy.corsOrigin().ifPresent(origins::add);
        this.allowedOrigins = Set.copyOf(origins);
        this.corsOrigin = policy.corsOrigin();
        this.requiredAuthorizationDigest = policy.requiredAuthorization().map(AccessGuardHandler::digest);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap headers = exchange.getRequestHeaders();
        boolean api = ApiRequestHandler.isApiPath(exchange.getRequestPath());
        if (!hostAccepted(exchange, headers)) {
            refuse(exchange, api, ApiResponse.badHost());
            return;
        }
        corsOrigin.ifPresent(origin -> exchange.getResponseHeaders().put(ALLOW_ORIGIN, origin));
        if (corsOrigin.isPresent() && isPreflight(exchange, headers)) {
            answerPreflight(exchange, headers);
            return;
        }
        if (!authorized(headers)) {
            ObservedRequestHandler.outcome(exchange, "unauthorized");
            exchange.setPersistent(false);
            exchange.setStatusCode(StatusCodes.UNAUTHORIZED);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, UNAUTHORIZED.length);
            exchange.getResponseSender().send(ByteBuffer.wrap(UNAUTHORIZED));
            return;
        }
        // A WebSocket upgrade is a GET, but a page elsewhere could open one as it could POST: same rule.
        boolean changesState = exchange.getRequestMethod().equals(Methods.POST) || WebSocketApiHandler.isUpgrade(exchange);
        if (changesState && !originAccepted(headers)) {
            refuse(exchange, api, ApiResponse.badOrigin());
            return;
        }
        next.handleRequest(exchange);
    }

    private boolean hostAccepted(HttpServerExchange exchange, HeaderMap headers) {
        HeaderValues host = headers.get(Headers.HOST);
        if (host == null || host.isEmpty()) {
            // HTTP/1.0 clients may omit Host; a browser never does, so only local tools can get here.
            InetSocketAddress peer = exchange.getSourceAddress();
            return peer != null && peer.getAddress() != null && peer.getAddress().isLoopbackAddress();
        }
        if (host.size() != 1) {
            return false;
        }
        String value = host.getFirst();
        if (value.equals(lastAcceptedHost)) {
            return true;
        }
        boolean accepted = hostName(value).map(allowedHosts::contains).orElse(false);
        if (accepted) {
            lastAcceptedHost = value;
        }
        return accepted;
    }

    private boolean authorized(HeaderMap headers) {
        if (requiredAuthorizationDigest.isEmpty()) {
            return true;
        }
        HeaderValues values = headers.get(Headers.AUTHORIZATION);
        if (values == null || values.size() != 1) {
            return false;
        }
        return MessageDigest.isEqual(requiredAuthorizationDigest.get(), digest(values.getFirst()));
    }

    private boolean originAccepted(HeaderMap headers) {
        HeaderValues origin = headers.get(Headers.ORIGIN);
        if (origin == null || origin.isEmpty()) {
            return true;
        }
        if (origin.size() != 1) {
            return false;
        }
        String value = AccessPolicy.normalizedOrigin(origin.getFirst());
        return allowedOrigins.contains(value) || sameOrigin(value, headers.getFirst(Headers.HOST));
    }

    private static boolean isPreflight(HttpServerExchange exchange, HeaderMap headers) {
        return exchange.getRequestMethod().equals(Methods.OPTIONS) && headers.contains(REQUEST_METHOD);
    }

    private static void answerPreflight(HttpServerExchange exchange, HeaderMap requestHeaders) {
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(ALLOW_METHODS, "GET, POST, OPTIONS");
        String requested = requestHeaders.getFirst(REQUEST_HEADERS);
        headers.put(ALLOW_HEADERS, requested != null ? requested : "Content-Type, Authorization, X-Session-ID");
        headers.put(MAX_AGE, 600);
        headers.put(Headers.CONTENT_LENGTH, 0L);
        exchange.setStatusCode(StatusCodes.NO_CONTENT);
        exchange.endExchange();
    }

    private static void refuse(HttpServerExchange exchange, boolean api, ApiResponse apiAnswer) {
        ObservedRequestHandler.outcome(exchange, apiAnswer.outcome());
        exchange.setPersistent(false);
        exchange.setStatusCode(apiAnswer.status());
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(Headers.CACHE_CONTROL, "no-store");
        if (!api) {
            headers.put(Headers.CONTENT_LENGTH, 0L);
            exchange.endExchange();
            return;
        }
        byte[] bytes = apiAnswer.json().getBytes(UTF_8);
        headers.put(Headers.CONTENT_TYPE, "application/json");
        headers.put(Headers.CONTENT_LENGTH, bytes.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    /** The host of a {@code Host} header without its port, lower-cased; IPv6 literals keep their brackets. */
    static Optional<String> hostName(String hostHeader) {
        String value = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            String rest = value.substring(end + 1);
            return rest.isEmpty() || isPort(rest) ? Optional.of(value.substring(0, end + 1)) : Optional.empty();
        }
        int colon = value.indexOf(':');
        if (colon < 0) {
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        return colon > 0 && isPort(value.substring(colon)) ? Optional.of(value.substring(0, colon)) : Optional.empty();
    }

    /** Whether an origin such as {@code http://localhost:7801} is the scheme-less authority of the Host header. */
    static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
                return false;
            }
            String host = hostHeader.strip().toLowerCase(Locale.ROOT);
            Optional<String> hostName = hostName(host);
            if (hostName.isEmpty() || !hostName.get().equals(uri.getHost().toLowerCase(Locale.ROOT))) {
                return false;
            }
            int hostPort = host.length() > hostName.get().length()
                    ? Integer.parseInt(host.substring(hostName.get().length() + 1)) : 80;
            int originPort = uri.getPort() < 0 ? 80 : uri.getPort();
            return hostPort == originPort;
        } catch (URISyntaxException | NumberFormatException e) {
            return false;
        }
    }

    private static boolean isPort(String colonAndDigits) {
        return colonAndDigits.length() > 1 && colonAndDigits.length() <= 6 && colonAndDigits.charAt(0) == ':'
                && colonAndDigits.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String hostLiteral(String boundHost) {
        String host = boundHost.strip().toLowerCase(Locale.ROOT);
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
