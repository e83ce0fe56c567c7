package dev.switchboard.server.http;

import com.google.gson.JsonObject;
import dev.switchboard.server.sessions.Permission;

/** A route for tests, built from a lambda. */
record TestRoute(String name, Permission permission, boolean requiresSession, boolean webSocketOnly, Body body)
        implements ApiRoute {

    interface Body {
        JsonObject handle(ApiCall call) throws Exception;
    }

    static TestRoute of(String name, Permission permission, Body body) {
        return new TestRoute(name, permission, true, false, body);
    }

    static TestRoute sessionless(String name, Body body) {
        return new TestRoute(name, Permission.PUBLIC, false, false, body);
    }

    static TestRoute webSocket(String name, Permission permission) {
        return new TestRoute(name, permission, true, true, call -> new JsonObject());
    }

    @Override
    public JsonObject handle(ApiCall call) throws Exception {
        return body.handle(call);
    }
}
