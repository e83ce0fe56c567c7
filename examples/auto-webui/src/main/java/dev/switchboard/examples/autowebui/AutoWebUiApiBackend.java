package dev.switchboard.examples.autowebui;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import java.time.Duration;

/**
 * One {@code auto_webui_api} instance. {@code init()} reads the WebUI's options (the loaded checkpoint), its
 * samplers, checkpoints and schedulers, then reports {@code running}; any failure is thrown, so the server retries
 * and finally shows it {@code errored} with the message. It generates through {@link WebUiGenerator}. No memory
 * freeing: SD-WebUI's API has none.
 */
final class AutoWebUiApiBackend implements Backend, ImageGenerator {
    private final BackendContext context;
    private final Duration callTimeout;
    private volatile SdApiClient client;
    private volatile WebUiGenerator generator;
    private volatile boolean shutDown;

    AutoWebUiApiBackend(BackendContext context) {
        this(context, SdApiClient.TIMEOUT);
    }

    /** With another deadline for the WebUI's short calls, for tests of a WebUI that stops answering. */
    AutoWebUiApiBackend(BackendContext context, Duration callTimeout) {
        this.context = requireNonNull(context, "context is null");
        this.callTimeout = requireNonNull(callTimeout, "callTimeout is null");
    }

    @Override
    public void init() throws Exception {
        String address = context.settings().getString(AutoWebUiSettings.ADDRESS).trim();
        if (address.isEmpty()) {
            context.setStatus(BackendStatus.DISABLED, "Set Address to the WebUI's address (e.g. "
                    + WebUiAddress.EXAMPLE + ") to use this backend.");
            return;
        }
        SdApiClient api = new SdApiClient(address, callTimeout);
        client = api;
        if (shutDown) {
            // shutdown() ran before the client existed: it could not close it.
            api.close();
            return;
        }
        context.setStatus(BackendStatus.LOADING, "Connecting to SD-WebUI at " + address);
        generator = new WebUiGenerator(api, context, WebUiInventory.readAndAdvertise(api, address, context));
    }

    @Override
    public void generate(GenerationJob job, GenerationOutput output) throws Exception {
        running().generate(job, output);
    }

    @Override
    public void refreshModels() throws Exception {
        running().refresh();
    }

    private WebUiGenerator running() {
        WebUiGenerator current = generator;
        if (current == null) {
            // The host calls generate and refreshModels only on a RUNNING backend, which init() made.
            throw new IllegalStateException("the backend is not running");
        }
        return current;
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
