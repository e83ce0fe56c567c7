package dev.switchboard.plugins.swarm;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
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
 */
final class SwarmControlBackend implements Backend {

    /** How often the remote's backend list is read again. */
    static final Duration RESYNC_PERIOD = Duration.ofSeconds(2);

    private final BackendContext context;
    private final SwarmSettings settings;
    private final Object lock = new Object();

    // Guarded by lock.
    private SwarmHttp http;
    private boolean shutDown;
    // Only touched by init and then by the single re-sync thread, never both at once.
    private final Map<Integer, MirroredChild> mirrors = new HashMap<>();
    private final List<Integer> erroredChildren = new ArrayList<>();
    private RemoteSession session;
    private boolean lost;

    SwarmControlBackend(BackendContext context) {
        this.context = requireNonNull(context, "context is null");
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
                    settings.callTimeout());
            http = connection;
        }
        session = new RemoteSession(connection, context.serverId());
        context.setStatus(BackendStatus.LOADING, "Connecting to the Swarm server at " + settings.address());
        boolean remoteLoading = false;
        try {
            remoteLoading = resync();
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
            markLost(e);
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

    /** @return true when the re-sync succeeded and the remote still has backends loading */
    private boolean tick() {
        if (!context.isCurrent()) {
            return false;
        }
        try {
            return resync();
        } catch (RemoteSwarmException e) {
            if (e.kind() == RemoteSwarmException.Kind.SELF) {
                context.fail(e.getMessage());
            } else if (e.kind() != RemoteSwarmException.Kind.CANCELLED) {
                markLost(e);
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
     * Reads the remote's backends and brings the children in line with them.
     *
     * @return whether the remote has backends that are still loading
     */
    private boolean resync() throws RemoteSwarmException, InterruptedException {
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
            } else {
                mirror.update(entry, settings.address());
            }
        }
        for (var it = mirrors.entrySet().iterator(); it.hasNext();) {
            var known = it.next();
            if (!running.contains(known.getKey())) {
                context.children().remove(known.getValue().childId());
                it.remove();
            }
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

    private void spawn(RemoteBackend entry) {
        MirroredChild mirror = new MirroredChild(entry, settings.address());
        RemoteSession shared = session;
        String remoteTitle = entry.title().isEmpty() ? entry.type() + " " + entry.id() : entry.title();
        // BackendContext has no accessor for this backend's own title, so the address names the parent.
        // SwarmUI's form: "[Remote from <control id>: <control title>] <remote title>".
        String title = "[Remote from " + context.backendId() + ": " + context.title() + "] " + remoteTitle;
        int childId = context.children().spawn(title, childContext -> new SwarmChildBackend(childContext, mirror, shared));
        mirror.childId(childId);
        mirrors.put(entry.id(), mirror);
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
