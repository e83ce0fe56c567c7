package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every request from its first handler to the end of its answer and tells the {@link RequestObserver} with
 * the route's label and the outcome the handlers attached. Runs first, so refusals of the access checks count too.
 */
final class ObservedRequestHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedRequestHandler.class);
    private static final AttachmentKey<String> OUTCOME = AttachmentKey.create(String.class);

    private final RequestObserver observer;
    private final HttpHandler next;
    /** Turns a request path into its route label; the API's own lookup once it is served. */
    private volatile Function<String, String> routeLabels = ObservedRequestHandler::withoutRoutes;

    ObservedRequestHandler(RequestObserver observer, HttpHandler next) {
        this.observer = requireNonNull(observer, "observer is null");
        this.next = requireNonNull(next, "next is null");
    }

    /** Records a request's outcome (a fixed word); the last one recorded counts. */
    static void outcome(HttpServerExchange exchange, String outcome) {
        exchange.putAttachment(OUTCOME, outcome);
    }

    void routeLabels(Function<String, String> labels) {
        this.routeLabels = requireNonNull(labels, "labels is null");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (observer != RequestObserver.NONE) {
            long start = System.nanoTime();
            exchange.addExchangeCompleteListener((done, nextListener) -> {
                try {
                    observe(done, System.nanoTime() - start);
                } finally {
                    nextListener.proceed();
                }
            });
        }
        next.handleRequest(exchange);
    }

    private void observe(HttpServerExchange exchange, long nanos) {
        try {
            String route = routeLabels.apply(exchange.getRequestPath());
            String outcome = exchange.getAttachment(OUTCOME);
            if (outcome == null) {
                outcome = exchange.getStatusCode() < 400 ? ApiResponse.OK : ApiResponse.ROUTE_ERROR;
            }
            observer.answered(route, outcome, nanos);
        } catch (RuntimeException e) {
            LOG.debug("The request observer failed", e);
        }
    }

    private static String withoutRoutes(String path) {
        return ApiRequestHandler.isApiPath(path) ? RequestObserver.UNKNOWN_ROUTE : RequestObserver.OTHER_PATH;
    }
}
