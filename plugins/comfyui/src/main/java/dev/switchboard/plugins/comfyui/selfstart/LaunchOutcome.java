package dev.switchboard.plugins.comfyui.selfstart;

/**
 * How a launch ended.
 *
 * @param kind what happened
 * @param launched the process, for {@link Kind#READY}, {@link Kind#EXITED} and (when one was spawned)
 *     {@link Kind#SHUT_DOWN}; else null
 * @param exitCode the exit code, for {@link Kind#EXITED}
 * @param reason the operator-facing reason, for {@link Kind#FAILED}
 */
record LaunchOutcome(Kind kind, LaunchedComfyUi launched, int exitCode, String reason) {

    /** What happened to a launch. */
    enum Kind {
        /** ComfyUI answers from a listener its process owns. */
        READY,
        /** The process exited before it was ready. */
        EXITED,
        /** It could not be started or did not become ready; it was stopped. */
        FAILED,
        /** The backend was shut down meanwhile; the shutdown stops the process. */
        SHUT_DOWN
    }

    static LaunchOutcome of(Kind kind, LaunchedComfyUi launched) {
        return new LaunchOutcome(kind, launched, 0, "");
    }

    static LaunchOutcome exited(LaunchedComfyUi launched) {
        return new LaunchOutcome(Kind.EXITED, launched, launched.process().exitValue(), "");
    }

    static LaunchOutcome failed(String reason) {
        return new LaunchOutcome(Kind.FAILED, null, 0, reason);
    }
}
