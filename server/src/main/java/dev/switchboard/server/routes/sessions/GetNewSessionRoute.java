package dev.switchboard.server.routes.sessions;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendRegistry;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonText;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.CallerResolver;
import dev.switchboard.server.sessions.InvalidCredentialsException;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import dev.switchboard.server.sessions.SessionService;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GetNewSession}: a new session for the local user (or the user named by {@code X-SWARM-USER_ID}).
 * Answers with SwarmUI CUR's fields plus OLD's {@code count_running}, so both old and new Swarm servers can
 * use this server as a remote backend.
 */
final class GetNewSessionRoute implements ApiRoute {
    private final SessionService sessions;
    private final CallerResolver callers;
    private final BackendRegistry backends;
    private final ServerIdentity identity;
    /** The answer's fields between the session id and the count, for the last user and permissions seen. */
    private volatile Middle lastMiddle;

    @Inject
    GetNewSessionRoute(SessionService sessions, CallerResolver callers, BackendRegistry backends,
                       ServerIdentity identity) {
        this.sessions = sessions;
        this.callers = callers;
        this.backends = backends;
        this.identity = identity;
    }

    @Override
    public String name() {
        return "GetNewSession";
    }

    @Override
    public boolean requiresSession() {
        return false;
    }

    /** Creates a session (a lock held for a map insert, bytes from the non-blocking system generator). */
    @Override
    public boolean quick() {
        return true;
    }

    @Override
    public Permission permission() {
        return Permission.PUBLIC;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Creates a session; needs no session_id. With accounts, the session acts as the user"
                + " of the request's API key (Authorization: Bearer) or login cookie, and without either as an"
                + " anonymous guest holding no permission until login; without accounts, as the user named by the"
                + " X-SWARM-USER_ID header, else local, holding every permission.")
                .answers(ApiField.of("session_id", JsonType.STRING, "The new session's id, for every other route."),
                        ApiField.of("user_id", JsonType.STRING, "The session's user."),
                        ApiField.of("output_append_user", JsonType.BOOLEAN, "Always true."),
                        ApiField.of("version", JsonType.STRING, "The server's version."),
                        ApiField.of("server_id", JsonType.STRING, "This server's id for this run."),
                        ApiField.of("permissions", JsonType.ARRAY, "The permissions the session has."),
                        ApiField.of("count_running", JsonType.INTEGER,
                                "Image backends running or loading (OLD SwarmUI's field)."));
    }

    @Override
    public JsonObject handle(ApiCall call) throws ApiError {
        Session session = newSession(call);
        JsonObject result = new JsonObject();
        result.addProperty("session_id", session.id());
        addMiddle(result, session);
        result.addProperty("count_running", backends.countRunning());
        return result;
    }

    /**
     * The same text as {@code ApiJson.write(handle(call))}, written around the fields that stay the same for
     * a user, kept as bytes (the session id is hex and the count a number: neither needs escaping).
     */
    @Override
    public JsonText handleToJson(ApiCall call) throws ApiError {
        Session session = newSession(call);
        byte[] head = ("{\"session_id\":\"" + session.id() + "\",").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (",\"count_running\":" + backends.countRunning() + "}").getBytes(StandardCharsets.US_ASCII);
        return JsonText.ofParts(head, middleBytes(session), tail);
    }

    private Session newSession(ApiCall call) throws ApiError {
        if (!callers.accountsEnabled()) {
            return sessions.create(userOf(call));
        }
        try {
            return sessions.create(callers.resolve(call.credentials()));
        } catch (InvalidCredentialsException e) {
            throw new ApiError(e.getMessage());
        }
    }

    private static String userOf(ApiCall call) {
        return call.header("X-SWARM-USER_ID").filter(name -> !name.isBlank()).orElse("local");
    }

    private void addMiddle(JsonObject result, Session session) {
        result.addProperty("user_id", session.userId());
        result.addProperty("output_append_user", true);
        result.addProperty("version", identity.version());
        result.addProperty("server_id", identity.serverId());
        JsonArray permissions = new JsonArray();
        List<String> granted = Permission.listed(session.permissions());
        granted.forEach(permissions::add);
        result.add("permissions", permissions);
    }

    private byte[] middleBytes(Session session) {
        Middle kept = lastMiddle;
        if (kept != null && kept.userId().equals(session.userId())
                && kept.permissions().equals(session.permissions())) {
            return kept.utf8();
        }
        JsonObject fields = new JsonObject();
        addMiddle(fields, session);
        String object = ApiJson.write(fields);
        byte[] utf8 = object.substring(1, object.length() - 1).getBytes(StandardCharsets.UTF_8);
        lastMiddle = new Middle(session.userId(), session.permissions(), utf8);
        return utf8;
    }

    /** The fields between the session id and the count for one user; the bytes are never changed. */
    private record Middle(String userId, List<String> permissions, byte[] utf8) {
    }
}
