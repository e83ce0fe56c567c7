package dev.switchboard.testkit.sdwebui;

import static java.util.Objects.requireNonNull;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.contract.StandInThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small, real HTTP server on the loopback interface that answers like AUTOMATIC1111's Stable Diffusion WebUI
 * started with {@code --api}, with the JSON shapes of SD-WebUI's {@code modules/api/models.py}:
 * <ul>
 *   <li>{@code GET /sdapi/v1/options} (with {@code sd_model_checkpoint}), {@code POST /sdapi/v1/options}
 *       (switches the checkpoint; an unknown one is refused with HTTP 500 as SD-WebUI does),
 *       {@code GET samplers}, {@code GET schedulers}, {@code GET sd-models}, {@code POST refresh-checkpoints};</li>
 *   <li>{@code POST /sdapi/v1/txt2img}: one generation at a time (others wait, as behind SD-WebUI's queue lock),
 *       {@link #setStepTime a time per sampling step} (or {@link #holdSteps one step at a time}), then {@code batch_size * n_iter} real PNGs of the requested
 *       size, base64-encoded in {@code images}; {@code override_settings.sd_model_checkpoint} picks the checkpoint
 *       (an unknown one silently falls back to the loaded checkpoint, as SD-WebUI's does) and stays loaded
 *       afterwards when {@code override_settings_restore_afterwards} is false; an unknown {@code sampler_name} is
 *       a 404 {@code Sampler not found};</li>
 *   <li>{@code GET /sdapi/v1/progress} while it runs: SD-WebUI's {@code progress} (0.01 at the start, then by
 *       steps), {@code state.sampling_step}/{@code sampling_steps}, and {@code current_image}, a quarter-size PNG of
 *       the last step (left out with {@code skip_current_image=true});</li>
 *   <li>{@code POST /sdapi/v1/interrupt}: the running generation stops at its next step and answers with what it
 *       made so far, as SD-WebUI does.</li>
 * </ul>
 * Anything else is a 404 {@code {"detail":"Not Found"}}, which is also what every {@code /sdapi/} route answers
 * while {@link #setApiEnabled(boolean) the API is off} (a WebUI started without {@code --api}). Failures:
 * {@link #setStalled}, {@link #setGenerationFailure}, and {@link #close()} in the middle of a generation (the
 * connection drops). Requests and generations are recorded. Its threads come from {@link StandInThreads}.
 * Thread-safe; close it to free the port and end stalled requests.
 */
public final class SdWebUiStandIn implements AutoCloseable {
    /** The samplers a fresh stand-in lists (names from SD-WebUI 1.x). */
    public static final List<String> DEFAULT_SAMPLERS = List.of("DPM++ 2M", "Euler a", "Euler", "DDIM");
    /** The schedulers a fresh stand-in lists (names from SD-WebUI 1.9 and later). */
    public static final List<String> DEFAULT_SCHEDULERS = List.of("automatic", "uniform", "karras", "exponential");
    /** The checkpoint a fresh stand-in has loaded. */
    public static final SdWebUiModel DEFAULT_MODEL = SdWebUiModel.of("v1-5-pruned-emaonly.safetensors", "6ce0161689");
    /** How long a sampling step takes in a fresh stand-in. */
    public static final Duration DEFAULT_STEP_TIME = Duration.ofMillis(20);

    private static final String API = "/sdapi/v1/";
    private static final List<String> ROUTES = List.of("options", "samplers", "schedulers", "sd-models",
            "refresh-checkpoints", "txt2img", "progress", "interrupt");
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final HttpServer server;
    private final ExecutorService exchanges = Executors.newCachedThreadPool(
            StandInThreads.factory("sd-webui-stand-in"));
    private final StandInEngine engine = new StandInEngine(GSON);
    private final Object lock = new Object();

    // All guarded by lock.
    private final List<SdWebUiRequest> requests = new ArrayList<>();
    private List<SdWebUiModel> models = List.of(DEFAULT_MODEL);
    private List<String> samplers = DEFAULT_SAMPLERS;
    private String checkpoint = DEFAULT_MODEL.title();
    private Duration stepTime = DEFAULT_STEP_TIME;
    private String generationFailure;
    private int interrupts;
    private boolean apiEnabled = true;
    private boolean stalled;
    private boolean closed;

    private SdWebUiStandIn(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts a stand-in on a free loopback port.
     *
     * @return the running stand-in
     */
    public static SdWebUiStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            SdWebUiStandIn standIn = new SdWebUiStandIn(server);
            server.createContext("/", standIn::handle);
            server.setExecutor(standIn.exchanges);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the SD-WebUI stand-in", e);
        }
    }

    /** @return the base address, e.g. {@code http://127.0.0.1:40123} (what a backend's {@code Address} holds) */
    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Replaces the checkpoints listed by {@code sd-models}; the loaded checkpoint stays as it is.
     *
     * @param newModels the checkpoints
     */
    public void setModels(List<SdWebUiModel> newModels) {
        synchronized (lock) {
            models = List.copyOf(newModels);
        }
    }

    /**
     * Replaces the sampler names listed by {@code samplers} (and accepted as {@code sampler_name}).
     *
     * @param names the names, e.g. {@code Euler a}
     */
    public void setSamplers(List<String> names) {
        synchronized (lock) {
            samplers = List.copyOf(names);
        }
    }

    /**
     * Sets what {@code options.sd_model_checkpoint} holds, as if an operator picked it in the WebUI.
     *
     * @param title a checkpoint title such as {@code v1-5-pruned-emaonly.safetensors [6ce0161689]}, or any text
     */
    public void setCheckpoint(String title) {
        synchronized (lock) {
            checkpoint = requireNonNull(title, "title is null");
        }
    }

    /** @return what {@code options.sd_model_checkpoint} holds now */
    public String checkpoint() {
        synchronized (lock) {
            return checkpoint;
        }
    }

    /**
     * Sets how long each sampling step of later generations takes ({@link #DEFAULT_STEP_TIME} at first).
     *
     * @param time zero or more
     */
    public void setStepTime(Duration time) {
        if (time.isNegative()) {
            throw new IllegalArgumentException("step time must not be negative: " + time);
        }
        synchronized (lock) {
            stepTime = time;
        }
    }

    /**
     * Holds sampling: from now on every step (of a running generation too) waits, after its step time, until
     * {@link #releaseSteps} lets it go, so a test can watch progress move one step at a time.
     */
    public void holdSteps() {
        engine.holdSteps();
    }

    /**
     * Lets held sampling take more steps.
     *
     * @param count how many steps may be taken, 1 or more
     */
    public void releaseSteps(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        engine.releaseSteps(count);
    }

    /** Lets sampling run at its step time again, ending {@link #holdSteps}. */
    public void runStepsFreely() {
        engine.runFreely();
    }

    /**
     * Makes later generations fail after sampling, as SD-WebUI does when the GPU runs out of memory: HTTP 500 with
     * {@code {"error":"RuntimeError","detail":"","body":"","errors":<text>}}.
     *
     * @param errors the error text (e.g. {@code CUDA out of memory}), or null to generate normally again
     */
    public void setGenerationFailure(String errors) {
        synchronized (lock) {
            generationFailure = errors;
        }
    }

    /**
     * Turns the {@code /sdapi/} routes on or off; off answers them 404 like a WebUI started without {@code --api}.
     *
     * @param enabled whether the API answers
     */
    public void setApiEnabled(boolean enabled) {
        synchronized (lock) {
            apiEnabled = enabled;
        }
    }

    /**
     * Makes every request that arrives from now on hang without an answer (a WebUI stuck loading a model) until
     * {@code setStalled(false)} or {@link #close()}. A generation already running goes on.
     *
     * @param stall whether requests hang
     */
    public void setStalled(boolean stall) {
        synchronized (lock) {
            stalled = stall;
            lock.notifyAll();
        }
    }

    /** @return every request received so far, in order */
    public List<SdWebUiRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** @return every generation run so far (finished, failed or interrupted), in the order they ended */
    public List<SdWebUiGeneration> generations() {
        return engine.runs();
    }

    /** @return whether a generation is sampling now */
    public boolean isGenerating() {
        return engine.running();
    }

    /** @return how many {@code POST /sdapi/v1/interrupt} calls arrived */
    public int interrupts() {
        synchronized (lock) {
            return interrupts;
        }
    }

    /** @return the most {@code txt2img} requests that were in the stand-in at once (running or queued) */
    public int mostGenerationsAtOnce() {
        return engine.mostInFlight();
    }

    /** Stops the server, ends stalled requests and drops running generations. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        engine.close();
        server.stop(0);
        exchanges.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Optional<Answer> answer;
            try {
                answer = answer(new SdWebUiRequest(method, path, body), query == null ? "" : query);
            } catch (InterruptedException e) {
                // The stand-in is closing: drop the connection.
                return;
            }
            if (answer.isEmpty()) {
                return;
            }
            byte[] bytes = answer.get().json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.get().status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Empty when the stand-in was closed while the request was stalled or running: the connection is dropped. */
    private Optional<Answer> answer(SdWebUiRequest received, String query) throws InterruptedException {
        Txt2ImgRequest request;
        synchronized (lock) {
            requests.add(received);
            while (stalled && !closed) {
                lock.wait();
            }
            if (closed) {
                return Optional.empty();
            }
            if (!apiEnabled || !received.path().startsWith(API)) {
                return Optional.of(Answer.notFound());
            }
            String route = received.path().substring(API.length());
            switch (received.method() + " " + route) {
                case "GET options" -> {
                    return Optional.of(new Answer(200, GSON.toJson(Catalog.options(checkpoint, models))));
                }
                case "POST options" -> {
                    return Optional.of(setOptions(received.body()));
                }
                case "GET samplers" -> {
                    return Optional.of(new Answer(200, GSON.toJson(Catalog.samplers(samplers))));
                }
                case "GET schedulers" -> {
                    return Optional.of(new Answer(200, GSON.toJson(Catalog.schedulers(DEFAULT_SCHEDULERS))));
                }
                case "GET sd-models" -> {
                    return Optional.of(new Answer(200, GSON.toJson(Catalog.models(models))));
                }
                case "POST refresh-checkpoints" -> {
                    return Optional.of(new Answer(200, "null"));
                }
                case "GET progress" -> {
                    return Optional.of(new Answer(200, GSON.toJson(engine.progress(
                            query.contains("skip_current_image=true")))));
                }
                case "POST interrupt" -> {
                    interrupts++;
                    engine.interrupt();
                    return Optional.of(new Answer(200, "{}"));
                }
                case "POST txt2img" -> {
                    Txt2ImgRequest generation;
                    try {
                        generation = Txt2ImgRequest.parse(received.body());
                    } catch (Txt2ImgRequest.Refused refused) {
                        return Optional.of(refused.answer());
                    }
                    if (generation.samplerName() != null && !Catalog.knowsSampler(samplers, generation.samplerName())) {
                        return Optional.of(new Answer(404, "{\"detail\":\"Sampler not found\"}"));
                    }
                    request = generation;
                }
                default -> {
                    return Optional.of(ROUTES.contains(route)
                            ? new Answer(405, "{\"detail\":\"Method Not Allowed\"}") : Answer.notFound());
                }
            }
        }
        // Outside the lock: a generation takes long, and progress and interrupt must answer meanwhile.
        AtomicReference<String> used = new AtomicReference<>();
        Optional<Answer> answer = engine.txt2img(request, () -> {
            synchronized (lock) {
                String wanted = request.checkpointOverride();
                used.set(wanted == null ? checkpoint
                        : CheckpointTitles.find(models, wanted).map(SdWebUiModel::title).orElse(checkpoint));
                return new StandInEngine.Setup(used.get(), stepTime, generationFailure);
            }
        });
        if (answer.isPresent() && request.checkpointOverride() != null && !request.restoreAfterwards()) {
            setCheckpoint(used.get());
        }
        return answer;
    }

    private Answer setOptions(String body) {
        JsonObject changes;
        try {
            changes = JsonParser.parseString(body).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            return new Answer(422, "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"value is not a valid dict\","
                    + "\"type\":\"type_error.dict\"}]}");
        }
        JsonElement wanted = changes.get("sd_model_checkpoint");
        if (wanted != null && !wanted.isJsonNull()) {
            String title = wanted.getAsString();
            if (CheckpointTitles.find(models, title).isEmpty()) {
                // SD-WebUI's API error shape: the exception's type and text.
                JsonObject error = new JsonObject();
                error.addProperty("error", "RuntimeError");
                error.addProperty("detail", "");
                error.addProperty("body", "");
                error.addProperty("errors", "model '" + title + "' not found");
                return new Answer(500, GSON.toJson(error));
            }
            checkpoint = title;
        }
        return new Answer(200, "null");
    }
}
