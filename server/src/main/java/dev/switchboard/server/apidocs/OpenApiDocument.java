package dev.switchboard.server.apidocs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.JsonType;
import dev.switchboard.server.http.RouteDoc;
import dev.switchboard.server.sessions.Permission;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The OpenAPI 3.1 document of a set of routes: one {@code POST /API/<Name>} operation per route (a WebSocket-only
 * route as the {@code GET} that upgrades), its JSON body's schema from the declared parameters plus {@code
 * session_id}, its answer's schema from the declared fields or the route's {@code {"error": ...}}, the envelope's
 * errors, and the permission as {@code x-permission}.
 */
public final class OpenApiDocument {
    static final String ROUTE_ERROR = "#/components/schemas/RouteError";
    static final String ENVELOPE_ERROR = "#/components/schemas/EnvelopeError";

    private OpenApiDocument() {
    }

    /**
     * @param routes the routes, in any order (the document sorts them by name)
     * @param version the server's version, for {@code info.version}
     */
    public static JsonObject of(Collection<ApiRoute> routes, String version) {
        JsonObject document = new JsonObject();
        document.addProperty("openapi", "3.1.0");
        JsonObject info = new JsonObject();
        info.addProperty("title", "Switchboard API");
        info.addProperty("version", version);
        info.addProperty("description", "SwarmUI's HTTP API as Switchboard serves it: every route is POST"
                + " /API/<Route> with a JSON object body and a session_id from GetNewSession (or an X-Session-ID"
                + " header). A route's own errors are HTTP 200 {\"error\": ...}; envelope errors are HTTP 400/401 with"
                + " error_id. With --required-authorization every request needs that exact Authorization header.");
        document.add("info", info);
        JsonObject paths = new JsonObject();
        for (ApiRoute route : sorted(routes)) {
            JsonObject path = new JsonObject();
            path.add(route.webSocketOnly() ? "get" : "post", operation(route));
            paths.add("/API/" + route.name(), path);
        }
        document.add("paths", paths);
        document.add("components", components());
        document.add("security", security(true));
        return document;
    }

    static List<ApiRoute> sorted(Collection<ApiRoute> routes) {
        return routes.stream().sorted(Comparator.comparing(ApiRoute::name)).toList();
    }

    private static JsonObject operation(ApiRoute route) {
        RouteDoc doc = route.doc();
        JsonObject operation = new JsonObject();
        operation.addProperty("operationId", route.name());
        operation.addProperty("summary", route.name());
        operation.addProperty("description", doc.summary());
        operation.addProperty("x-permission", permission(route.permission()));
        operation.addProperty("x-requires-session", route.requiresSession());
        if (route.webSocketOnly()) {
            operation.addProperty("x-websocket", true);
        }
        JsonObject body = new JsonObject();
        body.addProperty("required", true);
        body.add("content", json(requestSchema(route)));
        if (route.webSocketOnly()) {
            // A GET has no body in OpenAPI's sense: the request travels as the socket's first message.
            operation.add("x-first-message", body);
        } else {
            operation.add("requestBody", body);
        }
        JsonObject responses = new JsonObject();
        if (route.webSocketOnly()) {
            responses.add("101", response("The WebSocket; its messages are objects with these keys.",
                    answerSchema(doc)));
        } else {
            JsonObject either = new JsonObject();
            JsonArray oneOf = new JsonArray();
            oneOf.add(answerSchema(doc));
            oneOf.add(ref(ROUTE_ERROR));
            either.add("oneOf", oneOf);
            responses.add("200", response("The answer, or the route's error.", either));
        }
        responses.add("400", response("An envelope error (bad content type or length, unknown route, missing"
                + " session id, lacking permission, internal error, bad Host or Origin).", ref(ENVELOPE_ERROR)));
        if (route.requiresSession()) {
            responses.add("401", response("The session id is unknown (invalid_session_id), or the Authorization"
                    + " header is missing or wrong (plain text Unauthorized).", ref(ENVELOPE_ERROR)));
        }
        operation.add("responses", responses);
        if (!route.requiresSession()) {
            operation.add("security", security(false));
        }
        return operation;
    }

    static String permission(Permission permission) {
        return permission == Permission.PUBLIC ? "(none)" : permission.id();
    }

    private static JsonObject requestSchema(ApiRoute route) {
        JsonObject schema = object();
        JsonObject properties = new JsonObject();
        JsonArray required = new JsonArray();
        if (route.requiresSession()) {
            JsonObject session = schema(JsonType.STRING, "The session from GetNewSession (or the X-Session-ID"
                    + " header instead).");
            properties.add("session_id", session);
        }
        for (ApiParam parameter : route.doc().parameters()) {
            JsonObject property = schema(parameter.type(), parameter.description());
            parameter.defaultIfAbsent().ifPresent(value -> property.add("default", value(value)));
            properties.add(parameter.name(), property);
            if (parameter.required()) {
                required.add(parameter.name());
            }
        }
        schema.add("properties", properties);
        if (!required.isEmpty()) {
            schema.add("required", required);
        }
        return schema;
    }

    private static JsonObject answerSchema(RouteDoc doc) {
        JsonObject schema = object();
        JsonObject properties = new JsonObject();
        for (ApiField field : doc.answer()) {
            if (field.name().startsWith("<")) {
                schema.add("additionalProperties", schema(field.type(), field.name() + ": " + field.description()));
            } else {
                properties.add(field.name(), schema(field.type(), field.description()));
            }
        }
        schema.add("properties", properties);
        return schema;
    }

    private static JsonObject components() {
        JsonObject routeError = object();
        JsonObject routeProperties = new JsonObject();
        routeProperties.add("error", schema(JsonType.STRING, "What went wrong, for the user."));
        routeError.add("properties", routeProperties);
        routeError.add("required", array("error"));
        JsonObject envelopeError = object();
        JsonObject envelopeProperties = new JsonObject();
        envelopeProperties.add("error_id", schema(JsonType.STRING, "basic_api, invalid_session_id, bad_route,"
                + " bad_request_method, bad_permissions, no_result, internal_error, bad_host or bad_origin."));
        envelopeProperties.add("error", schema(JsonType.STRING, "What went wrong."));
        envelopeError.add("properties", envelopeProperties);
        envelopeError.add("required", array("error_id", "error"));
        JsonObject schemas = new JsonObject();
        schemas.add("RouteError", routeError);
        schemas.add("EnvelopeError", envelopeError);
        JsonObject authorization = new JsonObject();
        authorization.addProperty("type", "apiKey");
        authorization.addProperty("in", "header");
        authorization.addProperty("name", "Authorization");
        authorization.addProperty("description", "Only when the server runs with --required-authorization: the"
                + " exact value it was given.");
        JsonObject securitySchemes = new JsonObject();
        securitySchemes.add("requiredAuthorization", authorization);
        JsonObject components = new JsonObject();
        components.add("schemas", schemas);
        components.add("securitySchemes", securitySchemes);
        return components;
    }

    /** The authorization requirement: the header, or nothing when the server runs without one. */
    private static JsonArray security(boolean withAuthorization) {
        JsonArray security = new JsonArray();
        if (withAuthorization) {
            JsonObject scheme = new JsonObject();
            scheme.add("requiredAuthorization", new JsonArray());
            security.add(scheme);
        }
        security.add(new JsonObject());
        return security;
    }

    private static JsonObject response(String description, JsonObject schema) {
        JsonObject response = new JsonObject();
        response.addProperty("description", description);
        response.add("content", json(schema));
        return response;
    }

    private static JsonObject json(JsonObject schema) {
        JsonObject media = new JsonObject();
        media.add("schema", schema);
        JsonObject content = new JsonObject();
        content.add("application/json", media);
        return content;
    }

    private static JsonObject schema(JsonType type, String description) {
        JsonObject schema = new JsonObject();
        schema.addProperty("type", type.schemaName());
        schema.addProperty("description", description);
        return schema;
    }

    private static JsonObject object() {
        JsonObject schema = new JsonObject();
        schema.addProperty("type", "object");
        return schema;
    }

    private static JsonObject ref(String target) {
        JsonObject ref = new JsonObject();
        ref.addProperty("$ref", target);
        return ref;
    }

    private static JsonArray array(String... values) {
        JsonArray array = new JsonArray();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    private static JsonElement value(Object value) {
        if (value instanceof Boolean bool) {
            return new JsonPrimitive(bool);
        }
        if (value instanceof Number number) {
            return new JsonPrimitive(number);
        }
        return new JsonPrimitive(value.toString());
    }
}
