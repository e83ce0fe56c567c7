package dev.switchboard.server.http;

/**
 * Told about every request the server answered: a port for request metrics, so the HTTP layer knows no metrics
 * library. Every label is a fixed word or a registered route name, never text a client chose. Called on the I/O
 * thread that finished the answer: it must be quick and not throw.
 */
@FunctionalInterface
public interface RequestObserver {
    /** Observes nothing. */
    RequestObserver NONE = (route, outcome, nanos) -> { };

    /** The route label of an {@code /API/} path that names no route. */
    String UNKNOWN_ROUTE = "unknown";
    /** The route label of every path outside {@code /API/}: the page, images, probes, metrics, API docs. */
    String OTHER_PATH = "other";

    /**
     * @param route the canonical name of the API route asked for (e.g. {@code ListBackends}),
     *     {@value #UNKNOWN_ROUTE} or {@value #OTHER_PATH}
     * @param outcome {@code ok}; {@code error} for a route's own {@code {"error": ...}} answer; the envelope's
     *     {@code error_id} ({@code invalid_session_id}, {@code bad_route}, {@code basic_api}, ...); {@code
     *     unauthorized}, {@code bad_host} or {@code bad_origin} from the access checks; {@code redirected} for an
     *     API call that is not a POST; {@code starting} while the server starts; for other paths {@code ok} below
     *     HTTP 400, else {@code error}
     * @param nanos from the first handler to the end of the answer
     */
    void answered(String route, String outcome, long nanos);
}
