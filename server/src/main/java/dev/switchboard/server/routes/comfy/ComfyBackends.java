package dev.switchboard.server.routes.comfy;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.server.backends.BackendSnapshot;

/** Which backends count as ComfyUI backends for a SwarmUI master: types whose id starts with {@code comfyui_}. */
final class ComfyBackends {
    private ComfyBackends() {
    }

    static boolean isComfy(BackendSnapshot backend) {
        return backend.typeId().startsWith("comfyui_");
    }

    static boolean runningComfy(BackendSnapshot backend) {
        return isComfy(backend) && backend.status() == BackendStatus.RUNNING;
    }
}
