package dev.switchboard.server.dispatch;

import dev.switchboard.server.backends.BackendClaim;
import dev.switchboard.server.backends.JobFailedException;

/** What a job does once it has a backend: made by the generation layer, run by the dispatcher on a job thread. */
@FunctionalInterface
public interface JobWork {
    /**
     * Runs the job on the claimed backend and returns when it is done. The dispatcher gives the slot back after.
     *
     * @param claim the backend's slot, through which the job runs
     * @param match the backend and the job's model names as it lists them
     * @throws JobFailedException when the job failed or was cancelled
     */
    void run(BackendClaim claim, BackendMatch match) throws JobFailedException;
}
