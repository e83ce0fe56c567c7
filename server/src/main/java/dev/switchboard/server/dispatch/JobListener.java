package dev.switchboard.server.dispatch;

/** Told when a job changes state; called on dispatcher or job threads, so it must be quick and not throw. */
@FunctionalInterface
public interface JobListener {
    /**
     * @param job the job, already in its new state
     * @param message for {@link JobState#FAILED} the error text for the client; else null
     */
    void changed(Job job, String message);
}
