package dev.switchboard.api;

import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;

/**
 * What the host gives one {@link Backend} instance: its identity and settings, a way to report what it is
 * doing, and a few services. One context per instance; it goes inert once the host has moved on from the
 * instance (see {@link #isCurrent()}), so a late report from an abandoned instance cannot overwrite the
 * state of its successor.
 *
 * <p>All methods are thread-safe and never block on other backends; they may be called from any thread,
 * including threads of the backend's own {@link #scheduler()}.
 *
 * @since 1.0
 */
public interface BackendContext {

    /**
     * Returns the backend's current id. Real backends have ids from 0 up; non-real children negative ids.
     * The id can change while an instance lives (an operator re-keyed the backend), so read it when needed
     * rather than caching it.
     *
     * @return the current id
     */
    int backendId();

    /**
     * Returns the id of the parent for a non-real child backend.
     *
     * @return the parent's id, or empty for a real backend
     */
    OptionalInt parentId();

    /**
     * Returns the backend's title as the operator set it (empty when none was set). A non-real child's title is
     * the one it was spawned with. An edit, the only way to change it, creates a new instance.
     *
     * @return the title, never null
     * @since 1.0
     */
    default String title() {
        return "";
    }

    /**
     * Returns this instance's settings: validated against the type's schema, with defaults filled in.
     * They never change during the instance's life; an edit creates a new instance.
     *
     * @return the settings, never null
     */
    Settings settings();

    /**
     * Returns the status the host currently shows for this backend.
     *
     * @return the status, never null
     */
    BackendStatus status();

    /**
     * Sets the backend's status and the human-readable message shown next to it ({@code status_message}).
     * Backends may set {@link BackendStatus#LOADING}, {@link BackendStatus#RUNNING},
     * {@link BackendStatus#IDLE} and {@link BackendStatus#DISABLED}; the host owns the others and refuses
     * them with {@link IllegalArgumentException}. Ignored once the instance is no longer current.
     *
     * @param status the new status, never null
     * @param message why, or what is happening; may be empty, never null
     */
    void setStatus(BackendStatus status, String message);

    /**
     * Replaces the human-readable message without changing the status, e.g. to report progress while
     * loading ("Loading node list from http://host:8188"). Ignored once the instance is no longer current.
     *
     * @param message the message, never null
     */
    void setStatusMessage(String message);

    /**
     * Sets the feature flags the backend advertises (e.g. {@code comfyui}, {@code folderslash}).
     *
     * @param features the complete set, never null
     */
    void setFeatures(Set<String> features);

    /**
     * Sets how many jobs the backend may run at once ({@code max_usages}); 0 means it never gets work.
     * Defaults to 1.
     *
     * @param maxUsages the limit, 0 or more
     */
    void setMaxUsages(int maxUsages);

    /**
     * Sets whether the backend can be asked to load models ({@code can_load_models}). Defaults to true.
     *
     * @param canLoadModels whether models may be loaded on it
     */
    void setCanLoadModels(boolean canLoadModels);

    /**
     * Sets the model currently loaded on the engine ({@code current_model}).
     *
     * @param model the model name, or null when none is known
     */
    void setCurrentModel(String model);

    /**
     * Reports the models the engine can use now, replacing what was reported before. The host answers model
     * listings from what backends report (it never asks a plugin while a client waits) and gives a job only to
     * a backend that reported the model it names. Names use {@code /} between folders and keep their extension,
     * e.g. {@code sdxl/base.safetensors}. Report again whenever the engine's lists change.
     *
     * @param models the model names per kind; kinds left out have none
     * @since 1.0
     */
    default void setModels(Map<ModelType, ? extends Collection<String>> models) {
    }

    /**
     * Reports the node types of an engine that runs node graphs (ComfyUI's {@code object_info} keys), replacing
     * what was reported before. A raw workflow goes only to a backend that reported every node type it uses.
     *
     * @param nodeTypes the node type names
     * @since 1.0
     */
    default void setNodeTypes(Set<String> nodeTypes) {
    }

    /**
     * Reports that the backend failed after {@link Backend#init()} returned, or in a way retrying cannot fix
     * (a launched process exited during start-up, a crash loop, a remote that answers nonsense). The host
     * marks the backend {@link BackendStatus#ERRORED} with {@code reason}, does not retry, and shuts this
     * instance down on another thread; it stays errored until an operator edits, restarts or re-enables it.
     * When called during {@code init()}, {@code init()} should return (or throw) promptly afterwards. Ignored
     * once the instance is no longer current.
     *
     * @param reason what went wrong and what to do, shown as the backend's status message; never null
     * @since 1.0
     */
    default void fail(String reason) {
        throw new UnsupportedOperationException("this host does not support BackendContext.fail");
    }

    /**
     * Appends one line of the engine's own output (e.g. a launched process's stdout or stderr) to the
     * backend's output log. The host keeps the most recent lines, across restarts of the backend, and serves
     * them to operators (the {@code GetBackendLogs} route). Lines must not contain secrets.
     *
     * @param line one line of text, without its line break; never null
     * @since 1.0
     */
    default void appendOutput(String line) {
    }

    /**
     * Returns how long a backend may take to become ready after it launched its engine (the server's
     * start-up timeout, configurable by the operator). Types that launch processes use it for their readiness
     * wait and report a clear failure when it passes.
     *
     * @return a positive duration; 10 minutes unless the operator configured otherwise
     * @since 1.0
     */
    default Duration startTimeout() {
        return Duration.ofMinutes(10);
    }

    /**
     * Returns a logger named after the backend type and id. Secret settings must never be logged.
     *
     * @return the logger, never null
     */
    Logger logger();

    /**
     * Returns a private, existing directory for this backend's files (under the server's data directory).
     *
     * @return an absolute path to a directory that exists
     */
    Path workDirectory();

    /**
     * Returns a scheduler for the instance's periodic work (health probes, re-syncs). Its threads are
     * daemon threads with the plugin's class loader as context class loader; the host shuts it down, and
     * interrupts its tasks, when the instance is shut down or abandoned.
     *
     * <p>It runs the instance's tasks one at a time, in the order they become due, as a single-thread
     * {@link java.util.concurrent.ScheduledThreadPoolExecutor} does: a periodic task that throws stops repeating
     * and its future completes with the exception (the host also logs it). The host runs the tasks of every
     * instance on one shared pool with a bounded number of threads sized to the machine. A task that blocks
     * holds up this instance's later tasks, and another backend's for a moment only (the pool soon counts the
     * blocked thread out and starts another in its place), but it keeps a thread for as long as it blocks: wait
     * on the network with asynchronous calls, not in a task. Shutting this
     * scheduler down ({@code shutdown}, {@code shutdownNow}, or the host's doing so) affects only this instance's
     * tasks; {@code shutdownNow} also cancels the futures of the tasks it returns.
     *
     * @return the scheduler, never null
     */
    ScheduledExecutorService scheduler();

    /**
     * Returns the handle for spawning and removing non-real child backends.
     *
     * @return the handle, never null
     */
    ChildBackends children();

    /**
     * Tells whether the host still regards this instance as the backend's current one. Long-running loops
     * should stop once this returns false.
     *
     * @return false once the instance has been shut down or superseded
     */
    boolean isCurrent();

    /**
     * Returns the identifier of this server process, fresh at every start (SwarmUI's {@code server_id}).
     * Lets a backend that connects to other servers refuse to connect to itself.
     *
     * @return the server id, never null
     */
    String serverId();

    /**
     * Returns the server's version text, e.g. for a {@code User-Agent} header.
     *
     * @return the version, never null
     */
    String serverVersion();
}
