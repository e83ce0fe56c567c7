package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the {@link ComfyUiStandIn} treats every request at the moment: answer like ComfyUI, or one of the
 * failure modes a test switched on. Each switch creates a new instance, so a waiting exchange can tell that
 * the mode changed even when it changed to the same kind.
 */
sealed interface Behaviour {

    /** Answer like ComfyUI. */
    record Normal() implements Behaviour {
    }

    /** Accept the request and never answer, until the mode changes or the stand-in closes. */
    record Stall() implements Behaviour {
    }

    /** Wait, then answer like ComfyUI. */
    record Delay(Duration duration) implements Behaviour {
        public Delay {
            requireNonNull(duration, "duration is null");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative delay: " + duration);
            }
        }
    }

    /** Send the normal headers, then the normal body one byte per interval. */
    record Trickle(Duration perByte) implements Behaviour {
        public Trickle {
            requireNonNull(perByte, "perByte is null");
            if (perByte.isNegative() || perByte.isZero()) {
                throw new IllegalArgumentException("trickle interval must be positive: " + perByte);
            }
        }
    }

    /** Answer every request with the same response. */
    record Respond(CannedResponse response) implements Behaviour {
        public Respond {
            requireNonNull(response, "response is null");
        }
    }
}
