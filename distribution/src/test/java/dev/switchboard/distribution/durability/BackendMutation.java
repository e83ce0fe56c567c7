package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * One change request a client sends (Add, Edit, Toggle or Delete) and what it does to the stored
 * configuration once the server acknowledges it.
 */
sealed interface BackendMutation {

    String route();

    /** The route's parameters (without the session). */
    JsonObject parameters();

    /**
     * The ids whose stored entries this change may create, change or remove; empty for an Add, whose id the
     * server picks.
     */
    Set<Integer> affectedIds();

    /**
     * Applies the change to {@code backends}.
     *
     * @param addedId the id the server gave a new backend (only read by {@link Add})
     */
    void applyTo(Map<Integer, ExpectedBackend> backends, int addedId, BackendTypeFacts facts);

    /** {@code AddNewBackend}: a new backend of {@code type} with its default settings. */
    record Add(String type) implements BackendMutation {
        public Add {
            requireNonNull(type, "type is null");
        }

        @Override
        public String route() {
            return "AddNewBackend";
        }

        @Override
        public JsonObject parameters() {
            JsonObject parameters = new JsonObject();
            parameters.addProperty("type_id", type);
            return parameters;
        }

        @Override
        public Set<Integer> affectedIds() {
            return Set.of();
        }

        @Override
        public void applyTo(Map<Integer, ExpectedBackend> backends, int addedId, BackendTypeFacts facts) {
            backends.put(addedId, facts.newBackend(type));
        }
    }

    /** {@code EditBackend}: a new title, some settings replaced, and optionally a new id ({@code newId} &ge; 0). */
    record Edit(int id, String title, JsonObject settings, int newId) implements BackendMutation {
        public Edit {
            requireNonNull(title, "title is null");
            settings = requireNonNull(settings, "settings is null").deepCopy();
        }

        @Override
        public String route() {
            return "EditBackend";
        }

        @Override
        public JsonObject parameters() {
            JsonObject parameters = new JsonObject();
            parameters.addProperty("backend_id", id);
            parameters.addProperty("title", title);
            parameters.add("settings", settings.deepCopy());
            if (newId >= 0) {
                parameters.addProperty("new_id", newId);
            }
            return parameters;
        }

        @Override
        public Set<Integer> affectedIds() {
            return newId >= 0 ? Set.of(id, newId) : Set.of(id);
        }

        @Override
        public void applyTo(Map<Integer, ExpectedBackend> backends, int addedId, BackendTypeFacts facts) {
            ExpectedBackend old = backends.remove(id);
            backends.put(newId >= 0 ? newId : id, old.edited(title, settings, facts.secrets(old.type())));
        }
    }

    /** {@code ToggleBackend}. */
    record Toggle(int id, boolean enabled) implements BackendMutation {
        @Override
        public String route() {
            return "ToggleBackend";
        }

        @Override
        public JsonObject parameters() {
            JsonObject parameters = new JsonObject();
            parameters.addProperty("backend_id", id);
            parameters.addProperty("enabled", enabled);
            return parameters;
        }

        @Override
        public Set<Integer> affectedIds() {
            return Set.of(id);
        }

        @Override
        public void applyTo(Map<Integer, ExpectedBackend> backends, int addedId, BackendTypeFacts facts) {
            backends.put(id, backends.get(id).withEnabled(enabled));
        }
    }

    /** {@code DeleteBackend}. */
    record Delete(int id) implements BackendMutation {
        @Override
        public String route() {
            return "DeleteBackend";
        }

        @Override
        public JsonObject parameters() {
            JsonObject parameters = new JsonObject();
            parameters.addProperty("backend_id", id);
            return parameters;
        }

        @Override
        public Set<Integer> affectedIds() {
            return Set.of(id);
        }

        @Override
        public void applyTo(Map<Integer, ExpectedBackend> backends, int addedId, BackendTypeFacts facts) {
            backends.remove(id);
        }
    }
}
