package dev.switchboard.server.routes.generation;

import com.google.gson.JsonObject;
import dev.switchboard.server.generation.GenerationService;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import jakarta.inject.Inject;

/**
 * {@code InterruptAll}: cancels every waiting and running generation of the session, or with
 * {@code other_sessions} of every session of the same user; answers {@code {"success":true}}.
 */
final class InterruptAllRoute implements ApiRoute {
    private static final ApiParam OTHER_SESSIONS = ApiParam.optionalBool("other_sessions", false,
            "Cancel the generations of every session of the same user, not only this session's.");

    private final GenerationService generations;

    @Inject
    InterruptAllRoute(GenerationService generations) {
        this.generations = generations;
    }

    @Override
    public String name() {
        return "InterruptAll";
    }

    @Override
    public Permission permission() {
        return Permission.BASIC_IMAGE_GENERATION;
    }

    @Override
    public RouteDoc doc() {
        return RouteDoc.summary("Cancels the session's waiting and running generations.")
                .params(OTHER_SESSIONS)
                .answers(ApiField.of("success", JsonType.BOOLEAN, "Always true."));
    }

    @Override
    public JsonObject handle(ApiCall call) {
        boolean otherSessions = OTHER_SESSIONS.readBool(call);
        Session session = call.session().orElseThrow();
        if (otherSessions) {
            generations.interruptUser(session.userId());
        } else {
            generations.interruptSession(session.id());
        }
        JsonObject result = new JsonObject();
        result.addProperty("success", true);
        return result;
    }
}
