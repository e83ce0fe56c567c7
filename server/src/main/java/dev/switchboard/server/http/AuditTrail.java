package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.server.sessions.Session;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an audited call into an {@link ApiAudit} entry. The target is taken only from the request's well-known
 * keys (or what the route set with {@link ApiCall#auditTarget(String)}); an error's text has every other value of
 * the request hidden, since messages may quote what was sent (a setting, a password given as a number).
 */
final class AuditTrail {
    /** The keys whose value names what a call acts on, in the order they are looked for. */
    static final List<String> TARGET_KEYS = List.of("backend_id", "backend", "id", "name", "username", "model");
    /** What replaces a request value in an error's text. */
    static final String HIDDEN = "<hidden>";
    /** Values shorter than this are hidden only where quoted ({@code '5'}), so short words and ids survive. */
    private static final int MIN_BARE_LENGTH = 3;
    private static final int MAX_TEXT = 300;
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final ApiAudit audit;

    AuditTrail(ApiAudit audit) {
        this.audit = requireNonNull(audit, "audit is null");
    }

    /** Records an audited route refused because the session lacks its permission. */
    void refused(ApiRoute route, Session session, JsonObject body, String address) {
        record(route.name(), session, address, targetOf(body, null),
                "refused: lacks " + route.permission().id());
    }

    /** Records how an audited route's call ended. */
    void ran(ApiRoute route, ApiCall call, ApiResponse response) {
        JsonObject body = call.body();
        String target = targetOf(body, call.auditTarget());
        String outcome = ApiResponse.OK.equals(response.outcome()) ? ApiResponse.OK
                : hideValues(errorText(response), body);
        record(route.name(), call.session().orElse(null), call.clientAddress(), target, outcome);
    }

    private void record(String route, Session session, String address, String target, String outcome) {
        try {
            audit.record(route, session == null ? "" : session.userId(), address, shorten(target),
                    shorten(outcome));
        } catch (RuntimeException e) {
            // The call has been served; an audit that fails must not turn its answer into an error.
            LOG.error("Could not record a call to {} in the audit log", route, e);
        }
    }

    /** The route's own target, else the first well-known key's text; empty when there is none. */
    static String targetOf(JsonObject body, String routeTarget) {
        if (routeTarget != null) {
            return routeTarget;
        }
        for (String key : TARGET_KEYS) {
            JsonElement value = body.get(key);
            if (value != null && value.isJsonPrimitive()) {
                return TokenText.of(value);
            }
        }
        return "";
    }

    /** The answer's {@code error} text, else its outcome word (an envelope error such as {@code internal_error}). */
    private static String errorText(ApiResponse response) {
        JsonElement error = JsonParser.parseString(response.json()).getAsJsonObject().get("error");
        return error != null && error.isJsonPrimitive() ? error.getAsString() : response.outcome();
    }

    /** The text with every value of the request, except its session id and target, replaced by {@link #HIDDEN}. */
    static String hideValues(String text, JsonObject body) {
        String targetKey = TARGET_KEYS.stream().filter(key -> body.has(key) && body.get(key).isJsonPrimitive())
                .findFirst().orElse(null);
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : body.entrySet()) {
            if (!entry.getKey().equals(ApiCall.SESSION_ID_KEY) && !entry.getKey().equals(targetKey)) {
                collect(entry.getValue(), values);
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        String hidden = text;
        for (String value : values) {
            if (value.length() >= MIN_BARE_LENGTH) {
                hidden = hidden.replace(value, HIDDEN);
            } else if (!value.isEmpty()) {
                hidden = hidden.replace("'" + value + "'", "'" + HIDDEN + "'");
            }
        }
        return hidden;
    }

    /** Adds the text forms a message could quote: the value's own and, inside objects and arrays, each leaf's. */
    private static void collect(JsonElement value, List<String> values) {
        if (value.isJsonObject()) {
            values.add(TokenText.of(value));
            value.getAsJsonObject().entrySet().forEach(entry -> collect(entry.getValue(), values));
        } else if (value.isJsonArray()) {
            values.add(TokenText.of(value));
            value.getAsJsonArray().forEach(element -> collect(element, values));
        } else if (value.isJsonPrimitive() && !value.getAsJsonPrimitive().isBoolean()) {
            values.add(TokenText.of(value));
        }
    }

    private static String shorten(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
