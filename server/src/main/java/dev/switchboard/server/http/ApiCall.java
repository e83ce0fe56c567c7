package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.switchboard.server.sessions.Credentials;
import dev.switchboard.server.sessions.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a route sees of one request: the JSON body, the session and the headers, with SwarmUI's parameter
 * binding. Parameters are read by exact, case-sensitive key. A value is converted through its text form
 * (a string's content, a number's shortest text, {@code True}/{@code False}, empty for {@code null},
 * indented JSON for objects and arrays), and failures carry SwarmUI's texts:
 * {@code Missing required parameter '<name>'} and
 * {@code Invalid value '<text>' for parameter '<name>', must be type '<Int32|Boolean>'}.
 * Defaults apply only when the key is absent; a present {@code null} is converted like any value.
 */
public final class ApiCall {

    static final String SESSION_ID_KEY = "session_id";

    private final JsonObject body;
    private final Session session;
    private final RequestHeaders headers;
    /** Headers the route adds to its answer; written only by the route's own thread. */
    private final List<ResponseHeader> responseHeaders = new ArrayList<>(0);
    /** What an audited route says it acted on, when the request's keys do not name it; null otherwise. */
    private String auditTarget;

    /**
     * @param body the request's JSON object (copied)
     * @param session the caller's session, empty for session-less routes
     * @param headers request headers, one value per name (the first wins when names differ only in case)
     */
    public ApiCall(JsonObject body, Optional<Session> session, Map<String, String> headers) {
        this(requireNonNull(body, "body is null").deepCopy(), requireNonNull(session, "session is null").orElse(null),
                RequestHeaders.copyOf(requireNonNull(headers, "headers is null")));
    }

    private ApiCall(JsonObject ownBody, Session session, RequestHeaders headers) {
        this.body = ownBody;
        this.session = session;
        this.headers = headers;
    }

    /**
     * The envelope's call: it hands over a body it parsed for this request alone and the request's own headers,
     * so neither is copied (this runs on every request).
     */
    static ApiCall ofOwned(JsonObject parsedBody, Session session, RequestHeaders headers) {
        return new ApiCall(parsedBody, session, headers);
    }

    /** @return whether the body has this key (exact, case-sensitive), whatever its value */
    public boolean has(String name) {
        return body.has(requireNonNull(name, "name is null"));
    }

    /** Returns a copy of the whole request body. */
    public JsonObject body() {
        return body.deepCopy();
    }

    /** Returns a copy of the body without {@code session_id}: what SwarmUI hands a route's raw-input parameter. */
    public JsonObject bodyWithoutSessionId() {
        JsonObject copy = body.deepCopy();
        copy.remove(SESSION_ID_KEY);
        return copy;
    }

    /** Returns the caller's session; empty for session-less routes such as {@code GetNewSession}. */
    public Optional<Session> session() {
        return Optional.ofNullable(session);
    }

    /** Returns a request header's first value, looked up ignoring case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.first(requireNonNull(name, "name is null")));
    }

    /** @return the client's address (no port), e.g. {@code 127.0.0.1}; empty when unknown */
    public String clientAddress() {
        return headers.address();
    }

    /** @return the credentials the request carries (API key, login cookie, address) */
    public Credentials credentials() {
        return Credentials.of(headers::first, headers.address());
    }

    /**
     * Adds a header to the route's answer over HTTP (over a WebSocket there is no answer to add it to).
     *
     * @param header e.g. a {@code Set-Cookie}
     */
    public void addResponseHeader(ResponseHeader header) {
        responseHeaders.add(requireNonNull(header, "header is null"));
    }

    /** @return the headers the route added */
    List<ResponseHeader> responseHeaders() {
        return List.copyOf(responseHeaders);
    }

    /**
     * Names what an {@link ApiRoute#audited() audited} call acted on when the request does not (e.g. the id of the
     * key or backend it created), for the audit log instead of the request's {@code backend_id}, {@code id},
     * {@code name} or {@code username}. Never a secret.
     *
     * @param target e.g. a new key's id
     */
    public void auditTarget(String target) {
        this.auditTarget = requireNonNull(target, "target is null");
    }

    /** @return what the route named with {@link #auditTarget(String)}, or null */
    String auditTarget() {
        return auditTarget;
    }

    /**
     * Reads a required {@code Int32} parameter.
     *
     * @throws ApiParameterException when missing or not an Int32
     */
    public int requiredInt(String name) {
        return toInt32(name, required(name));
    }

    /** Reads an {@code Int32} parameter, or the default when the key is absent. */
    public int optionalInt(String name, int defaultValue) {
        JsonElement value = body.get(requireNonNull(name, "name is null"));
        return value == null ? defaultValue : toInt32(name, value);
    }

    /**
     * Reads a required {@code Boolean} parameter.
     *
     * @throws ApiParameterException when missing or not a Boolean
     */
    public boolean requiredBool(String name) {
        return toBoolean(name, required(name));
    }

    /** Reads a {@code Boolean} parameter, or the default when the key is absent. */
    public boolean optionalBool(String name, boolean defaultValue) {
        JsonElement value = body.get(requireNonNull(name, "name is null"));
        return value == null ? defaultValue : toBoolean(name, value);
    }

    /**
     * Reads a required string parameter: the value's text form.
     *
     * @throws ApiParameterException when missing
     */
    public String requiredString(String name) {
        return TokenText.of(required(name));
    }

    /** Reads a string parameter (the value's text form), or the default when the key is absent. */
    public String optionalString(String name, String defaultValue) {
        JsonElement value = body.get(requireNonNull(name, "name is null"));
        return value == null ? defaultValue : TokenText.of(value);
    }

    private JsonElement required(String name) {
        JsonElement value = body.get(requireNonNull(name, "name is null"));
        if (value == null) {
            throw new ApiParameterException("Missing required parameter '" + name + "'");
        }
        return value;
    }

    private static int toInt32(String name, JsonElement value) {
        String text = TokenText.of(value);
        OptionalInt parsed = DotNetValueParser.parseInt32(text);
        if (parsed.isEmpty()) {
            throw invalidValue(name, text, "Int32");
        }
        return parsed.getAsInt();
    }

    private static boolean toBoolean(String name, JsonElement value) {
        String text = TokenText.of(value);
        return DotNetValueParser.parseBoolean(text).orElseThrow(() -> invalidValue(name, text, "Boolean"));
    }

    private static ApiParameterException invalidValue(String name, String text, String typeName) {
        return new ApiParameterException(
                "Invalid value '" + text + "' for parameter '" + name + "', must be type '" + typeName + "'");
    }
}
