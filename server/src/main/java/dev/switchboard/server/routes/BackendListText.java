package dev.switchboard.server.routes;

import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiJson;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes ListBackends' answer as JSON text, keeping each backend's rendered view for as long as its snapshot
 * is unchanged, so a list of thousands of unchanged backends costs a string copy each instead of building
 * and writing a JSON tree. Correct by construction: the key is the whole snapshot except the time since use,
 * which changes with the clock alone and is written fresh on every call. Thread-safe; concurrent callers may
 * render the same backend twice, which is harmless.
 */
final class BackendListText {
    private final Map<Integer, Rendered> views = new ConcurrentHashMap<>();
    private final Map<Integer, Rendered> fullViews = new ConcurrentHashMap<>();

    /**
     * @param backends the backends in the order to list them
     * @param fullData whether views include {@code current_model}
     * @return the text of the object keyed by id, exactly as {@code ApiJson.write} writes it
     */
    String write(List<BackendSnapshot> backends, boolean fullData) {
        Map<Integer, Rendered> cache = fullData ? fullViews : views;
        StringBuilder text = new StringBuilder(64 + backends.size() * 512);
        text.append('{');
        for (BackendSnapshot backend : backends) {
            if (text.length() > 1) {
                text.append(',');
            }
            BackendSnapshot key = backend.withUsedAgoMillis(0);
            Rendered rendered = cache.get(backend.id());
            if (rendered == null || !rendered.key().equals(key)) {
                rendered = Rendered.of(key, fullData);
                cache.put(backend.id(), rendered);
            }
            text.append('"').append(backend.id()).append("\":").append(rendered.head())
                    .append(",\"seconds_since_used\":").append(BackendViews.secondsSinceUsed(backend))
                    // SwarmUI's age text is digits, letters and spaces only: nothing to escape.
                    .append(",\"time_since_used\":\"").append(TimeSinceUsed.describe(backend.usedAgoMillis()))
                    .append("\",").append(rendered.tail());
        }
        text.append('}');
        if (cache.size() > 2 * backends.size() + 64) {
            forgetGone(cache, backends);
        }
        return text.toString();
    }

    // Deleted backends leave entries behind; dropped once they outnumber the live ones.
    private static void forgetGone(Map<Integer, Rendered> cache, List<BackendSnapshot> backends) {
        Set<Integer> live = new HashSet<>();
        backends.forEach(backend -> live.add(backend.id()));
        cache.keySet().retainAll(live);
    }

    /** A backend's view written as text in two parts, around the time since use. */
    private record Rendered(BackendSnapshot key, String head, String tail) {
        static Rendered of(BackendSnapshot key, boolean fullData) {
            String head = ApiJson.write(BackendViews.head(key));
            String tail = ApiJson.write(BackendViews.tail(key, fullData));
            // "{...}" minus its closing brace, and "{...}" minus its opening one.
            return new Rendered(key, head.substring(0, head.length() - 1), tail.substring(1));
        }
    }
}
