package dev.switchboard.plugins.comfyui.generation;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a ComfyUI job waits for what. Nothing waits without a deadline: a running prompt that sends nothing for
 * {@code quiet} is checked on ({@code GET /queue}, within {@code check}); ComfyUI that does not answer then fails the
 * job.
 *
 * @param submit the deadline of {@code POST /prompt} (ComfyUI validates the whole graph before it answers)
 * @param quiet how long a job waits for a message before it asks ComfyUI whether its prompt is still queued
 * @param check the deadline of that question, and of each control call ({@code /queue}, {@code /interrupt},
 *     {@code /history} delete)
 * @param historyWait how long a finished prompt's {@code /history} entry may take to appear (ComfyUI 0.3.64 can
 *     send {@code execution_success} a moment before it stores the entry)
 * @param download the deadline of each {@code /history} read and {@code /view} download
 * @param interruptWait how long a cancelled job's cleanup waits for the interrupted prompt to end before it
 *     deletes the prompt's history
 */
public record JobTimeouts(Duration submit, Duration quiet, Duration check, Duration historyWait, Duration download,
        Duration interruptWait) {

    /** The values used in production. */
    public static final JobTimeouts DEFAULTS = new JobTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(30),
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30));

    /**
     * Checks that every duration is positive.
     *
     * @param submit {@code /prompt} deadline
     * @param quiet silence before a check
     * @param check deadline of a check or control call
     * @param historyWait how long the history entry may take to appear
     * @param download deadline of a history read or a download
     * @param interruptWait how long cleanup waits for an interrupted prompt
     */
    public JobTimeouts {
        for (Duration duration : new Duration[] {submit, quiet, check, historyWait, download, interruptWait}) {
            requireNonNull(duration, "a timeout is null");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive, got " + duration);
            }
        }
    }
}
