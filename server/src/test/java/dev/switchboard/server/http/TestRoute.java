package dev.switchboard.server.http;

import com.google.gson.JsonObject;

/** A route for tests, built from a lambda. */
record TestRoute(String name, String permission, boolean requiresSession, boolean webSocketOnly, Body body)
        implements ApiRoute {

    interface Body {
        JsonObject handle(ApiCall call) throws Exception;
    }

    static TestRoute of(String name, String permission, Body body) {
        return new TestRoute(name, permission, true, false, body);
    }

    static TestRoute sessionless(String name, Body body) {
        return new TestRoute(name, "none", false, false, body);
    }

    static TestRoute webSocket(String name, String permission) {
        return new TestRoute(name, permission, true, true, call -> new JsonObject());
    }

    @Override
    public JsonObject handle(ApiCall call) throws Exception {
        return body.handle(call);
    }
}
