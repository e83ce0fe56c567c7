package dev.switchboard.server.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether the server is ready for traffic: its backends store is loaded and readable, its plugins are loaded and
 * its API is served. The server's start tells it each step; {@code /readyz} reads it. Thread-safe and cheap.
 */
public final class Readiness {
    /** Why a server whose {@code backends.json} cannot be read is not ready; no path, nothing from the file. */
    static final String STORE_UNREADABLE = "backends.json could not be read: the server shows the backends of its"
            + " newest readable backup and refuses changes until the file is repaired or removed (the log says how)";

    private volatile Check store = Check.PENDING;
    private volatile Check plugins = Check.PENDING;
    private volatile Check http = Check.PENDING;
    private volatile boolean stopping;

    /** The backends store is open; {@code readable} is false when its file could not be read. */
    public void storeLoaded(boolean readable) {
        store = readable ? Check.OK : Check.FAILED;
    }

    /** Every plugin was loaded or refused, and the backend types are registered. */
    public void pluginsLoaded() {
        plugins = Check.OK;
    }

    /** The API is served on the bound listener. */
    public void serving() {
        http = Check.OK;
    }

    /** The server is shutting down: never ready again. */
    public void stopping() {
        stopping = true;
    }

    /** @return the state now */
    public State state() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("store", store.word());
        checks.put("plugins", plugins.word());
        checks.put("http", http.word());
        if (stopping) {
            return new State(false, "stopping", "the server is shutting down", checks);
        }
        if (store == Check.FAILED) {
            return new State(false, "not_ready", STORE_UNREADABLE, checks);
        }
        if (store == Check.PENDING) {
            return new State(false, "starting", "opening the backends store", checks);
        }
        if (plugins == Check.PENDING) {
            return new State(false, "starting", "loading plugins", checks);
        }
        if (http == Check.PENDING) {
            return new State(false, "starting", "loading the backends and starting the API", checks);
        }
        return new State(true, "ready", "", checks);
    }

    /**
     * One reading of the readiness.
     *
     * @param ready whether the server takes traffic
     * @param status {@code ready}, {@code starting}, {@code not_ready} or {@code stopping}
     * @param reason why it is not ready; empty when it is
     * @param checks each condition ({@code store}, {@code plugins}, {@code http}): {@code ok}, {@code pending} or
     *     {@code failed}
     */
    public record State(boolean ready, String status, String reason, Map<String, String> checks) {
        public State {
            checks = Map.copyOf(checks);
        }
    }

    private enum Check {
        PENDING, OK, FAILED;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
