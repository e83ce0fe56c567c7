package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import dev.switchboard.plugins.support.CallFailure;
import dev.switchboard.plugins.support.Failures;
import java.net.URI;
import java.time.Duration;

/**
 * Words the failures of calls to one ComfyUI for operators, naming its address: "Could not connect to ComfyUI at
 * http://gpu1:8188: connection refused. Is ComfyUI running, and is the address right?".
 */
final class CallWording {
    private final String address;
    private final URI apiBase;
    private final Duration connectTimeout;

    CallWording(String address, URI apiBase, Duration connectTimeout) {
        this.address = requireNonNull(address, "address is null");
        this.apiBase = requireNonNull(apiBase, "apiBase is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
    }

    /** Words what a call's future failed with; a {@link ComfyUiException} passes through as it is. */
    ComfyUiException describe(String call, Duration deadline, Throwable failure) {
        return Failures.explain(failure, ComfyUiException.class, why -> word(why, call, deadline));
    }

    ComfyUiException badAnswer(String what) {
        return new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER, "ComfyUI at " + address + " answered " + what,
                null);
    }

    ComfyUiException reportedError(String call, String error) {
        return new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER, "ComfyUI at " + address
                + " reported an error for " + call + ": " + error, null);
    }

    ComfyUiException cancelled(Throwable cause) {
        return new ComfyUiException(ComfyUiException.Kind.CANCELLED,
                "Stopped waiting for ComfyUI at " + address + ": the backend is shutting down.", cause);
    }

    private ComfyUiException word(CallFailure why, String call, Duration deadline) {
        Throwable cause = why.cause();
        return switch (why.kind()) {
            case CANCELLED -> cancelled(cause);
            case TIMED_OUT -> unreachable("ComfyUI at " + address + " did not answer " + call + " within "
                    + OperatorText.describe(deadline) + ".", cause);
            case CONNECT_TIMED_OUT -> unreachable("Could not connect to ComfyUI at " + address + " within "
                    + OperatorText.describe(connectTimeout) + ". Is the address right, and can this machine reach it?",
                    cause);
            case TOO_LARGE -> new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER, "ComfyUI at " + address
                    + " answered " + call + " with a body larger than the limit; " + why.detail() + ".", cause);
            case UNKNOWN_HOST -> unreachable("Could not connect to ComfyUI at " + address + ": the host name "
                    + apiBase.getHost() + " is unknown. Is the address right?", cause);
            case REFUSED -> unreachable("Could not connect to ComfyUI at " + address + ": " + why.detail()
                    + ". Is ComfyUI running, and is the address right?", cause);
            case CONNECTION_LOST -> unreachable("Lost the connection to ComfyUI at " + address + " during " + call + ": "
                    + why.detail(), cause);
            case UNEXPECTED -> new ComfyUiException(ComfyUiException.Kind.BAD_ANSWER,
                    "Unexpected failure during " + call + " to ComfyUI at " + address + ": " + why.detail(), cause);
        };
    }

    private static ComfyUiException unreachable(String message, Throwable cause) {
        return new ComfyUiException(ComfyUiException.Kind.UNREACHABLE, message, cause);
    }
}
