package dev.switchboard.server.sessions;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalog of permissions: every route declares one, and a session may use a route when it holds it. Ids
 * are SwarmUI's where SwarmUI has the permission (backend-api-semantics.md 1.5), our own otherwise.
 */
public enum Permission {
    /** Needs no session and no permission: anyone who can reach the server ({@code GetNewSession}). */
    PUBLIC(""),
    VIEW_BACKENDS_LIST("view_backends_list"),
    ADD_REMOVE_BACKENDS("add_remove_backends"),
    EDIT_BACKENDS("edit_backends"),
    TOGGLE_BACKENDS("toggle_backends"),
    RESTART_BACKENDS("restart_backends"),
    CONTROL_MEM_CLEAN("control_mem_clean"),
    /** Viewing a backend's engine output (SwarmUI's log viewing permission). */
    VIEW_LOGS("view_logs"),
    /** Switchboard's own: viewing the plugin list and its load errors. */
    VIEW_PLUGINS("view_plugins"),
    /** Generating images, and interrupting one's own generations. */
    BASIC_IMAGE_GENERATION("basic_image_generation"),
    /** Listing models. */
    FUNDAMENTAL_MODEL_ACCESS("fundamental_model_access"),
    /** Loading a model on backends now (SelectModel). */
    LOAD_MODELS_NOW("load_models_now"),
    /** The Generate tab's routes: parameters, refresh, status. */
    FUNDAMENTAL_GENERATE_TAB_ACCESS("fundamental_generate_tab_access"),
    /** Pinning a generation to a backend ({@code exactbackendid}). */
    PARAM_BACKEND_ID("param_backend_id"),
    /** Running raw ComfyUI workflows. */
    COMFY_DIRECT_CALLS("comfy_direct_calls"),
    VIEW_IMAGE_HISTORY("view_image_history");

    /** The granted id that stands for every permission, as SwarmUI's owner role holds it. */
    public static final String ALL = "*";

    private final String id;

    Permission(String id) {
        this.id = id;
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
