package dev.switchboard.server.routes.backends;

import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.http.JsonText;
import java.nio.charset.StandardCharsets;
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
    private static final byte[] OPEN = {'{'};
    private static final byte[] COMMA = {','};
    private static final byte[] CLOSE = {'}'};
    /** The time fields of a backend never used, which most are. */
    private static final byte[] NEVER_USED = (",\"seconds_since_used\":0,\"time_since_used\":\""
            + TimeSinceUsed.describe(-1) + "\",").getBytes(StandardCharsets.US_ASCII);

    private final Map<Integer, Rendered> views = new ConcurrentHashMap<>();
    private final Map<Integer, Rendered> fullViews = new ConcurrentHashMap<>();

    /**
     * @param backends the backends in the order to list them
     * @param fullData whether views include {@code current_model}
     * @return the text of the object keyed by id, exactly as {@code ApiJson.write} writes it
     */
    JsonText write(List<BackendSnapshot> backends, boolean fullData) {
        Map<Integer, Rendered> cache = fullData ? fullViews : views;
        JsonText.Builder text = JsonText.builder().append(OPEN);
        boolean first = true;
        for (BackendSnapshot backend : backends) {
            if (!first) {
                text.append(COMMA);
            }
            first = false;
            BackendSnapshot key = backend.withUsedAgoMillis(0);
            Rendered rendered = cache.get(backend.id());
            if (rendered == null || !rendered.key().equals(key)) {
                rendered = Rendered.of(key, fullData);
                cache.put(backend.id(), rendered);
            }
            text.append(rendered.head()).append(timeSinceUsed(backend)).append(rendered.tail());
        }
        text.append(CLOSE);
        if (cache.size() > 2 * backends.size() + 64) {
            forgetGone(cache, backends);
        }
        return text.build();
    }

    private static byte[] timeSinceUsed(BackendSnapshot backend) {
        if (backend.usedAgoMillis() < 0) {
            return NEVER_USED;
        }
        // SwarmUI's age text is digits, letters and spaces only: nothing to escape.
        return (",\"seconds_since_used\":" + BackendViews.secondsSinceUsed(backend) + ",\"time_since_used\":\""
                + TimeSinceUsed.describe(backend.usedAgoMillis()) + "\",").getBytes(StandardCharsets.US_ASCII);
    }

    // Deleted backends leave entries behind; dropped once they outnumber the live ones.
    private static void forgetGone(Map<Integer, Rendered> cache, List<BackendSnapshot> backends) {
        Set<Integer> live = new HashSet<>();
        backends.forEach(backend -> live.add(backend.id()));
        cache.keySet().retainAll(live);
    }

    /**
     * A backend's entry written as UTF-8 in two parts around the time since use: {@code "id":{...} minus the
     * closing brace, and the rest minus the opening one.
     */
    private record Rendered(BackendSnapshot key, byte[] head, byte[] tail) {
        static Rendered of(BackendSnapshot key, boolean fullData) {
            String head = ApiJson.write(BackendViews.head(key));
            String tail = ApiJson.write(BackendViews.tail(key, fullData));
            return new Rendered(key,
                    ("\"" + key.id() + "\":" + head.substring(0, head.length() - 1)).getBytes(StandardCharsets.UTF_8),
                    tail.substring(1).getBytes(StandardCharsets.UTF_8));
        }
    }
}
