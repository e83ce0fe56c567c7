package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.plugins.support.UntrustedText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real {@code swarmswarmbackend}: connects to another Swarm-compatible server and mirrors each of its
 * {@code running} backends here as a non-real child. It never generates itself ({@code can_load_models}
 * false, one usage); its features are the union of the running remote backends' features.
 *
 * <p>It re-syncs every {@link #RESYNC_PERIOD} (one re-sync at a time, on the instance's scheduler): new
 * remote backends get a child, changed ones update theirs (same id), ones that left {@code running} lose
 * theirs. When the remote cannot be reached, the children show {@code idle} with {@code AllowIdle} and
 * keep their ids; without it they are marked {@code errored} with the reason and replaced by fresh
 * children once the remote answers again. The control keeps trying in both cases. While the remote lists
 * backends that are still {@code loading}, the control is {@code loading} too: its {@code init} keeps
 * re-syncing until none is (the host would call a backend whose init returned running), and a later re-sync
 * that finds one loading makes it {@code loading} again.
 *
 * <p>As a SwarmUI master's control does on a full re-sync, it also reads the remote's model lists (one
 * {@code ListModels} per kind) and the node types of its ComfyUI backends, which every child reports to the host so
 * the dispatcher gives a child only jobs whose models the remote has (when: see {@code resync}). The children generate
 * (see {@link SwarmChildBackend}).
 */
final class SwarmControlBackend implements Backend {

    /** How often the remote's backend list is read again. */
    static final Duration RESYNC_PERIOD = Duration.ofSeconds(2);
    /** Every this many re-syncs the model lists are read again too, even when nothing else asked for it. */
    static final int MODELS_EVERY = 15;

    private final BackendContext context;
    private final SwarmClients clients;
    private final SwarmSettings settings;
    private final Object lock = new Object();
    /** Held by each re-sync and model refresh: they change the children one at a time. */
    private final Object syncLock = new Object();
    /** Set while a model refresh runs; the children's refreshes all end up here and one read serves them. */
    private final AtomicBoolean refreshing = new AtomicBoolean();

    // Guarded by lock.
    private SwarmHttp http;
    private boolean shutDown;
    // Guarded by syncLock (init, the re-syncs and model refreshes take turns).
    private final Map<Integer, MirroredChild> mirrors = new HashMap<>();
    private final List<Integer> erroredChildren = new ArrayList<>();
    private boolean lost;
    // Set once by init; read by model refreshes on host threads.
    private volatile RemoteSession session;
    private volatile RemoteCatalog catalog;
    // Guarded by syncLock: the remote's model lists as last read (null before the first read), the session they were
    // read with, and the re-syncs since.
    private Map<ModelType, List<String>> models;
    private int modelsRenewals;
    private int resyncsSinceModels;

    SwarmControlBackend(BackendContext context) {
        this(context, new SwarmClients());
    }

    /**
     * @param context what the host gives this instance
     * @param clients the HTTP clients the type's backends share
     */
    SwarmControlBackend(BackendContext context, SwarmClients clients) {
        this.context = requireNonNull(context, "context is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.settings = new SwarmSettings(context.settings());
    }

    @Override
    public void init() throws Exception {
        context.setCanLoadModels(false);
        context.setMaxUsages(1);
        if (settings.address().isEmpty()) {
            context.setStatus(BackendStatus.DISABLED, "No address is set. Enter the other Swarm server's address, "
                    + "for example http://192.168.1.2:7801, to use its backends.");
            return;
        }
        RequestHeaders headers;
        try {
            headers = RequestHeaders.parse(settings.authorization(), settings.otherHeaders());
        } catch (IllegalArgumentException e) {
            context.fail(e.getMessage());
            return;
        }
        SwarmHttp connection;
        synchronized (lock) {
            // Checked before the client is made: one made and then dropped would keep its HTTP client's threads.
            if (shutDown) {
                throw new IllegalStateException("The backend was shut down before it could connect.");
            }
            connection = new SwarmHttp(settings.address(), headers, "Switchboard/" + context.serverVersion(),
                    settings.callTimeout(), clients.forConnectTimeout(settings.callTimeout()));
            http = connection;
        }
        session = new RemoteSession(connection, context.serverId());
        catalog = new RemoteCatalog(session, settings.allowForwarding(), context.logger());
        context.setStatus(BackendStatus.LOADING, "Connecting to the Swarm server at " + settings.address());
        boolean remoteLoading = false;
        try {
            remoteLoading = resync(false);
        } catch (RemoteSwarmException e) {
            if (e.kind() == RemoteSwarmException.Kind.CANCELLED) {
                throw e;
            }
            if (e.kind() == RemoteSwarmException.Kind.SELF || !settings.allowIdle()) {
                // Retrying cannot fix a wrong address or a dead server quickly; say so at once, as SwarmUI
                // users see an errored backend when the first connection fails.
                context.fail(e.getMessage());
                return;
            }
            synchronized (syncLock) {
                markLost(e);
            }
        }
        // The control is loading while a remote backend is (as in SwarmUI), and the host makes a backend whose init
        // returned while loading running: so init re-syncs until none loads, showing what it waits for.
        while (remoteLoading) {
            Thread.sleep(RESYNC_PERIOD.toMillis());
            remoteLoading = tick();
        }
        synchronized (lock) {
            if (shutDown) {
                return;
            }
        }
        context.scheduler().scheduleWithFixedDelay(() -> tick(), RESYNC_PERIOD.toMillis(), RESYNC_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void shutdown() {
        SwarmHttp connection;
        synchronized (lock) {
            shutDown = true;
            connection = http;
        }
        if (connection != null) {
            connection.close();
        }
        // The host removes every child of this backend and stops its scheduler.
    }

    /**
     * Reads the remote's lists again for the children (a client's TriggerRefresh reaches every child, and all of
     * them end here): the remote refreshes too ({@code TriggerRefresh}, as a master asks it), then a re-sync reads
     * its backends, model lists and node types. While one refresh runs, another returns at once: the one running
     * reports for all (and a remote that forwards the refresh back here cannot wait for itself).
     */
    void refreshModels() throws RemoteSwarmException, InterruptedException {
        if (session == null || !refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            try {
                session.call("TriggerRefresh", new JsonObject());
            } catch (RemoteSwarmException e) {
                // Its answer is ignored, as a master ignores it; an unreachable remote fails the refresh below.
                context.logger().debug("TriggerRefresh on {} failed: {}", settings.address(), e.getMessage());
            }
            resync(true);
        } finally {
            refreshing.set(false);
        }
    }

    /** @return true when the re-sync succeeded and the remote still has backends loading */
    private boolean tick() {
        if (!context.isCurrent()) {
            return false;
        }
        try {
            return resync(false);
        } catch (RemoteSwarmException e) {
            if (e.kind() == RemoteSwarmException.Kind.SELF) {
                context.fail(e.getMessage());
            } else if (e.kind() != RemoteSwarmException.Kind.CANCELLED) {
                synchronized (syncLock) {
                    markLost(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again; keep the loop alive and say what happened.
            context.logger().warn("Re-syncing with {} failed", settings.address(), e);
            context.setStatusMessage("Re-syncing failed unexpectedly: " + UntrustedText.sanitize(e.toString(), 160));
        }
        return false;
    }

    /**
     * Reads the remote's backends and brings the children in line with them; and the remote's model lists and node
     * types when asked to, on the first re-sync, after a new session (the remote may have restarted), when children
     * came or went, and every {@link #MODELS_EVERY} re-syncs.
     *
     * @return whether the remote has backends that are still loading
     */
    private boolean resync(boolean withModels) throws RemoteSwarmException, InterruptedException {
        synchronized (syncLock) {
            return resyncLocked(withModels);
        }
    }

    private boolean resyncLocked(boolean withModels) throws RemoteSwarmException, InterruptedException {
        JsonObject params = new JsonObject();
        params.addProperty("nonreal", true);
        params.addProperty("full_data", true);
        List<RemoteBackend> entries = RemoteBackend.parseList(settings.address(), session.call("ListBackends", params));
        if (!context.isCurrent()) {
            return false;
        }
        if (lost) {
            lost = false;
            context.logger().info("The Swarm server at {} answers again", settings.address());
        }
        for (Integer childId : erroredChildren) {
            context.children().remove(childId);
        }
        erroredChildren.clear();

        Set<String> features = new TreeSet<>();
        Set<Integer> running = new HashSet<>();
        boolean stillLoading = false;
        boolean changed = false;
        for (RemoteBackend entry : entries) {
            stillLoading |= entry.isLoading();
            if (!entry.isRunning()) {
                continue;
            }
            features.addAll(entry.features());
            if (entry.isSwarm() && !settings.allowForwarding()) {
                continue;
            }
            running.add(entry.id());
            MirroredChild mirror = mirrors.get(entry.id());
            if (mirror == null) {
                spawn(entry);
                changed = true;
            } else {
                mirror.update(entry, settings.address());
            }
        }
        for (var it = mirrors.entrySet().iterator(); it.hasNext();) {
            var known = it.next();
            if (!running.contains(known.getKey())) {
                context.children().remove(known.getValue().childId());
                it.remove();
                changed = true;
            }
        }
        if (withModels || changed || models == null || modelsRenewals != session.renewals()
                || ++resyncsSinceModels >= MODELS_EVERY) {
            readModels();
        }
        context.setFeatures(features);
        if (stillLoading) {
            context.setStatus(BackendStatus.LOADING, "Connected to " + settings.address()
                    + "; waiting for its backends that are still loading.");
        } else {
            context.setStatus(BackendStatus.RUNNING, "Connected to " + settings.address() + "; mirroring "
                    + mirrors.size() + " running backend" + (mirrors.size() == 1 ? "" : "s") + ".");
        }
        return stillLoading;
    }

    /** Reads the model lists and gives them to every child, with its node types when its remote runs ComfyUI. */
    private void readModels() throws RemoteSwarmException, InterruptedException {
        models = catalog.refresh();
        modelsRenewals = session.renewals();
        resyncsSinceModels = 0;
        for (MirroredChild mirror : mirrors.values()) {
            mirror.models(models);
            // A SwarmUI master asks only for ComfyUI backends' node types (their type ids start with comfyui_).
            if (mirror.remoteType().startsWith("comfyui_")) {
                Set<String> nodeTypes = catalog.nodeTypes(mirror.remoteId());
                if (nodeTypes != null) {
                    mirror.nodeTypes(nodeTypes);
                }
            }
        }
    }

    private void spawn(RemoteBackend entry) {
        MirroredChild mirror = new MirroredChild(entry, settings.address());
        if (models != null) {
            mirror.models(models);
        }
        SessionPool sessions = new SessionPool(http(), context.serverId());
        boolean websocket = settings.allowWebsocket();
        String remoteTitle = entry.title().isEmpty() ? entry.type() + " " + entry.id() : entry.title();
        // BackendContext has no accessor for this backend's own title, so the address names the parent.
        // SwarmUI's form: "[Remote from <control id>: <control title>] <remote title>".
        String title = "[Remote from " + context.backendId() + ": " + context.title() + "] " + remoteTitle;
        int childId = context.children().spawn(title, childContext -> new SwarmChildBackend(childContext, mirror,
                sessions, websocket, this::refreshModels));
        mirror.childId(childId);
        mirrors.put(entry.id(), mirror);
    }

    private SwarmHttp http() {
        synchronized (lock) {
            return http;
        }
    }

    /** The remote could not be read: children leave {@code running}, and the loop keeps trying. */
    private void markLost(RemoteSwarmException e) {
        String reason = e.getMessage();
        if (!lost) {
            context.logger().warn("Lost the Swarm server at {}: {}", settings.address(), reason);
        }
        lost = true;
        if (settings.allowIdle()) {
            for (MirroredChild mirror : mirrors.values()) {
                mirror.idle(reason);
            }
            context.setStatus(BackendStatus.IDLE, reason + " Checking again every " + RESYNC_PERIOD.toSeconds()
                    + " s.");
            return;
        }
        for (MirroredChild mirror : mirrors.values()) {
            mirror.fail(reason);
            erroredChildren.add(mirror.childId());
        }
        mirrors.clear();
        context.setStatus(BackendStatus.LOADING, reason + " Reconnecting every " + RESYNC_PERIOD.toSeconds()
                + " s; its backends come back once it answers.");
    }
}
