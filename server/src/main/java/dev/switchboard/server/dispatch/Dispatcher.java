package dev.switchboard.server.dispatch;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.backends.BackendClaim;
import dev.switchboard.server.backends.BackendClaims;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.backends.JobFailedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue in front of every backend: jobs wait here, never in an engine's own queue, and go one at a time
 * per free slot to a backend that can take them (running, enabled, generating, below {@code max_usages}, with
 * the model, features and node types the job needs, and the pinned id or type if any), preferring one that has
 * the model loaded. Sessions are served round robin. A job waits at most the queue timeout, fails at once when no
 * backend could ever take it, and runs under the job timeout. One dispatcher thread decides; each running job has
 * a thread of its own. The dispatcher keeps its own index of the backends ({@link BackendIndex}), looking again
 * only at the backends the port says changed, so a decision costs in proportion to the backends that list the
 * job's model rather than to every backend.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** How often the dispatcher looks again when nothing woke it: backends change status on their own. */
    private static final long IDLE_POLL_MILLIS = 250;
    static final String TIMEOUT = "Timeout! All backends are occupied with other tasks.";
    static final String NO_BACKENDS = "No backends available!";
    static final String NO_MATCH = "No backends match the settings of the request given! Backends refused for the"
            + " following reason(s):";
    static final String SHUTTING_DOWN = "Backend handler is shutting down.";

    private final BackendClaims backends;
    private final DispatchOptions options;
    /** Told of each job's queueing and every later move, after the job's own listener (metrics). */
    private final JobObserver observer;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private final JobQueue queue;
    /** Running jobs per session. Guarded by lock. */
    private final Map<String, Integer> running = new HashMap<>();
    /** The jobs running now. Guarded by lock. */
    private final Set<Job> runningJobs = new HashSet<>();
    /** Guarded by lock. */
    private boolean wake;
    /** Guarded by lock. */
    private boolean closed;
    /** The backends to match jobs against. Used by the dispatcher thread alone. */
    private final BackendIndex index = new BackendIndex();
    /** Ids of the backends that changed since the index last looked at them. */
    private final Set<Integer> changed = ConcurrentHashMap.newKeySet();
    private final IntConsumer watcher = changed::add;
    private final ExecutorService jobThreads;
    private final Thread thread;

    public Dispatcher(BackendClaims backends, DispatchOptions options, JobObserver observer) {
        this.observer = requireNonNull(observer, "observer is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.options = requireNonNull(options, "options is null");
        this.queue = new JobQueue(options.maxQueuedPerSession(), options.maxQueuedTotal());
        AtomicInteger count = new AtomicInteger();
        this.jobThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread job = new Thread(runnable, "job-" + count.incrementAndGet());
                    job.setDaemon(true);
                    return job;
                });
        backends.watch(watcher);
        this.thread = new Thread(this::loop, "job-dispatcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues jobs of one session: all of them, or none when a bound would be passed.
     *
     * @throws QueueFullException when the session's or the server's bound would be passed; nothing was queued
     */
    public void submit(String sessionId, List<Job> jobs) throws QueueFullException {
        long deadline = System.nanoTime() + options.queueTimeout().toNanos();
        synchronized (lock) {
            if (closed) {
                throw new QueueFullException(SHUTTING_DOWN);
            }
            queue.addAll(sessionId, jobs);
            jobs.forEach(job -> job.queued(deadline));
            signal();
        }
        jobs.forEach(job -> observer.moved(job, JobState.QUEUED));
    }

    /**
     * Cancels a job: a waiting one leaves the queue, a running one's generator is told to stop.
     *
     * @param reason why, e.g. {@code Generation session interrupted.}
     */
    public void cancel(Job job, String reason) {
        boolean wasQueued;
        synchronized (lock) {
            wasQueued = queue.remove(job);
            signal();
        }
        if (wasQueued) {
            move(job, JobState.CANCELLED, reason);
        } else {
            job.cancellation().cancel(reason);
        }
    }

    /** Cancels every waiting and running job of a session. */
    public void cancelSession(String sessionId, String reason) {
        cancelWhere(job -> job.sessionId().equals(sessionId), reason);
    }

    /** Cancels every waiting and running job of a user, in all their sessions. */
    public void cancelUser(String userId, String reason) {
        cancelWhere(job -> job.userId().equals(userId), reason);
    }

    private void cancelWhere(Predicate<Job> which, String reason) {
        List<Job> waiting = new ArrayList<>();
        List<Job> runningNow = new ArrayList<>();
        synchronized (lock) {
            for (Job job : queue.removeWhere(which)) {
                waiting.add(job);
            }
            for (Job job : runningJobs) {
                if (which.test(job)) {
                    runningNow.add(job);
                }
            }
            signal();
        }
        waiting.forEach(job -> move(job, JobState.CANCELLED, reason));
        runningNow.forEach(job -> job.cancellation().cancel(reason));
    }

    /** The session's waiting and running jobs now. */
    public SessionCounts counts(String sessionId) {
        synchronized (lock) {
            return new SessionCounts(queue.queued(sessionId), running.getOrDefault(sessionId, 0));
        }
    }

    /** @return every job waiting now */
    public int queuedTotal() {
        synchronized (lock) {
            return queue.total();
        }
    }

    private void signal() {
        wake = true;
        lock.notifyAll();
    }

    private void loop() {
        long seenVersion = -1;
        // Watched since the constructor, so a change during this first look is looked at again in the first pass.
        for (BackendSnapshot backend : backends.snapshots()) {
            index.put(backend);
        }
        while (true) {
            synchronized (lock) {
                while (!closed && !wake && backends.viewVersion() == seenVersion && queue.total() > 0
                        && !anyDeadlinePassed()) {
                    if (!await()) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                if (queue.total() == 0) {
                    wake = false;
                    if (!await()) {
                        return;
                    }
                    continue;
                }
                wake = false;
            }
            seenVersion = backends.viewVersion();
            try {
                pass();
            } catch (RuntimeException e) {
                LOG.error("The dispatcher's pass failed; it goes on", e);
            }
        }
    }

    /** Waits for a signal or the idle poll; returns false when interrupted (closing). */
    private boolean await() {
        try {
            lock.wait(IDLE_POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    // Guarded by lock; deadlines are checked in the pass, this only keeps the loop from sleeping through one.
    private boolean anyDeadlinePassed() {
        long now = System.nanoTime();
        for (String session : queue.rotation()) {
            Job head = queue.head(session);
            if (head != null && now - head.queueDeadlineNanos() >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Gives every session's first job a backend if one can take it, round robin, until nothing more moves. */
    private void pass() {
        // Backends whose claim failed in an earlier pass are looked at again, whether or not they changed.
        index.claimsFailed().forEach(this::look);
        boolean moved = true;
        while (moved) {
            moved = false;
            // Only the backends that changed since the last look: slots given back, status, models.
            Iterator<Integer> ids = changed.iterator();
            while (ids.hasNext()) {
                int id = ids.next();
                ids.remove();
                look(id);
            }
            List<String> rotation;
            synchronized (lock) {
                rotation = queue.rotation();
            }
            for (String session : rotation) {
                moved |= serveHead(session);
            }
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

    /** Tries to start or fail one session's first job. @return whether the queue changed */
    private boolean serveHead(String session) {
        Job job;
        synchronized (lock) {
            job = queue.head(session);
        }
        if (job == null) {
            return false;
        }
        // Job states change outside the lock: a job's listener may ask this dispatcher for counts.
        if (System.nanoTime() - job.queueDeadlineNanos() >= 0) {
            return failHead(session, job, TIMEOUT);
        }
        Decision decision = decide(job.requirements());
        if (decision.waits()) {
            return false;
        }
        if (decision.failure() != null) {
            return failHead(session, job, decision.failure());
        }
        synchronized (lock) {
            if (queue.head(session) != job) {
                // Cancelled meanwhile: the slot taken for it goes back.
                decision.claim().close();
                return true;
            }
            queue.removeHead(session);
            queue.served(session);
            running.merge(session, 1, Integer::sum);
            runningJobs.add(job);
        }
        start(job, decision.claim(), decision.match());
        return true;
    }

    private boolean failHead(String session, Job job, String message) {
        synchronized (lock) {
            if (queue.head(session) != job) {
                return true;
            }
            queue.removeHead(session);
        }
        move(job, JobState.FAILED, message);
        return true;
    }

    /** Claims the best free backend for the job, the next best when a claim is refused, or waits or fails it. */
    private Decision decide(JobRequirements job) {
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

    private void start(Job job, BackendClaim claim, BackendMatch match) {
        job.startedOn(match.backendId());
        try {
            jobThreads.execute(() -> run(job, claim, match));
        } catch (RuntimeException e) {
            claim.close();
            finished(job, JobState.FAILED, SHUTTING_DOWN);
        }
    }

    private void run(Job job, BackendClaim claim, BackendMatch match) {
        JobState end = JobState.DONE;
        String message = null;
        try {
            if (!move(job, JobState.RUNNING, null) || job.cancellation().isCancelled()) {
                end = JobState.CANCELLED;
                message = job.cancellation().reason();
            } else {
                job.work().run(claim, match);
            }
        } catch (JobFailedException e) {
            end = e.cancelled() ? JobState.CANCELLED : JobState.FAILED;
            message = e.getMessage();
        } catch (RuntimeException e) {
            LOG.error("{} failed on backend {}", job, match.backendId(), e);
            end = JobState.FAILED;
            message = "Something went wrong while generating images.";
        } finally {
            claim.close();
        }
        finished(job, end, message);
    }

    private void finished(Job job, JobState end, String message) {
        synchronized (lock) {
            running.computeIfPresent(job.sessionId(), (session, count) -> count > 1 ? count - 1 : null);
            runningJobs.remove(job);
            signal();
        }
        move(job, end, message);
    }

    /** Moves a job and tells the observer when it moved. @return whether it moved */
    private boolean move(Job job, JobState next, String message) {
        boolean moved = job.move(next, message);
        if (moved) {
            observer.moved(job, next);
        }
        return moved;
    }

    /** Fails every waiting job and cancels every running one; later submissions are refused. */
    @Override
    public void close() {
        List<Job> waiting;
        synchronized (lock) {
            closed = true;
            waiting = queue.removeAll();
            lock.notifyAll();
        }
        waiting.forEach(job -> move(job, JobState.FAILED, SHUTTING_DOWN));
        thread.interrupt();
        backends.unwatch(watcher);
        jobThreads.shutdownNow();
    }
}
