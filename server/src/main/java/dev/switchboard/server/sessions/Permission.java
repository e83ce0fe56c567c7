package dev.switchboard.server.sessions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catalog of permissions: every route declares one, and a session may use a route when it holds it. Ids
 * are SwarmUI's where SwarmUI has the permission (backend-api-semantics.md 1.5), our own otherwise.
 */
public enum Permission {
    /** Needs no session and no permission: anyone who can reach the server ({@code GetNewSession}, {@code Login}). */
    PUBLIC("", Level.GUESTS, "", "Needs nothing."),
    /** The least a logged-in session has: logging out. */
    FUNDAMENTAL("fundamental", Level.GUESTS, "basics", "Use the server at all: log out."),
    VIEW_BACKENDS_LIST("view_backends_list", Level.POWERUSERS, "backends", "See the backends and their types."),
    ADD_REMOVE_BACKENDS("add_remove_backends", Level.ADMINS, "backends",
            "Add and delete backends (a self-started backend runs a program on the server)."),
    EDIT_BACKENDS("edit_backends", Level.ADMINS, "backends", "Change a backend's settings."),
    TOGGLE_BACKENDS("toggle_backends", Level.ADMINS, "backends", "Enable and disable backends."),
    RESTART_BACKENDS("restart_backends", Level.POWERUSERS, "backends", "Restart backends."),
    CONTROL_MEM_CLEAN("control_mem_clean", Level.POWERUSERS, "backends", "Ask backends to free memory."),
    /** Viewing a backend's engine output (SwarmUI's log viewing permission). */
    VIEW_LOGS("view_logs", Level.ADMINS, "backends", "Read a backend's engine output."),
    /** Switchboard's own: viewing the plugin list and its load errors. */
    VIEW_PLUGINS("view_plugins", Level.ADMINS, "backends", "See the loaded plugins and their errors."),
    /** Generating images, and interrupting one's own generations. */
    BASIC_IMAGE_GENERATION("basic_image_generation", Level.USERS, "generation",
            "Generate images and interrupt one's own generations."),
    /** Listing models. */
    FUNDAMENTAL_MODEL_ACCESS("fundamental_model_access", Level.GUESTS, "generation", "List the models."),
    /** Loading a model on backends now (SelectModel). */
    LOAD_MODELS_NOW("load_models_now", Level.POWERUSERS, "generation", "Load a model on the backends now."),
    /** The Generate tab's routes: parameters, refresh, status. */
    FUNDAMENTAL_GENERATE_TAB_ACCESS("fundamental_generate_tab_access", Level.GUESTS, "generation",
            "See the generation parameters, status and one's own account."),
    /** Pinning a generation to a backend ({@code exactbackendid}). */
    PARAM_BACKEND_ID("param_backend_id", Level.POWERUSERS, "generation", "Choose the backend of a generation."),
    /** Running raw ComfyUI workflows. */
    COMFY_DIRECT_CALLS("comfy_direct_calls", Level.POWERUSERS, "generation",
            "Run raw ComfyUI workflows and call a ComfyUI backend directly."),
    VIEW_IMAGE_HISTORY("view_image_history", Level.USERS, "outputs", "List one's own saved images."),
    /** Seeing and listing the outputs of other users. */
    VIEW_OTHERS_OUTPUTS("view_others_outputs", Level.ADMINS, "outputs", "See the saved images of other users."),
    /** Changing one's own password. */
    EDIT_USER_SETTINGS("edit_user_settings", Level.USERS, "account", "Change one's own password."),
    /** Switchboard's own: making, listing and revoking one's own API keys. */
    MANAGE_API_KEYS("manage_api_keys", Level.USERS, "account", "Make, list and revoke one's own API keys."),
    /** Adding, deleting and changing users (never beyond the caller's own permissions). */
    MANAGE_USERS("manage_users", Level.ADMINS, "admin",
            "Add, delete and list users and set their passwords, never giving more than one holds."),
    /** Defining roles: total control, so the owner's alone by default. */
    CONFIGURE_ROLES("configure_roles", Level.OWNER, "admin", "Add, change and delete roles."),
    /** Switchboard's own: reading the audit log. */
    VIEW_AUDIT_LOG("view_audit_log", Level.ADMINS, "admin", "Read who changed which backend or account."),
    /** Switchboard's own: reading {@code /metrics}. */
    VIEW_SERVER_METRICS("view_server_metrics", Level.ADMINS, "admin", "Read the server's metrics.");

    /** The granted id that stands for every permission, as SwarmUI's owner role holds it. */
    public static final String ALL = "*";

    private final String id;
    private final Level level;
    private final String group;
    private final String description;

    Permission(String id, Level level, String group, String description) {
        this.id = id;
        this.level = level;
        this.group = group;
        this.description = description;
    }

    /** Who holds a permission in the built-in roles, from the most trusted: each level includes those above it. */
    public enum Level {
        /** The owner alone (SwarmUI's NOBODY: no role but the owner's). */
        OWNER("owner"),
        ADMINS("admin"),
        POWERUSERS("poweruser"),
        USERS("user"),
        GUESTS("guest");

        private final String role;

        Level(String role) {
            this.role = role;
        }

        /** @return the built-in role of this level, e.g. {@code admin} */
        public String role() {
            return role;
        }

        /** @return SwarmUI's name of the level, e.g. {@code ADMINS}; the owner's is {@code NOBODY} */
        public String wireName() {
            return this == OWNER ? "NOBODY" : name();
        }
    }

    /** @return the built-in level: the least trusted built-in role that holds it */
    public Level level() {
        return level;
    }

    /** @return the group it is listed under, e.g. {@code backends} */
    public String group() {
        return group;
    }

    /** @return one sentence on what it allows */
    public String description() {
        return description;
    }

    /** @return the permission with this id, if the catalog has one */
    public static Optional<Permission> byId(String id) {
        for (Permission permission : values()) {
            if (permission != PUBLIC && permission.id.equals(id)) {
                return Optional.of(permission);
            }
        }
        return Optional.empty();
    }

    /** @return the id used on the wire and in roles, e.g. {@code edit_backends}; empty for {@link #PUBLIC} */
    public String id() {
        return id;
    }

    /** Tells whether a holder of the granted ids (which may include {@value #ALL}) has this permission. */
    public boolean isGrantedBy(List<String> granted) {
        return this == PUBLIC || granted.contains(ALL) || granted.contains(id);
    }

    /**
     * The permission ids a session's answer lists: {@value #ALL} expands to itself followed by every id of the
     * catalog, as SwarmUI's owner sees it; other grants are listed as they are.
     */
    public static List<String> listed(List<String> granted) {
        if (!granted.contains(ALL)) {
            return granted;
        }
        List<String> all = new ArrayList<>();
        all.add(ALL);
        for (Permission permission : values()) {
            if (permission != PUBLIC) {
                all.add(permission.id);
            }
        }
        return List.copyOf(all);
    }
}
