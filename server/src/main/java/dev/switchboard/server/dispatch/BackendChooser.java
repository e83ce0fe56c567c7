package dev.switchboard.server.dispatch;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.backends.BackendClaim;
import dev.switchboard.server.backends.BackendClaims;
import dev.switchboard.server.backends.BackendSnapshot;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * The dispatcher's picture of the backends and its way to their slots: keeps a {@link BackendIndex} up to date by
 * looking again only at the backends the port says changed, and claims the best free backend for a job. Used by
 * the dispatcher thread alone (the port's change notices excepted).
 */
final class BackendChooser implements AutoCloseable {
    private final BackendClaims backends;
    private final BackendIndex index = new BackendIndex();
    /** Ids of the backends that changed since the index last looked at them. */
    private final Set<Integer> changed = ConcurrentHashMap.newKeySet();
    private final IntConsumer watcher = changed::add;

    /** Starts watching the port's changes; {@link #loadAll} then reads every backend. */
    BackendChooser(BackendClaims backends) {
        this.backends = requireNonNull(backends, "backends is null");
        backends.watch(watcher);
    }

    /** Reads every backend. Watched since the constructor: a change meanwhile is looked at again by a refresh. */
    void loadAll() {
        for (BackendSnapshot backend : backends.snapshots()) {
            index.put(backend);
        }
    }

    /** Looks again at the backends whose claim failed earlier, whether or not they changed. */
    void retryFailedClaims() {
        index.claimsFailed().forEach(this::look);
    }

    /** Looks again at the backends that changed since the last look: slots given back, status, models. */
    void refresh() {
        Iterator<Integer> ids = changed.iterator();
        while (ids.hasNext()) {
            int id = ids.next();
            ids.remove();
            look(id);
        }
    }

    /** Claims the best free backend for the job, the next best when a claim is refused, or waits or fails it. */
    Decision decide(JobRequirements job) {
        while (true) {
            BackendMatch match = index.best(job);
            if (match == null) {
                String failure = index.refusal(job);
                return failure == null ? Decision.WAIT : Decision.fail(failure);
            }
            Optional<BackendClaim> claim = backends.tryClaim(match.backendId());
            if (claim.isPresent()) {
                index.claimed(match.backendId());
                return Decision.start(claim.get(), match);
            }
            index.claimFailed(match.backendId());
        }
    }

    /** Brings the index's picture of one backend up to date; the id was dropped from {@code changed} before. */
    private void look(int id) {
        Optional<BackendSnapshot> backend = backends.snapshot(id);
        if (backend.isPresent()) {
            index.put(backend.get());
        } else {
            index.remove(id);
        }
    }

    /** Stops watching the port. */
    @Override
    public void close() {
        backends.unwatch(watcher);
    }
}
