package dev.switchboard.plugins.comfyui.byaddress;

import dev.switchboard.plugins.support.EngineAddress;
import java.net.URI;
import java.util.Optional;

/** The {@code Address} setting of a ComfyUI backend: the shared checks, and where ComfyUI's API lives. */
final class ComfyUiAddress {
    private static final EngineAddress ADDRESSES = new EngineAddress("http://127.0.0.1:8188", "");

    private ComfyUiAddress() {
    }

    static String normalize(String raw) {
        return EngineAddress.normalize(raw);
    }

    static Optional<String> problem(String address) {
        return ADDRESSES.problem(address);
    }

    /**
     * Returns the base URL every API path is appended to.
     *
     * @param address a normalised, valid address
     * @param frontendDev whether ComfyUI serves its API under {@code /api}
     * @return e.g. {@code http://127.0.0.1:8188} or {@code http://127.0.0.1:8188/api}
     * @throws IllegalArgumentException with the operator-facing reason when the address is not valid
     */
    static URI apiBase(String address, boolean frontendDev) {
        problem(address).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        return URI.create(frontendDev ? address + "/api" : address);
    }
}
