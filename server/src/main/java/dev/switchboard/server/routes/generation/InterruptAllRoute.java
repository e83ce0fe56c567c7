package dev.switchboard.server.routes.generation;

import com.google.gson.JsonObject;
import dev.switchboard.server.generation.GenerationService;
import dev.switchboard.server.http.ApiCall;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.sessions.Permission;
import dev.switchboard.server.sessions.Session;
import jakarta.inject.Inject;

/**
 * {@code InterruptAll}: cancels every waiting and running generation of the session, or with
 * {@code other_sessions} of every session of the same user; answers {@code {"success":true}}.
 */
final class InterruptAllRoute implements ApiRoute {
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
    public JsonObject handle(ApiCall call) {
        boolean otherSessions = call.optionalBool("other_sessions", false);
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
