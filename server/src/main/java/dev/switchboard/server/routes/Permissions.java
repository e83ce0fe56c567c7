package dev.switchboard.server.routes;

import java.util.List;

/** SwarmUI's permission ids for the backend routes (backend-api-semantics.md 1.5). */
final class Permissions {
    static final String VIEW_BACKENDS_LIST = "view_backends_list";
    static final String ADD_REMOVE_BACKENDS = "add_remove_backends";
    static final String EDIT_BACKENDS = "edit_backends";
    static final String TOGGLE_BACKENDS = "toggle_backends";
    static final String RESTART_BACKENDS = "restart_backends";
    static final String CONTROL_MEM_CLEAN = "control_mem_clean";
    /** Viewing a backend's engine output (SwarmUI's log viewing permission). */
    static final String VIEW_LOGS = "view_logs";
    /** Switchboard's own: viewing the plugin list and its load errors. */
    static final String VIEW_PLUGINS = "view_plugins";

    /** What the single local owner gets: everything, as SwarmUI's owner role ({@code *} plus every id). */
    static final List<String> OWNER = List.of("*", VIEW_BACKENDS_LIST, ADD_REMOVE_BACKENDS, EDIT_BACKENDS,
            TOGGLE_BACKENDS, RESTART_BACKENDS, CONTROL_MEM_CLEAN, VIEW_LOGS, VIEW_PLUGINS);

    private Permissions() {
    }
}
