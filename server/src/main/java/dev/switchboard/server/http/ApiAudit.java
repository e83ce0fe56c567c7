package dev.switchboard.server.http;

/**
 * Where the envelope records the calls of {@link ApiRoute#audited() audited} routes: who called which route on
 * what, from where, and how it ended. The envelope calls it after such a route ran and when a session lacked the
 * route's permission, so no route has to remember to. Implementations must be thread-safe and must not throw.
 */
@FunctionalInterface
public interface ApiAudit {
    /** Records nothing: a server (or test) without an audit log. */
    ApiAudit NONE = (route, user, address, target, outcome) -> {
    };

    /**
     * Records one call. No argument ever holds a password, key or setting value.
     *
     * @param route the route's canonical name, e.g. {@code DeleteBackend}
     * @param user the session's user; empty for a route without a session ({@code Login})
     * @param address the client's address; empty when unknown
     * @param target what the call acted on (a backend id, user, role or key id); empty when the call names none
     * @param outcome {@code ok}, the route's error text (request values hidden), or {@code refused: lacks <id>}
     */
    void record(String route, String user, String address, String target, String outcome);
}
