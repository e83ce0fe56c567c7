package dev.switchboard.server.dispatch;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.backends.BackendClaim;
import dev.switchboard.server.backends.BackendClaims;
import dev.switchboard.server.backends.JobFailedException;
import dev.switchboard.server.limits.UserLimits;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue in front of every backend: jobs wait here, never in an engine's own queue, and go one at a time
 * per free slot to a backend that can take them (running, enabled, generating, below {@code max_usages}, with
 * the model, features and node types the job needs, and the pinned id or type if any), preferring one that has
 * the model loaded. Users are served round robin, and each user's sessions round robin among themselves
 * ({@link JobQueue}); a user never has more jobs running than their {@link UserLimits#maxRunning}, and while they
 * have that many their next jobs wait without holding up anyone else's. A job waits at most the queue timeout,
 * fails at once when no backend could ever take it, and runs under the job timeout. One dispatcher thread
 * decides; each running job has a thread of its own. The dispatcher keeps its own index of the backends
 * ({@link BackendChooser}), looking again only at the backends the port says changed, so a decision costs in
 * proportion to the backends that list the job's model rather than to every backend.
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
    private final UserLimits limits;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private final JobQueue queue;
    /** Guarded by lock. */
    private final RunningJobs running = new RunningJobs();
    /** Guarded by lock. */
    private boolean wake;
    /** Guarded by lock. */
    private boolean closed;
    /** The backends to match jobs against. Used by the dispatcher thread alone. */
    private final BackendChooser chooser;
    private final ExecutorService jobThreads;
    private final Thread thread;

    /** A dispatcher without user limits ({@link UserLimits#NONE}). */
    public Dispatcher(BackendClaims backends, DispatchOptions options, JobObserver observer) {
        this(backends, options, observer, UserLimits.NONE);
    }

    /** @param limits how many jobs each user may run at once, asked afresh in every round */
    public Dispatcher(BackendClaims backends, DispatchOptions options, JobObserver observer, UserLimits limits) {
        this.observer = requireNonNull(observer, "observer is null");
        this.limits = requireNonNull(limits, "limits is null");
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
        this.chooser = new BackendChooser(backends);
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
        List<Job> waiting;
        List<Job> runningNow;
        synchronized (lock) {
            waiting = queue.removeWhere(which);
            runningNow = running.where(which);
            signal();
        }
        waiting.forEach(job -> move(job, JobState.CANCELLED, reason));
        runningNow.forEach(job -> job.cancellation().cancel(reason));
    }

    /** The session's waiting and running jobs now. */
    public SessionCounts counts(String sessionId) {
        synchronized (lock) {
            return new SessionCounts(queue.queued(sessionId), running.ofSession(sessionId));
        }
    }

    /** Looks at the waiting jobs again, e.g. after a user's limits changed (nothing else would wake the queue). */
    public void limitsChanged() {
        synchronized (lock) {
            signal();
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
        chooser.loadAll();
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
        for (Job head : queue.heads()) {
            if (now - head.queueDeadlineNanos() >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Gives each user in turn one job (of their next session that can start) until nothing more moves. */
    private void pass() {
        chooser.retryFailedClaims();
        boolean moved = true;
        while (moved) {
            moved = false;
            chooser.refresh();
            List<String> users;
            synchronized (lock) {
                users = queue.users();
            }
            for (String user : users) {
                moved |= serveUser(user);
            }
        }
    }

    /**
     * The user's turn: starts the first job of the user's first session (in their rotation) that a backend can
     * take, unless the user already runs as many jobs as their limit allows; fails first jobs that waited too long
     * or that no backend could ever take. @return whether the queue changed
     */
    private boolean serveUser(String user) {
        // Asked outside the lock: it is the accounts' code, which may call back into the dispatcher.
        int maxRunning = limits.maxRunning(user);
        List<String> sessions;
        synchronized (lock) {
            sessions = queue.sessions(user);
        }
        boolean moved = false;
        for (String session : sessions) {
            Job job;
            boolean atLimit;
            synchronized (lock) {
                job = queue.head(session);
                atLimit = running.ofUser(user) >= maxRunning;
            }
            if (job == null) {
                continue;
            }
            // Job states change outside the lock: a job's listener may ask this dispatcher for counts.
            if (System.nanoTime() - job.queueDeadlineNanos() >= 0) {
                moved |= failHead(session, job, TIMEOUT);
                continue;
            }
            if (atLimit) {
                continue;
            }
            Decision decision = chooser.decide(job.requirements());
            if (decision.waits()) {
                continue;
            }
            if (decision.failure() != null) {
                moved |= failHead(session, job, decision.failure());
                continue;
            }
            synchronized (lock) {
                if (queue.head(session) != job) {
                    // Cancelled meanwhile: the slot taken for it goes back.
                    decision.claim().close();
                    return true;
                }
                queue.removeHead(session);
                queue.served(user, session);
                running.add(job);
            }
            start(job, decision.claim(), decision.match());
            return true;
        }
        return moved;
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
            running.remove(job);
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
        chooser.close();
        jobThreads.shutdownNow();
    }
}
