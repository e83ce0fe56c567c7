package dev.switchboard.server.dispatch;

/**
 * Told by the dispatcher about every job's queueing and each later move: a port for metrics, so the dispatcher
 * knows no metrics library. The state is passed in because the job may already have moved on by the time this
 * runs. Called on dispatcher, job and request threads; it must be quick and not throw.
 */
@FunctionalInterface
public interface JobObserver {
    /** Observes nothing. */
    JobObserver NONE = (job, state) -> { };

    /**
     * @param job the job; its {@link Job#backendId()} is set from {@link JobState#RUNNING} on
     * @param state {@link JobState#QUEUED} when it was queued, else the state it moved to
     */
    void moved(Job job, JobState state);
}
