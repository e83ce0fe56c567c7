package dev.switchboard.plugins.comfyui.generation;

/** A job was cancelled (or its thread interrupted, which restores the flag) while it waited. */
final class JobCancelled extends Exception {
    private static final long serialVersionUID = 1L;

    JobCancelled() {
        super("the job was cancelled", null, false, false);
    }
}
