package dev.switchboard.server.dispatch;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.generation.Cancellation;
import java.util.OptionalInt;

/**
 * One job in the dispatcher: who asked (session and user), what a backend needs to take it, what it does once it
 * has one, and where it is. Its state changes only in the dispatcher; everyone else reads it.
 */
public final class Job {
    private final long id;
    private final String sessionId;
    private final String userId;
    private final JobRequirements requirements;
    private final JobWork work;
    private final JobListener listener;
    private final Cancellation cancellation = Cancellation.create();
    private volatile JobState state = JobState.QUEUED;
    private volatile int backendId = Integer.MIN_VALUE;
    private long queueDeadlineNanos;

    public Job(long id, String sessionId, String userId, JobRequirements requirements, JobWork work,
               JobListener listener) {
        this.id = id;
        this.sessionId = requireNonNull(sessionId, "sessionId is null");
        this.userId = requireNonNull(userId, "userId is null");
        this.requirements = requireNonNull(requirements, "requirements is null");
        this.work = requireNonNull(work, "work is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    public long id() {
        return id;
    }

    public String sessionId() {
        return sessionId;
    }

    public String userId() {
        return userId;
    }

    public JobRequirements requirements() {
        return requirements;
    }

    /** @return fires when the job must stop; the work hands it to the generator */
    public Cancellation cancellation() {
        return cancellation;
    }

    public JobState state() {
        return state;
    }

    /** @return the backend it runs or ran on, or empty while queued */
    public OptionalInt backendId() {
        int id = backendId;
        return id == Integer.MIN_VALUE ? OptionalInt.empty() : OptionalInt.of(id);
    }

    JobWork work() {
        return work;
    }

    long queueDeadlineNanos() {
        return queueDeadlineNanos;
    }

    void queued(long deadlineNanos) {
        queueDeadlineNanos = deadlineNanos;
    }

    /** Moves to {@code next} unless the job has ended; tells the listener. @return whether it moved */
    synchronized boolean move(JobState next, String message) {
        if (state.ended()) {
            return false;
        }
        state = next;
        listener.changed(this, message);
        return true;
    }

    void startedOn(int backend) {
        backendId = backend;
    }

    @Override
    public String toString() {
        return "job " + id + " of session " + sessionId.substring(0, Math.min(8, sessionId.length()));
    }
}
