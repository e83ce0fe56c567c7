package dev.switchboard.plugins.comfyui.byaddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.plugins.comfyui.connection.ComfyUiClient;
import dev.switchboard.plugins.comfyui.connection.ComfyUiException;
import dev.switchboard.plugins.comfyui.connection.ComfyUiTimeouts;
import dev.switchboard.plugins.comfyui.connection.ModelKind;
import dev.switchboard.plugins.comfyui.connection.ObjectInfo;
import dev.switchboard.plugins.support.SharedHttpClient;
import dev.switchboard.testkit.backends.StatusChange;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.comfyui.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class ComfyUiApiBackendTest {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    /** A probe held by a stalled stand-in stays in flight far longer than any test waits for it. */
    private static final ComfyUiTimeouts HELD_PROBE_TIMEOUTS = new ComfyUiTimeouts(Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofMinutes(10), PROBE_INTERVAL, Duration.ofSeconds(5));

    private final ComfyUiStandIn standIn = ComfyUiStandIn.start();
    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<ComfyUiApiBackend> backends = new ArrayList<>();
    private final ExecutorService initThreads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        backends.forEach(ComfyUiApiBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
        initThreads.shutdownNow();
        standIn.close();
    }

    @Test
    void advertisesTheBaseFeaturesBeforeInit() {
        TestingBackendContext context = context(standIn.baseUrl(), false, 1, false);

        backend(context, timeouts(Duration.ofSeconds(10)));

        // Exactly what the generator implements: no refiners, ControlNet, video, ... it would have to refuse.
        assertThat(context.features()).containsExactlyInAnyOrder("comfyui", "folderslash");
    }

    @Test
    void initLoadsObjectInfoAndRuns() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("base.safetensors", "flux.safetensors"));
        standIn.setModels("VAELoader", List.of("sdxl_vae.safetensors"));
        TestingBackendContext context = context(standIn.baseUrl(), false, 1, false);
        ComfyUiApiBackend backend = backend(context, timeouts(Duration.ofSeconds(10)));

        backend.init();

        int nodes = standIn.nodeNames().size();
        assertThat(context.statusHistory()).containsExactly(
                new StatusChange(BackendStatus.LOADING, "Loading node types from " + standIn.baseUrl()),
                new StatusChange(BackendStatus.RUNNING, "Connected: " + nodes + " node types, 3 models"));
        assertThat(context.maxUsages()).isEqualTo(2);
        // The recorded ComfyUI has FreeU, which SwarmUI would advertise as "freeu"; the generator does not use it.
        assertThat(context.features()).containsExactlyInAnyOrder("comfyui", "folderslash");
        assertThat(backend.objectInfo().nodeTypes()).containsExactlyInAnyOrderElementsOf(standIn.nodeNames());
        assertThat(context.nodeTypes()).containsExactlyInAnyOrderElementsOf(standIn.nodeNames());
        assertThat(context.models()).containsEntry(ModelType.STABLE_DIFFUSION, List.of("base.safetensors",
                "flux.safetensors")).containsEntry(ModelType.VAE, List.of("sdxl_vae.safetensors"));
        assertThat(requestsBesideProbes()).singleElement().satisfies(request -> {
            assertThat(request.is("GET", "/object_info")).isTrue();
            assertThat(request.header("User-Agent")).contains("Switchboard/" + TestingBackendContext.SERVER_VERSION);
        });
    }

    @Test
    void overQueueSetsTheConcurrencyLimit() throws Exception {
        Map<Integer, Integer> expected = new LinkedHashMap<>();
        expected.put(-1, 0);
        expected.put(0, 1);
        expected.put(1, 2);
        expected.put(7, 8);
        for (Map.Entry<Integer, Integer> overQueue : expected.entrySet()) {
            TestingBackendContext context = context(standIn.baseUrl(), false, overQueue.getKey(), false);
            backend(context, timeouts(Duration.ofSeconds(10))).init();

            assertThat(context.maxUsages()).as("OverQueue %s", overQueue.getKey()).isEqualTo(overQueue.getValue());
            assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        }
    }

    @Test
    void readsModelListsPerTypeAndDetectsBackslashPaths() throws Exception {
        standIn.setModels("CheckpointLoaderSimple", List.of("sdxl\\base.safetensors", "flux.safetensors"));
        standIn.setModels("UNETLoader", List.of("flux.safetensors", "wan\\t2v.safetensors"));
        standIn.setModels("LoraLoader", List.of("style\\ink.safetensors"));
        standIn.setModels("VAELoader", List.of());
        standIn.setModels("ControlNetLoader", List.of("canny.safetensors"));
        standIn.setModels("CLIPVisionLoader", List.of("clip_vision_g.safetensors"));
        TestingBackendContext context = context(standIn.baseUrl(), false, 1, false);
        ComfyUiApiBackend backend = backend(context, timeouts(Duration.ofSeconds(10)));

        backend.init();

        ObjectInfo info = backend.objectInfo();
        // Main models are what CheckpointLoaderSimple loads (the generator's graph loads them with it); a file only
        // UNETLoader lists is no main model here.
        assertThat(info.models(ModelKind.STABLE_DIFFUSION)).containsExactly("sdxl/base.safetensors", "flux.safetensors");
        assertThat(info.models(ModelKind.LORA)).containsExactly("style/ink.safetensors");
        assertThat(info.models(ModelKind.VAE)).isEmpty();
        assertThat(info.models(ModelKind.CONTROLNET)).containsExactly("canny.safetensors");
        assertThat(info.models(ModelKind.CLIP_VISION)).containsExactly("clip_vision_g.safetensors");
        assertThat(info.models(ModelKind.EMBEDDING)).isEmpty();
        assertThat(context.models()).containsEntry(ModelType.STABLE_DIFFUSION,
                        List.of("sdxl/base.safetensors", "flux.safetensors"))
                .containsEntry(ModelType.LORA, List.of("style/ink.safetensors"))
                .containsEntry(ModelType.CONTROLNET, List.of("canny.safetensors"))
                .containsEntry(ModelType.CLIP_VISION, List.of("clip_vision_g.safetensors"));
        assertThat(context.features()).containsExactlyInAnyOrder("comfyui", "folderbackslash");
        assertThat(context.statusMessage()).endsWith(", 5 models");
    }

    @Test
    void readsComboOptionListsAndAdvertisesNoNodeDerivedFeatures() throws Exception {
        standIn.addNode("SwarmEmbedLoaderListProvider",
                "{\"input\":{\"required\":{\"embed_name\":[\"COMBO\",{\"options\":[]}]}}}");
        standIn.setModels("SwarmEmbedLoaderListProvider", List.of("style\\ink.pt"));
        standIn.setModels("CLIPLoader", List.of("clip_l.safetensors"));
        standIn.addNode("SwarmKSampler", "{\"input\":{\"required\":{}}}");
        standIn.addNode("SwarmLoadImageB64", "{\"input\":{\"required\":{}}}");
        standIn.addNode("UnetLoaderGGUF", "{\"input\":{\"required\":{\"unet_name\":[\"COMBO\",{\"options\":[]}]}}}");
        standIn.setModels("UnetLoaderGGUF", List.of("flux-q4.gguf"));
        TestingBackendContext context = context(standIn.baseUrl(), false, 1, false);
        ComfyUiApiBackend backend = backend(context, timeouts(Duration.ofSeconds(10)));

        backend.init();

        assertThat(context.models()).containsEntry(ModelType.EMBEDDING, List.of("style/ink.pt"))
                .containsEntry(ModelType.CLIP, List.of("clip_l.safetensors"))
                .containsEntry(ModelType.STABLE_DIFFUSION, List.of());
        // SwarmUI would advertise variation_seed, comfy_loadimage_b64, gguf, freeu for these nodes; the generator
        // implements none of them, so a master must not send such requests here.
        assertThat(context.features()).containsExactlyInAnyOrder("comfyui", "folderbackslash");
        assertThat(context.nodeTypes()).contains("SwarmKSampler", "SwarmLoadImageB64", "UnetLoaderGGUF");
    }

    @Test
    void emptyAddressDisablesTheBackend() throws Exception {
        TestingBackendContext context = context("  ", false, 1, false);

        backend(context, timeouts(Duration.ofSeconds(10))).init();

        assertThat(context.status()).isEqualTo(BackendStatus.DISABLED);
        assertThat(context.statusMessage()).contains("No address is set").contains("http://127.0.0.1:8188");
        assertThat(context.maxUsages()).isEqualTo(2);
    }

    @Test
    void frontendDevModePrefixesApiPaths() throws Exception {
        TestingBackendContext context = context(standIn.baseUrl() + "/", false, 1, true);

        backend(context, timeouts(Duration.ofSeconds(10))).init();

        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        assertThat(requestsBesideProbes()).singleElement().satisfies(
                request -> assertThat(request.is("GET", "/api/object_info")).isTrue());
    }

    @Test
    void refusedConnectionFailsWithAClearMessage() {
        standIn.refuse();

        assertInitFails(context(standIn.baseUrl(), false, 1, false), timeouts(Duration.ofSeconds(10)),
                "Could not connect to ComfyUI at " + standIn.baseUrl()
                        + ": connection refused. Is ComfyUI running, and is the address right?");
    }

    @Test
    void unknownHostFailsWithAClearMessage() {
        assertInitFails(context("http://no-such-host.invalid:8188", false, 1, false), timeouts(Duration.ofSeconds(10)),
                "Could not connect to ComfyUI at http://no-such-host.invalid:8188: the host name no-such-host.invalid"
                        + " is unknown. Is the address right?");
    }

    @Test
    void stalledServerFailsAfterTheDeadline() {
        standIn.stall();

        assertInitFails(context(standIn.baseUrl(), false, 1, false), timeouts(Duration.ofMillis(300)),
                "ComfyUI at " + standIn.baseUrl() + " did not answer GET /object_info within 300 ms.");
    }

    @Test
    void theDeadlineCoversASlowBody() {
        standIn.trickle(Duration.ofMillis(200));

        assertInitFails(context(standIn.baseUrl(), false, 1, false), timeouts(Duration.ofMillis(500)),
                "ComfyUI at " + standIn.baseUrl() + " did not answer GET /object_info within 500 ms.");
    }

    @Test
    void errorStatusFailsWithTheStatus() {
        standIn.failWith(500);

        assertInitFails(context(standIn.baseUrl(), false, 1, false), timeouts(Duration.ofSeconds(10)),
                "ComfyUI at " + standIn.baseUrl() + " answered HTTP 500 to GET /object_info.");
    }

    @Test
    void malformedJsonFailsQuotingTheStartOfTheBody() {
        standIn.malformedJson();

        assertInitFails(context(standIn.baseUrl(), false, 1, false), timeouts(Duration.ofSeconds(10)),
                "ComfyUI at " + standIn.baseUrl() + " answered GET /object_info with something that is not JSON: "
                        + "{\"KSampler\": {\"input\": {\"required\": [<html>oops");
    }

    @Test
    void emptyBodyFails() {
        standIn.respondWith(200, "application/json; charset=utf-8", "");

        assertInitFails(context(standIn.baseUrl(), false, 1, false), timeouts(Duration.ofSeconds(10)),
                "ComfyUI at " + standIn.baseUrl() + " answered GET /object_info with an empty body.");
    }

    @Test
    void errorBodyFails() {
        standIn.respondWith(200, "application/json; charset=utf-8", "{\"error\":\"out of memory\"}");

        assertInitFails(context(standIn.baseUrl(), false, 1, false), timeouts(Duration.ofSeconds(10)),
                "ComfyUI at " + standIn.baseUrl() + " reported an error for GET /object_info: out of memory");
    }

    @Test
    void allowIdleWaitsForAnUnreachableServerAndLoadsItWhenItComesBack() throws Exception {
        standIn.refuse();
        TestingBackendContext context = context(standIn.baseUrl(), true, 1, false);
        ComfyUiApiBackend backend = backend(context, timeouts(Duration.ofSeconds(10)));

        backend.init();

        assertThat(context.status()).isEqualTo(BackendStatus.IDLE);
        assertThat(context.statusMessage()).isEqualTo("Could not connect to ComfyUI at " + standIn.baseUrl()
                + ": connection refused. Is ComfyUI running, and is the address right? Checking again every 50 ms.");
        assertThat(backend.objectInfo().nodeTypes()).isEmpty();

        standIn.setModels("CheckpointLoaderSimple", List.of("late.safetensors"));
        standIn.resume();

        await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.RUNNING);
        assertThat(backend.objectInfo().models(ModelKind.STABLE_DIFFUSION)).containsExactly("late.safetensors");
        assertThat(context.statusMessage()).startsWith("Connected: ");
        assertThat(standIn.requests()).anyMatch(request -> request.is("GET", "/features"))
                .anyMatch(request -> request.is("GET", "/object_info"));
    }

    @Test
    void allowIdleIdlesWhenTheServerDoesNotAnswerInTime() throws Exception {
        standIn.stall();
        TestingBackendContext context = context(standIn.baseUrl(), true, 1, false);

        backend(context, timeouts(Duration.ofMillis(300))).init();

        assertThat(context.status()).isEqualTo(BackendStatus.IDLE);
        assertThat(context.statusMessage()).contains("did not answer GET /object_info within 300 ms");
    }

    @Test
    void allowIdleStillFailsWhenTheServerAnswersWrongly() {
        standIn.failWith(500);

        assertInitFails(context(standIn.baseUrl(), true, 1, false), timeouts(Duration.ofSeconds(10)),
                "ComfyUI at " + standIn.baseUrl() + " answered HTTP 500 to GET /object_info.");
    }

    @Test
    void failedProbeMakesARunningBackendIdleAndARecoveryReloadsObjectInfo() throws Exception {
        TestingBackendContext context = context(standIn.baseUrl(), true, 1, false);
        ComfyUiApiBackend backend = backend(context, timeouts(Duration.ofSeconds(10)));
        backend.init();
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);

        standIn.failWith(500);
        await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.IDLE);
        assertThat(context.statusMessage()).isEqualTo("ComfyUI at " + standIn.baseUrl()
                + " answered HTTP 500 to GET /features. Checking again every 50 ms.");

        standIn.setModels("LoraLoader", List.of("new.safetensors"));
        standIn.clearRequests();
        standIn.resume();
        await().atMost(PATIENCE).until(() -> context.status() == BackendStatus.RUNNING);
        assertThat(standIn.requests()).anyMatch(request -> request.is("GET", "/object_info"));
        assertThat(backend.objectInfo().models(ModelKind.LORA)).containsExactly("new.safetensors");
    }

    @Test
    void aLongOutageIsReportedOnce() {
        TestingBackendContext context = context(standIn.baseUrl(), true, 1, false);
        runningBackend(context);

        standIn.failWith(500);
        standIn.clearRequests();
        await().atMost(PATIENCE).until(() -> probes() >= 5);

        assertThat(context.statusHistory()).filteredOn(change -> change.status() == BackendStatus.IDLE).hasSize(1);
    }

    @Test
    void theMonitorStopsOnceTheInstanceIsNoLongerCurrent() {
        TestingBackendContext context = context(standIn.baseUrl(), true, 1, false);
        runningBackend(context, HELD_PROBE_TIMEOUTS);
        await().atMost(PATIENCE).until(() -> probes() >= 2);
        awaitAProbeHeldByTheStandIn();

        context.markNotCurrent();
        standIn.clearRequests();
        standIn.resume();

        await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> probes() == 0);
    }

    @Test
    void shutdownStopsTheMonitorAndNeverContactsTheServer() {
        TestingBackendContext context = context(standIn.baseUrl(), true, 1, false);
        ComfyUiApiBackend backend = runningBackend(context, HELD_PROBE_TIMEOUTS);
        await().atMost(PATIENCE).until(() -> probes() >= 1);
        awaitAProbeHeldByTheStandIn();

        backend.shutdown();
        standIn.clearRequests();

        await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> standIn.requests().isEmpty());
    }

    /**
     * Stalls the stand-in until it holds a probe. The monitor has one probe at a time, so from then on no probe
     * is on its way to the stand-in (it would count as a late request) until the held one is answered.
     */
    private void awaitAProbeHeldByTheStandIn() {
        standIn.stall();
        await().atMost(PATIENCE).until(() -> standIn.heldRequests() == 1);
    }

    @Test
    void freeMemoryPostsToFreeOnce() throws Exception {
        TestingBackendContext context = context(standIn.baseUrl(), false, 1, false);
        ComfyUiApiBackend backend = runningBackend(context);
        standIn.clearRequests();

        boolean freed = backend.freeMemory(true);

        assertThat(freed).isTrue();
        List<RecordedRequest> requests = requestsBesideProbes();
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.is("POST", "/free")).isTrue();
            assertThat(request.body()).isEqualTo("{\"unload_models\":true,\"free_memory\":true}");
            assertThat(request.header("Content-Type")).contains("application/json");
            assertThat(request.header("User-Agent")).contains("Switchboard/" + TestingBackendContext.SERVER_VERSION);
        });
    }

    @Test
    void freeMemoryWithoutSystemRamSaysSo() throws Exception {
        ComfyUiApiBackend backend = runningBackend(context(standIn.baseUrl(), false, 1, false));
        standIn.clearRequests();

        backend.freeMemory(false);

        assertThat(requestsBesideProbes()).singleElement().extracting(RecordedRequest::body)
                .isEqualTo("{\"unload_models\":true,\"free_memory\":false}");
    }

    @Test
    void freeMemoryFailureThrowsAClearMessage() {
        ComfyUiApiBackend backend = runningBackend(context(standIn.baseUrl(), false, 1, false));
        standIn.failWith(500);

        assertThatThrownBy(() -> backend.freeMemory(false)).isInstanceOf(ComfyUiException.class)
                .hasMessage("ComfyUI at " + standIn.baseUrl() + " answered HTTP 500 to POST /free.");
    }

    @Test
    void freeMemoryBeforeInitIsRefused() {
        ComfyUiApiBackend backend = backend(context(standIn.baseUrl(), false, 1, false), timeouts(Duration.ofSeconds(10)));

        assertThatThrownBy(() -> backend.freeMemory(false)).isInstanceOf(IllegalStateException.class);
        assertThat(standIn.requests()).isEmpty();
    }

    @Test
    void shutdownDuringAStalledInitMakesInitReturnPromptly() {
        standIn.stall();
        TestingBackendContext context = context(standIn.baseUrl(), false, 1, false);
        ComfyUiApiBackend backend = backend(context, ComfyUiTimeouts.DEFAULTS);
        CompletableFuture<Void> init = CompletableFuture.runAsync(() -> {
            try {
                backend.init();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, initThreads);
        await().atMost(PATIENCE).until(() -> !standIn.requests().isEmpty());

        backend.shutdown();

        await().atMost(Duration.ofSeconds(10)).until(init::isDone);
        assertThatThrownBy(() -> init.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().cause().isInstanceOf(ComfyUiException.class)
                .hasMessageContaining("shutting down");
        backend.shutdown();
    }

    @Test
    void backendsSharingAnHttpClientKeepWorkingWhenOneShutsDown() throws Exception {
        SharedHttpClient http = ComfyUiClient.newSharedHttp(Duration.ofSeconds(5));
        try (ComfyUiStandIn otherStandIn = ComfyUiStandIn.start()) {
            ComfyUiApiBackend first = sharedBackend(context(standIn.baseUrl(), false, 1, false), http);
            TestingBackendContext otherContext = context(otherStandIn.baseUrl(), false, 1, false);
            ComfyUiApiBackend other = sharedBackend(otherContext, http);
            first.init();
            other.init();
            assertThat(http.leases()).isEqualTo(2);

            first.shutdown();

            assertThat(http.leases()).isEqualTo(1);
            otherStandIn.clearRequests();
            await().atMost(PATIENCE).until(() -> otherStandIn.requests().stream()
                    .filter(request -> request.is("GET", "/features")).count() >= 3);
            assertThat(other.freeMemory(false)).isTrue();
            assertThat(otherContext.status()).isEqualTo(BackendStatus.RUNNING);

            other.shutdown();

            assertThat(http.leases()).isZero();
            await().atMost(PATIENCE).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.isAlive() && thread.getName().startsWith("comfyui-http-")));
        }
    }

    @Test
    void aBackendShutDownBeforeInitHoldsNoShareOfTheClient() {
        SharedHttpClient http = ComfyUiClient.newSharedHttp(Duration.ofSeconds(5));
        ComfyUiApiBackend backend = sharedBackend(context(standIn.baseUrl(), false, 1, false), http);

        backend.shutdown();

        assertThatThrownBy(backend::init).isInstanceOf(IllegalStateException.class)
                .hasMessage("The backend was shut down before it could start.");
        assertThat(http.leases()).isZero();
        assertThat(standIn.requests()).isEmpty();
    }

    /** What the backend sent besides its health probes, which run every 50 ms while it is running. */
    private List<RecordedRequest> requestsBesideProbes() {
        return standIn.requests().stream().filter(request -> !request.is("GET", "/features")).toList();
    }

    private long probes() {
        return standIn.requests().stream().filter(request -> request.is("GET", "/features")).count();
    }

    private ComfyUiApiBackend runningBackend(TestingBackendContext context) {
        return runningBackend(context, timeouts(Duration.ofSeconds(10)));
    }

    private ComfyUiApiBackend runningBackend(TestingBackendContext context, ComfyUiTimeouts timeouts) {
        ComfyUiApiBackend backend = backend(context, timeouts);
        try {
            backend.init();
        } catch (Exception e) {
            throw new AssertionError("init failed", e);
        }
        assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
        return backend;
    }

    private void assertInitFails(TestingBackendContext context, ComfyUiTimeouts timeouts, String message) {
        ComfyUiApiBackend backend = backend(context, timeouts);

        assertThatThrownBy(backend::init).isInstanceOf(ComfyUiException.class).hasMessage(message);
        assertThat(context.status()).isEqualTo(BackendStatus.LOADING);
    }

    private ComfyUiApiBackend backend(TestingBackendContext context, ComfyUiTimeouts timeouts) {
        ComfyUiApiBackend backend = new ComfyUiApiBackend(context, timeouts);
        backends.add(backend);
        return backend;
    }

    private ComfyUiApiBackend sharedBackend(TestingBackendContext context, SharedHttpClient http) {
        ComfyUiApiBackend backend = new ComfyUiApiBackend(context, timeouts(Duration.ofSeconds(10)), http);
        backends.add(backend);
        return backend;
    }

    private TestingBackendContext context(String address, boolean allowIdle, int overQueue, boolean frontendDev) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(ComfyUiApiSettings.ADDRESS, address);
        values.put(ComfyUiApiSettings.ALLOW_IDLE, allowIdle);
        values.put(ComfyUiApiSettings.OVER_QUEUE, (long) overQueue);
        values.put(ComfyUiApiSettings.ENABLE_FRONTEND_DEV, frontendDev);
        TestingBackendContext context = new TestingBackendContext(new Settings(ComfyUiApiSettings.SCHEMA, values));
        contexts.add(context);
        return context;
    }

    private static ComfyUiTimeouts timeouts(Duration load) {
        return new ComfyUiTimeouts(Duration.ofSeconds(5), load, Duration.ofSeconds(5), PROBE_INTERVAL,
                Duration.ofSeconds(5));
    }
}
