package dev.switchboard.server.dispatch;

/** Where a job is in its life: queued, then running on a backend, then one of the three ends. */
public enum JobState {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    /** @return whether the job has ended */
    public boolean ended() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
