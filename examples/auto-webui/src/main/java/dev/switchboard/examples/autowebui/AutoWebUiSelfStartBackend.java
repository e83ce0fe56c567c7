package dev.switchboard.examples.autowebui;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.ImageGenerator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One {@code auto_webui_selfstart} instance: launches the WebUI with {@code <ExtraArgs> --api --port=<free port>}
 * on GPU {@code GPU_ID}, waits (within the operator's start timeout) until its API answers, then reads it like
 * {@code auto_webui_api}, and generates like it. A WebUI that exits is reported {@code errored} with its exit code
 * and last lines; it is not restarted (an operator restarts the backend).
 */
final class AutoWebUiSelfStartBackend implements Backend, ImageGenerator {
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final BackendContext context;
    private final Object lock = new Object();
    private LaunchedWebUi webUi;
    private SdApiClient client;
    private boolean shutDown;
    private volatile WebUiGenerator generator;

    AutoWebUiSelfStartBackend(BackendContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public void init() throws Exception {
        String scriptSetting = context.settings().getString(AutoWebUiSelfStartSettings.START_SCRIPT).trim();
        if (scriptSetting.isEmpty()) {
            context.setStatus(BackendStatus.DISABLED,
                    "Set StartScript to your SD-WebUI's webui.sh (or webui.bat) to launch it.");
            return;
        }
        Path script = Path.of(scriptSetting);
        String refusal = refusal(script);
        if (refusal != null) {
            // Retrying cannot fix the setting: errored until an operator edits it.
            context.fail(refusal);
            return;
        }
        int port = freePort();
        String address = "http://127.0.0.1:" + port;
        List<String> arguments = new ArrayList<>(words(context.settings().getString(AutoWebUiSelfStartSettings.EXTRA_ARGS)));
        arguments.add("--api");
        arguments.add("--port=" + port);
        LaunchedWebUi launched;
        SdApiClient api;
        synchronized (lock) {
            if (shutDown) {
                return;
            }
            launched = LaunchedWebUi.start(script, arguments,
                    String.valueOf(context.settings().getLong(AutoWebUiSelfStartSettings.GPU_ID)), this::output);
            api = new SdApiClient(address);
            webUi = launched;
            client = api;
        }
        context.setStatus(BackendStatus.LOADING, "Launching SD-WebUI on port " + port + " (pid " + launched.pid() + ")");
        if (!awaitApi(launched, api, port)) {
            return;
        }
        try {
            generator = new WebUiGenerator(api, context, WebUiInventory.readAndAdvertise(api, address, context));
        } catch (WebUiException e) {
            stopQuietly();
            throw e;
        }
        launched.onExit(() -> {
            if (context.isCurrent() && !isShutDown()) {
                context.fail("SD-WebUI exited with code " + launched.exitCode() + "; last lines: "
                        + launched.lastLines());
            }
        });
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
            throw new IllegalStateException("the backend is not running");
        }
        return current;
    }

    @Override
    public void shutdown() throws InterruptedException {
        LaunchedWebUi launched;
        SdApiClient api;
        synchronized (lock) {
            shutDown = true;
            launched = webUi;
            api = client;
        }
        if (api != null) {
            api.close();
        }
        if (launched != null) {
            launched.stop();
        }
    }

    /** Polls until the API answers; false (after failing the backend) when the WebUI exits or takes too long. */
    private boolean awaitApi(LaunchedWebUi launched, SdApiClient api, int port) throws Exception {
        Instant deadline = Instant.now().plus(context.startTimeout());
        while (true) {
            if (isShutDown()) {
                return false;
            }
            if (!launched.isAlive()) {
                context.fail("SD-WebUI exited with code " + launched.exitCode() + " during start-up; last lines: "
                        + launched.lastLines());
                return false;
            }
            try {
                api.get("options");
                return true;
            } catch (WebUiException notYet) {
                // Still starting (or loading a model): keep asking until the deadline.
            }
            if (Instant.now().isAfter(deadline)) {
                stopQuietly();
                context.fail("SD-WebUI did not answer on port " + port + " within " + context.startTimeout().toMinutes()
                        + " minutes (--start-timeout-minutes); last lines: " + launched.lastLines());
                return false;
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    /** Why a start script cannot be used (SwarmUI refuses the same two), or null. */
    private static String refusal(Path script) throws IOException {
        if (!Files.isRegularFile(script)) {
            return "StartScript " + script + " is not a file: point it at SD-WebUI's webui.sh (or webui.bat).";
        }
        String name = script.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.equals("webui-user.sh")) {
            return "StartScript " + script + " is webui-user.sh, which only sets variables: point it at webui.sh"
                    + " in the same folder and put your options in ExtraArgs.";
        }
        if (name.equals("webui-user.bat")) {
            String text = Files.readString(script, StandardCharsets.ISO_8859_1);
            if (!text.contains("%*") && !text.contains("%~")) {
                return "StartScript " + script + " is a webui-user.bat that does not pass its arguments on, so the"
                        + " WebUI would start without --api: point it at webui.bat, or add %* to the line that"
                        + " calls webui.bat.";
            }
        }
        return null;
    }

    private void output(String line) {
        if (context.isCurrent()) {
            context.appendOutput(line);
        }
    }

    private boolean isShutDown() {
        synchronized (lock) {
            return shutDown;
        }
    }

    private void stopQuietly() throws InterruptedException {
        LaunchedWebUi launched;
        synchronized (lock) {
            launched = webUi;
        }
        if (launched != null) {
            launched.stop();
        }
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
