package dev.switchboard.plugins.comfyui.byaddress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.plugins.comfyui.RecordingOutput;
import dev.switchboard.plugins.comfyui.connection.ComfyUiClient;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.comfyui.generation.JobTimeouts;
import dev.switchboard.plugins.support.SharedHttpClient;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.comfyui.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the generation tests of {@code comfyui_api} share: a ComfyUI stand-in with models, running backends under
 * testing contexts (with short job deadlines), jobs run on a thread of their own, and clean-up.
 */
final class GenerationFixture implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final String MODEL = "sdxl/base.safetensors";
    /** Short, so the tests that need a deadline to pass do not wait long; long enough for a loaded machine. */
    static final JobTimeouts JOB_TIMEOUTS = new JobTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5));

    final ComfyUiStandIn standIn = ComfyUiStandIn.start();
    private final SharedHttpClient http = ComfyUiClient.newSharedHttp(Duration.ofSeconds(5));
    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<ComfyUiApiBackend> backends = new ArrayList<>();
    private final ExecutorService jobThreads = Executors.newCachedThreadPool();

    GenerationFixture() {
        standIn.setModels("CheckpointLoaderSimple", List.of(MODEL, "flux.safetensors"));
        standIn.setModels("LoraLoader", List.of("style/ink.safetensors", "detail.safetensors"));
        standIn.setModels("VAELoader", List.of("sdxl_vae.safetensors"));
    }

    /** @return a backend that ran {@code init} against the stand-in and is running */
    ComfyUiApiBackend running() throws Exception {
        TestingBackendContext context = context();
        ComfyUiApiBackend backend = new ComfyUiApiBackend(context, new ComfyUiTimeouts(Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(10)), http,
                JOB_TIMEOUTS);
        backends.add(backend);
        backend.init();
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        return backend;
    }

    /** @return the context of the last backend made */
    TestingBackendContext lastContext() {
        return contexts.get(contexts.size() - 1);
    }

    TestingBackendContext context() {
        Map<String, Object> values = new LinkedHashMap<>(ComfyUiApiSettings.SCHEMA.defaults().values());
        values.put(ComfyUiApiSettings.ADDRESS, standIn.baseUrl());
        TestingBackendContext context = new TestingBackendContext(new Settings(ComfyUiApiSettings.SCHEMA, values));
        contexts.add(context);
        return context;
    }

    static GenerationParameters.Builder parameters() {
        return GenerationParameters.builder().model(MODEL).prompt("a red fox").negativePrompt("blurry").seed(42)
                .steps(3).size(64, 48);
    }

    static GenerationJob job(GenerationParameters parameters) {
        return new GenerationJob(UUID.randomUUID().toString(), parameters, Cancellation.create());
    }

    /** Runs a job on a thread of its own; the future completes when {@code generate} returns or throws. */
    CompletableFuture<Void> start(ComfyUiApiBackend backend, GenerationJob job, RecordingOutput output) {
        return CompletableFuture.runAsync(() -> {
            try {
                backend.generate(job, output);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, jobThreads);
    }

    /** @return the requests the backend made, without its health probes */
    List<RecordedRequest> requests() {
        return standIn.requests().stream().filter(request -> !request.is("GET", "/features")).toList();
    }

    /** @return the requests with this method and path, as {@code METHOD path body} lines */
    List<String> calls(String method, String path) {
        return requests().stream().filter(request -> request.is(method, path))
                .map(request -> request.method() + " " + request.path() + " " + request.body()).toList();
    }

    @Override
    public void close() {
        backends.forEach(ComfyUiApiBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
        jobThreads.shutdownNow();
        standIn.close();
    }
}
