package dev.switchboard.plugins.comfyui.selfstart;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Chooses the port a launched ComfyUI is told to listen on. */
@FunctionalInterface
interface PortSource {

    /**
     * Returns a candidate port. It may be taken by the time ComfyUI binds it: the launch notices ComfyUI's
     * "address already in use" error and asks again, and readiness checks who listens, so no check-then-use
     * race can make the wrong process count as ComfyUI.
     *
     * @return a TCP port
     * @throws IOException when none can be found
     */
    int next() throws IOException;

    /** @return a source that lets the OS pick a free port (bind port 0, read it, release it) */
    static PortSource ephemeral() {
        return () -> {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        };
    }
}
