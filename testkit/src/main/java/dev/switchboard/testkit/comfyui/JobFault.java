package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

/**
 * How the {@link ComfyUiStandIn} misbehaves while it runs prompts, as a test switched on. Each switch creates a new
 * instance, so a prompt waiting on one can tell that it changed.
 */
sealed interface JobFault {

    /** Run prompts like ComfyUI. */
    record None() implements JobFault {
    }

    /** Accept prompts and then send nothing about them, until the fault changes or the stand-in closes. */
    record Stall() implements JobFault {
    }

    /** Fail every prompt at its first node of a type, with {@code execution_error}. */
    record ErrorAt(String classType, String exceptionMessage) implements JobFault {
        public ErrorAt {
            requireNonNull(classType, "classType is null");
            requireNonNull(exceptionMessage, "exceptionMessage is null");
        }
    }

    /** Cut every WebSocket once a prompt has done this many sampling steps (0: as soon as it starts). */
    record DropSockets(int afterSteps) implements JobFault {
        public DropSockets {
            if (afterSteps < 0) {
                throw new IllegalArgumentException("afterSteps must not be negative: " + afterSteps);
            }
        }
    }
}
