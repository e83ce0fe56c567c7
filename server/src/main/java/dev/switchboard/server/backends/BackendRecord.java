package dev.switchboard.server.backends;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ImageGenerator;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.server.plugins.PluginCallRunner.PluginCall;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.secrets.Redactor;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The host's record of one backend and the one owner of its state: configuration, what it advertises, and the
 * state machine of its status, incarnations and jobs. Every field is private and guarded by the record's
 * monitor; other classes change it only through the intent methods below, so the transitions live here alone:
 *
 * <pre>
 *   event                                              status afterwards
 *   beginIncarnation (add, load, edit, restart, on)    WAITING "Waiting to load."
 *   beginAttempt while the backend is disabled         DISABLED "Disabled."
 *   reportStatus by the current instance               LOADING, RUNNING, IDLE or DISABLED (its choice)
 *   initSucceeded while WAITING or LOADING             RUNNING "Running."
 *   attemptFailed with retries left                    WAITING "Attempt n of m failed: ..."
 *   attemptFailed without / failedByPlugin             ERRORED with the reason
 *   stopFinished, no newer incarnation meanwhile       DISABLED with the stop's message (ERRORED kept if asked)
 * </pre>
 *
 * An incarnation is one generation number: every start or stop moves to a new one, so outcomes and reports of
 * an older incarnation change nothing. {@link #operationLock} serializes the long operations (edit, toggle,
 * restart, delete) on this one backend; operations on different backends run in parallel.
 */
final class BackendRecord {
    final RegisteredBackendType type;
    final boolean real;
    /** The backend that spawned this non-real child, or null for real backends. */
    final BackendRecord parent;
    /** Creates instances of a non-real child; null for real backends, which use the type's factory. */
    final Function<BackendContext, Backend> childFactory;
    final ReentrantLock operationLock = new ReentrantLock();
    /** The engine's own output (e.g. a launched process's), kept across restarts of this backend. */
    final OutputLog output = new OutputLog(OutputLog.DEFAULT_CAPACITY);

    /** Counts changes to what snapshots show; every setter of such a field counts its change. */
    private final ViewVersion viewVersion;
    /** Keeps every backend's secrets out of status messages, engine output and job errors. */
    final Redactor redactor;

    // Configuration. The id is volatile so a child can read its parent's id without the parent's monitor.
    private volatile int id;
    private String title;
    private Settings settings;
    private int modcount;

    // What the backend advertises, as its current instance reported it; replaced whole on every report.
    private Advertised advertised = Advertised.INITIAL;

    // The state machine.
    private BackendStatus status = BackendStatus.WAITING;
    private String statusMessage = "Waiting to load.";
    private boolean enabled;
    private long generation;
    private int attempts;
    /** Set from a stop's start until its end: no new work is accepted meanwhile. */
    private boolean stopping;
    private InstanceContext context;
    private Backend instance;
    private PluginCall<?> runningInit;

    /** The jobs it runs; taken only under this record's monitor, given back without it. */
    final JobSlots jobs;

    BackendRecord(ViewVersion viewVersion, Redactor redactor, RegisteredBackendType type, int id, boolean real,
                  BackendRecord parent, Function<BackendContext, Backend> childFactory, String title, boolean enabled,
                  Settings settings) {
        this.viewVersion = viewVersion;
        this.redactor = redactor;
        this.type = type;
        this.id = id;
        this.real = real;
        this.parent = parent;
        this.childFactory = childFactory;
        this.title = title;
        this.enabled = enabled;
        this.settings = settings;
        this.jobs = new JobSlots(viewVersion, this::id, parent == null ? null : parent.jobs);
    }

    synchronized BackendSnapshot snapshot(long nowNanos) {
        long usedAgo = jobs.usedAgoMillis(nowNanos);
        Advertised a = advertised;
        return new BackendSnapshot(id, type.id(), type.displayName(), type.imageBackend(), status, statusMessage,
                settings, modcount, a.features(), enabled, title, a.maxUsages(), usedAgo, a.canLoadModels(),
                a.currentModel(), real, parentId(), jobs.taken(), instance instanceof ImageGenerator, a.models(),
                a.nodeTypes());
    }

    int id() {
        return id;
    }

    /** Reads the parent's current id (it changes when the parent is re-keyed). */
    OptionalInt parentId() {
        return parent == null ? OptionalInt.empty() : OptionalInt.of(parent.id);
    }

    synchronized String title() {
        return title;
    }

    synchronized Settings settings() {
        return settings;
    }

    synchronized boolean enabled() {
        return enabled;
    }

    synchronized BackendStatus status() {
        return status;
    }

    /** Re-keys the backend after an edit; the modcount counts edits, as SwarmUI's does. */
    synchronized void applyEdit(int newId, String newTitle, Settings newSettings) {
        id = newId;
        title = newTitle;
        settings = newSettings;
        modcount++;
        viewVersion.changed(id);
    }

    synchronized void setEnabled(boolean value) {
        enabled = value;
        viewVersion.changed(id);
    }

    // ---- incarnations --------------------------------------------------------------------------------------

    /** Tells whether no incarnation ever started (a loaded backend nothing has touched yet). */
    synchronized boolean neverStarted() {
        return generation == 0;
    }

    /** Starts a new incarnation, superseding whatever was pending. @return its generation */
    synchronized long beginIncarnation() {
        generation++;
        attempts = 0;
        move(BackendStatus.WAITING, "Waiting to load.");
        return generation;
    }

    /**
     * Starts an init attempt of incarnation {@code gen} with {@code attemptContext} as the current context.
     *
     * @return the attempt's number (1-based), or empty when there is nothing to initialise: the incarnation was
     *     superseded, or the backend is disabled (then its status says so)
     */
    synchronized OptionalInt beginAttempt(long gen, Function<Integer, InstanceContext> attemptContext) {
        if (generation != gen) {
            return OptionalInt.empty();
        }
        if (!enabled) {
            move(BackendStatus.DISABLED, "Disabled.");
            return OptionalInt.empty();
        }
        attempts++;
        context = attemptContext.apply(attempts);
        return OptionalInt.of(attempts);
    }

    /** Makes a freshly created instance current. @return false when {@code gen} was superseded meanwhile */
    synchronized boolean adoptInstance(long gen, Backend created) {
        if (generation != gen) {
            return false;
        }
        instance = created;
        return true;
    }

    /** Starts the init call of incarnation {@code gen} unless it was superseded. @return the call, or null */
    synchronized <T> PluginCall<T> startInit(long gen, Supplier<PluginCall<T>> submit) {
        if (generation != gen) {
            return null;
        }
        PluginCall<T> call = submit.get();
        runningInit = call;
        return call;
    }

    synchronized void initEnded(PluginCall<?> call) {
        if (runningInit == call) {
            runningInit = null;
        }
    }

    /** Init returned normally. @return false when {@code gen} was superseded meanwhile */
    synchronized boolean initSucceeded(long gen) {
        if (generation != gen) {
            return false;
        }
        attempts = 0;
        if (status == BackendStatus.WAITING || status == BackendStatus.LOADING) {
            move(BackendStatus.RUNNING, "Running.");
        }
        return true;
    }

    /**
     * An attempt failed: its instance stops being current (the caller shuts it down).
     *
     * @return false when {@code gen} was superseded meanwhile (whoever did so took the instance over)
     */
    synchronized boolean dropFailedInstance(long gen, Backend failed) {
        if (generation != gen) {
            return false;
        }
        if (instance == failed) {
            instance = null;
            context = null;
        }
        return true;
    }

    /** A failed attempt will be retried. @return false when {@code gen} was superseded meanwhile */
    synchronized boolean attemptFailed(long gen, String retryMessage) {
        return moveIfCurrent(gen, BackendStatus.WAITING, retryMessage);
    }

    /** The last attempt failed. @return false when {@code gen} was superseded meanwhile */
    synchronized boolean gaveUp(long gen, String reason) {
        return moveIfCurrent(gen, BackendStatus.ERRORED, reason);
    }

    /**
     * The plugin reported a failure of incarnation {@code gen}: errored at once, and the incarnation is taken
     * over for stopping.
     *
     * @return what the stop must release, or null when {@code gen} was superseded
     */
    synchronized Incarnation failedByPlugin(long gen, String reason) {
        if (!moveIfCurrent(gen, BackendStatus.ERRORED, reason)) {
            return null;
        }
        return takeOver();
    }

    /**
     * First half of a stop: moves to a new generation, refuses new work until {@link #stopFinished} and hands
     * the incarnation's instance, context and running init to the caller.
     */
    synchronized Incarnation takeOver() {
        generation++;
        stopping = true;
        Incarnation taken = new Incarnation(generation, instance, context, runningInit, jobs.takeWatchers());
        instance = null;
        context = null;
        runningInit = null;
        return taken;
    }

    /** Second half of a stop; a newer incarnation started meanwhile owns the status from there on. */
    synchronized void stopFinished(Incarnation taken, boolean keepErrored, String message) {
        if (generation == taken.generation()) {
            stopping = false;
            advertised = advertised.withCurrentModel(null);
            viewVersion.changed(id);
            if (!(keepErrored && status == BackendStatus.ERRORED)) {
                move(BackendStatus.DISABLED, message);
            }
        }
        notifyAll();
    }

    /**
     * Runs {@code action} under this record's monitor if incarnation {@code gen} is still current: a stop
     * moves to a new incarnation under the same monitor, so it either comes first (and the action does not
     * run) or sees what the action did.
     *
     * @return whether the action ran
     */
    synchronized boolean runInIncarnation(long gen, Runnable action) {
        if (generation != gen) {
            return false;
        }
        action.run();
        return true;
    }

    /** The current instance when it can do work (running, not being stopped), else null. */
    synchronized Backend runningInstance() {
        return status == BackendStatus.RUNNING && !stopping ? instance : null;
    }

    // ---- reports from the current instance -----------------------------------------------------------------

    /** Applies a status the backend reports; ignored unless {@code from} is the current context. */
    synchronized void reportStatus(InstanceContext from, BackendStatus newStatus, String message) {
        if (!newStatus.settableByBackend()) {
            throw new IllegalArgumentException("Backends may not set " + newStatus
                    + " themselves: throw from init() to report a failure");
        }
        if (context == from) {
            move(newStatus, message);
        }
    }

    synchronized void reportStatusMessage(InstanceContext from, String message) {
        if (context == from) {
            statusMessage = redactor.redact(message);
            viewVersion.changed(id);
        }
    }

    /** Applies a change to what the backend advertises; ignored unless {@code from} is the current context. */
    synchronized void report(InstanceContext from, UnaryOperator<Advertised> change) {
        if (context == from) {
            advertised = change.apply(advertised);
            viewVersion.changed(id);
        }
    }

    /** The host's own word on the loaded model (a job ran with it, or a client selected it). */
    synchronized void setCurrentModel(String model) {
        advertised = advertised.withCurrentModel(model);
        viewVersion.changed(id);
    }

    synchronized boolean isCurrent(InstanceContext candidate) {
        return context == candidate;
    }

    // ---- jobs ----------------------------------------------------------------------------------------------

    /**
     * Takes one of the backend's job slots if it can take work now.
     *
     * @return the instance that does the work, or null when the backend cannot take work now
     */
    synchronized Backend tryClaim(long nowNanos) {
        if (status != BackendStatus.RUNNING || !enabled || stopping || instance == null
                || !jobs.tryTake(advertised.maxUsages(), nowNanos)) {
            return null;
        }
        return instance;
    }

    /**
     * Tells {@code onStop} why, when the backend stops while the job runs on {@code claimed}.
     *
     * @return false when that instance is stopping or gone already (the job should not start)
     */
    synchronized boolean watchJob(Backend claimed, Consumer<String> onStop) {
        if (stopping || instance != claimed) {
            return false;
        }
        jobs.watch(onStop);
        return true;
    }

    /** Why {@link #tryClaim} refuses now, for an error message. */
    synchronized String whyNotClaimable() {
        if (status != BackendStatus.RUNNING || !enabled || stopping) {
            return "Backend " + id + " is not running.";
        }
        return "Backend " + id + " is busy (" + jobs.taken() + " of " + advertised.maxUsages() + " jobs).";
    }

    private boolean moveIfCurrent(long gen, BackendStatus newStatus, String message) {
        if (generation != gen) {
            return false;
        }
        move(newStatus, message);
        return true;
    }

    private void move(BackendStatus newStatus, String message) {
        status = newStatus;
        statusMessage = redactor.redact(message);
        viewVersion.changed(id);
    }

    @Override
    public String toString() {
        return "backend " + id + " (" + type.id() + ")";
    }

    /** What one incarnation held when a stop took it over; any part may be null. */
    record Incarnation(long generation, Backend instance, InstanceContext context, PluginCall<?> init,
                       List<Consumer<String>> runningJobs) {
    }
}
