package dev.switchboard.examples.autowebui;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;

/**
 * One {@code auto_webui_api} instance. {@code init()} reads the WebUI's options (the loaded checkpoint), its
 * samplers and its checkpoints, then reports {@code running}; any failure is thrown, so the server retries and
 * finally shows it {@code errored} with the message. No memory freeing: SD-WebUI's API has none.
 */
final class AutoWebUiApiBackend implements Backend {
    private final BackendContext context;
    private volatile SdApiClient client;
    private volatile boolean shutDown;

    AutoWebUiApiBackend(BackendContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public void init() throws Exception {
        String address = context.settings().getString(AutoWebUiSettings.ADDRESS).trim();
        if (address.isEmpty()) {
            context.setStatus(BackendStatus.DISABLED, "Set Address to the WebUI's address (e.g. "
                    + WebUiAddress.EXAMPLE + ") to use this backend.");
            return;
        }
        SdApiClient api = new SdApiClient(address);
        client = api;
        if (shutDown) {
            // shutdown() ran before the client existed: it could not close it.
            api.close();
            return;
        }
        context.setStatus(BackendStatus.LOADING, "Connecting to SD-WebUI at " + address);
        WebUiInventory.readAndAdvertise(api, address, context);
    }

    @Override
    public void shutdown() {
        shutDown = true;
        SdApiClient api = client;
        if (api != null) {
            api.close();
        }
    }
}
