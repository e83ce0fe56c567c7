package dev.switchboard.server.apidocs;

import com.google.gson.JsonPrimitive;
import dev.switchboard.server.http.ApiField;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.http.ApiParam;
import dev.switchboard.server.http.ApiRoute;
import dev.switchboard.server.http.RouteDoc;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown reference of a set of routes, as committed in {@code docs/api.md}: the same facts as the OpenAPI
 * document.
 */
public final class ApiMarkdown {
    /** The command that writes {@code docs/api.md} (the build's {@code prepare-package} phase runs the writer). */
    public static final String REGENERATE = "mvn -B -ntp -pl server -am package -DskipTests";

    private ApiMarkdown() {
    }

    /** @return the whole file, ending with a newline */
    public static String of(Collection<ApiRoute> routes) {
        List<ApiRoute> sorted = OpenApiDocument.sorted(routes);
        StringBuilder text = new StringBuilder();
        text.append("# Switchboard API reference\n\n")
                .append("<!-- Generated from the server's route registry; do not edit. Regenerate with: ")
                .append(REGENERATE).append(" -->\n\n")
                .append("Every route is `POST /API/<Route>` with a JSON object body (`Content-Type: application/json`)")
                .append(" and, unless noted, a `session_id` from `GetNewSession` (or an `X-Session-ID` header).")
                .append(" Parameters are matched by exact key; values are converted as SwarmUI does (`\"5\"` is the")
                .append(" integer 5, `\"true\"` the boolean). A route's own errors are HTTP 200")
                .append(" `{\"error\": \"...\"}`;")
                .append(" envelope errors are HTTP 400 or 401 with `error_id` and `error`. The same facts are served")
                .append(" as OpenAPI 3.1 at `GET /openapi.json`.\n\n")
                .append("| route | permission | summary |\n| --- | --- | --- |\n");
        for (ApiRoute route : sorted) {
            text.append("| [`").append(route.name()).append("`](#").append(route.name().toLowerCase(Locale.ROOT))
                    .append(") | `").append(OpenApiDocument.permission(route.permission())).append("` | ")
                    .append(cell(route.doc().summary())).append(" |\n");
        }
        for (ApiRoute route : sorted) {
            route(text, route);
        }
        return text.toString();
    }

    private static void route(StringBuilder text, ApiRoute route) {
        RouteDoc doc = route.doc();
        text.append("\n## ").append(route.name()).append("\n\n");
        text.append(route.webSocketOnly() ? "`GET /API/" + route.name() + "` (WebSocket upgrade; the request is the"
                + " first text message)" : "`POST /API/" + route.name() + "`");
        text.append(" · permission `").append(OpenApiDocument.permission(route.permission())).append('`');
        text.append(route.requiresSession() ? "" : " · no session needed").append("\n\n");
        text.append(doc.summary()).append("\n\n");
        if (doc.parameters().isEmpty()) {
            text.append("Parameters: none").append(route.requiresSession() ? " besides `session_id`" : "")
                    .append(".\n\n");
        } else {
            text.append("| parameter | type | required | default | description |\n| --- | --- | --- | --- | --- |\n");
            for (ApiParam parameter : doc.parameters()) {
                text.append("| `").append(parameter.name()).append("` | ").append(parameter.type().schemaName())
                        .append(" | ").append(parameter.required() ? "yes" : "no").append(" | ")
                        .append(parameter.defaultIfAbsent().map(ApiMarkdown::literal).orElse(""))
                        .append(" | ").append(cell(parameter.description())).append(" |\n");
            }
            text.append('\n');
        }
        text.append(route.webSocketOnly() ? "Messages:\n\n" : "Answer:\n\n");
        text.append("| field | type | description |\n| --- | --- | --- |\n");
        for (ApiField field : doc.answer()) {
            text.append("| `").append(field.name()).append("` | ").append(field.type().schemaName()).append(" | ")
                    .append(cell(field.description())).append(" |\n");
        }
    }

    private static String literal(Object value) {
        String json = value instanceof String string ? ApiJson.write(new JsonPrimitive(string))
                : value instanceof Boolean bool ? bool.toString() : value.toString();
        return "`" + json.replace("|", "\\|") + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
