package dev.switchboard.server.http;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a route documents about itself ({@link ApiRoute#doc()}): a summary, its parameters and the fields of its
 * answer. {@code /openapi.json} and {@code docs/api.md} are generated from these and the route's name, permission
 * and transport, so they list exactly the routes the server serves.
 *
 * @param summary what the route does, one or more sentences
 * @param parameters the body's keys the route reads, besides {@code session_id}
 * @param answer the fields of a successful answer
 */
public record RouteDoc(String summary, List<ApiParam> parameters, List<ApiField> answer) {

    /** The doc of a route that documents nothing; the doc tests refuse it for every registered route. */
    public static final RouteDoc NONE = new RouteDoc("", List.of(), List.of());

    public RouteDoc {
        requireNonNull(summary, "summary is null");
        parameters = List.copyOf(parameters);
        answer = List.copyOf(answer);
        Set<String> names = new HashSet<>();
        for (ApiParam parameter : parameters) {
            if (!names.add(parameter.name())) {
                throw new IllegalArgumentException("parameter " + parameter.name() + " is listed twice");
            }
        }
    }

    /** Starts a doc with its summary. */
    public static RouteDoc summary(String summary) {
        return new RouteDoc(summary, List.of(), List.of());
    }

    /** @return a copy with these parameters added */
    public RouteDoc params(ApiParam... added) {
        return params(List.of(added));
    }

    /** @return a copy with these parameters added */
    public RouteDoc params(List<ApiParam> added) {
        List<ApiParam> all = new ArrayList<>(parameters);
        all.addAll(added);
        return new RouteDoc(summary, all, answer);
    }

    /** @return a copy with these answer fields added */
    public RouteDoc answers(ApiField... fields) {
        List<ApiField> all = new ArrayList<>(answer);
        all.addAll(List.of(fields));
        return new RouteDoc(summary, parameters, all);
    }

    /** @return whether this documents nothing */
    public boolean isEmpty() {
        return summary.isBlank();
    }
}
