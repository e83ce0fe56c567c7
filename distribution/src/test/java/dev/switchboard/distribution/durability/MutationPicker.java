package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Picks a worker's next random change of its own backends, with valid values only (a refused change is a
 * finding, not noise). Keeps each worker's backend count between a few and about eight.
 */
final class MutationPicker {
    static final String COMFYUI_API = "comfyui_api";
    static final String SWARM = "swarmswarmbackend";
    static final String SELF_START = "comfyui_selfstart";
    static final List<String> TYPES = List.of(COMFYUI_API, SWARM);

    private static final String[] TITLE_PARTS = {"GPU box", "A", "\u00e9t\u00e9", "\u65e5\u672c", "\ud83d\ude80",
        "\"quoted\"", "back\\slash", "tab\there", " ", "x", "<b>"};

    private final Random random;

    MutationPicker(Random random) {
        this.random = requireNonNull(random, "random is null");
    }

    BackendMutation next(Map<Integer, ExpectedBackend> owned, Set<Integer> vacated) {
        int count = owned.size();
        double roll = random.nextDouble();
        if (count == 0 || (count < 3 && roll < 0.4) || (count <= 8 && roll < 0.15)) {
            return new BackendMutation.Add(TYPES.get(random.nextInt(TYPES.size())));
        }
        List<Integer> ids = new ArrayList<>(owned.keySet());
        int id = ids.get(random.nextInt(ids.size()));
        ExpectedBackend backend = owned.get(id);
        if (count > 8 || roll < 0.3) {
            return new BackendMutation.Delete(id);
        }
        if (roll < 0.55) {
            // Sometimes the same value: the server answers "No change." and must store nothing new.
            return new BackendMutation.Toggle(id, random.nextInt(5) == 0 ? backend.enabled() : !backend.enabled());
        }
        return edit(id, backend, vacated);
    }

    /** A random edit of backend {@code id}; one in six moves it to one of the {@code vacated} ids. */
    BackendMutation edit(int id, ExpectedBackend backend, Set<Integer> vacated) {
        int newId = -1;
        if (!vacated.isEmpty() && random.nextInt(6) == 0) {
            List<Integer> free = new ArrayList<>(vacated);
            newId = free.get(random.nextInt(free.size()));
        }
        return new BackendMutation.Edit(id, title(), settings(backend.type()), newId);
    }

    boolean nextBoolean() {
        return random.nextBoolean();
    }

    private String title() {
        StringBuilder title = new StringBuilder();
        int parts = random.nextInt(4);
        for (int i = 0; i < parts; i++) {
            title.append(TITLE_PARTS[random.nextInt(TITLE_PARTS.length)]);
        }
        return title.toString();
    }

    private JsonObject settings(String type) {
        JsonObject settings = new JsonObject();
        if (SELF_START.equals(type)) {
            // The launch settings (StartScript, ExtraArgs) stay: they point at the fake ComfyUI and name the backend.
            settings.addProperty("OverQueue", random.nextInt(4));
            settings.addProperty("AutoRestart", random.nextBoolean());
            return settings;
        }
        if (random.nextBoolean()) {
            settings.addProperty("Address", random.nextInt(4) == 0 ? "" : unreachableAddress());
        }
        if (random.nextBoolean()) {
            settings.addProperty("AllowIdle", random.nextBoolean());
        }
        if (COMFYUI_API.equals(type)) {
            if (random.nextBoolean()) {
                settings.addProperty("OverQueue", random.nextInt(1002) - 1);
            }
            if (random.nextBoolean()) {
                settings.addProperty("EnableFrontendDev", random.nextBoolean());
            }
            return settings;
        }
        if (random.nextBoolean()) {
            settings.addProperty("AllowForwarding", random.nextBoolean());
        }
        if (random.nextBoolean()) {
            settings.addProperty("AllowWebsocket", random.nextBoolean());
        }
        int secret = random.nextInt(4);
        if (secret == 1) {
            settings.addProperty("AuthorizationHeader", "Bearer " + Long.toHexString(random.nextLong()));
        } else if (secret == 2) {
            settings.addProperty("AuthorizationHeader", ExpectedBackend.SECRET_PLACEHOLDER);
        } else if (secret == 3 && random.nextInt(3) == 0) {
            settings.addProperty("AuthorizationHeader", "");
        }
        if (random.nextBoolean()) {
            settings.addProperty("OtherHeaders", random.nextBoolean() ? "" : "X-Trial: " + random.nextInt(1000));
        }
        if (random.nextBoolean()) {
            settings.addProperty("ConnectionAttemptTimeoutSeconds", 1 + random.nextInt(3600));
        }
        return settings;
    }

    /** A loopback port below 1024 that nothing listens on here: connections are refused at once. */
    private String unreachableAddress() {
        return "http://127.0.0.1:" + (1 + random.nextInt(1000));
    }
}
