package dev.switchboard.server.audit;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * One entry of the audit log.
 *
 * @param time when the call ended
 * @param user the session's user; empty for a call without a session ({@code Login})
 * @param address the client's address; empty when unknown
 * @param route the route's name, e.g. {@code EditBackend}
 * @param target what the call acted on (backend id, user, role, key id); empty when it names none
 * @param outcome {@code ok}, the error's text, or {@code refused: lacks <permission>}
 */
public record AuditEntry(Instant time, String user, String address, String route, String target, String outcome) {

    public AuditEntry {
        requireNonNull(time, "time is null");
        requireNonNull(user, "user is null");
        requireNonNull(address, "address is null");
        requireNonNull(route, "route is null");
        requireNonNull(target, "target is null");
        requireNonNull(outcome, "outcome is null");
    }

    /** @return the entry as a JSON object, the form of a line of the file and of GetAuditLog's answer */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("time", time.toString());
        json.addProperty("user", user);
        json.addProperty("address", address);
        json.addProperty("route", route);
        json.addProperty("target", target);
        json.addProperty("outcome", outcome);
        return json;
    }

    /** @return the entry a line's JSON holds, or empty when it is not one (a line torn by a crash) */
    static Optional<AuditEntry> fromJson(JsonObject json) {
        try {
            return Optional.of(new AuditEntry(Instant.parse(text(json, "time")), text(json, "user"),
                    text(json, "address"), text(json, "route"), text(json, "target"), text(json, "outcome")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonObject json, String key) {
        JsonElement value = json.get(key);
        if (value == null || !value.isJsonPrimitive()) {
            throw new IllegalArgumentException("no " + key);
        }
        return value.getAsString();
    }
}
