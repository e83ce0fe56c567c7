package dev.switchboard.plugins.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.testkit.backends.RecordingGenerationOutput;
import dev.switchboard.testkit.backends.SpawnedChild;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.swarm.SwarmRemoteStandIn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test of children that generate works with: a current-SwarmUI stand-in as the remote (backend 3, a running
 * {@code comfyui_api} with two usages, two main models, a LoRA and node types), a control backend connected to it,
 * and its child for backend 3, initialised on a testing context. Registered as an extension, it shuts everything
 * down after each test.
 */
final class RemoteChildren implements AfterEachCallback {
    static final String SECRET = "Bearer child-secret-42";
    static final int REMOTE_ID = 3;

    private final SwarmRemoteStandIn remote = SwarmRemoteStandIn.start();
    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<SwarmControlBackend> controls = new ArrayList<>();
    private final List<SwarmChildBackend> children = new ArrayList<>();
    private final AtomicInteger jobs = new AtomicInteger();

    RemoteChildren() {
        remote.putBackend(new SwarmRemoteStandIn.Backend(REMOTE_ID, "comfyui_api", "running", "gpu",
                List.of("comfyui", "folderslash"), 2, "sdxl/base.safetensors"));
        remote.models("Stable-Diffusion", List.of("sdxl/base.safetensors", "old/model.ckpt"));
        remote.models("LoRA", List.of("styles/ink.safetensors"));
        remote.nodeTypes(REMOTE_ID, List.of("CheckpointLoaderSimple", "KSampler", "SaveImage"));
    }

    SwarmRemoteStandIn remote() {
        return remote;
    }

    /** A control (settings: these over the defaults, the remote's address, the secret headers) and its context. */
    TestingBackendContext control(Map<String, Object> overrides) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(SwarmSettings.ADDRESS, remote.baseUrl());
        values.put(SwarmSettings.AUTHORIZATION_HEADER, SECRET);
        values.put(SwarmSettings.OTHER_HEADERS, "X-Tenant: blue");
        values.putAll(overrides);
        TestingBackendContext context = new TestingBackendContext(SwarmBackendTypeTest.settings(values));
        contexts.add(context);
        SwarmControlBackend control = new SwarmControlBackend(context);
        controls.add(control);
        control.init();
        assertThat(context.status()).as(context.statusMessage()).isEqualTo(BackendStatus.RUNNING);
        return context;
    }

    /** The running child of {@code control} for remote backend 3, with its context. */
    Child child(TestingBackendContext control) {
        SpawnedChild spawned = control.recordedChildren().live().get(0);
        TestingBackendContext context = new TestingBackendContext(control.settings(), spawned.id(), OptionalInt.of(0));
        contexts.add(context);
        SwarmChildBackend child = (SwarmChildBackend) spawned.factory().apply(context);
        children.add(child);
        child.init();
        return new Child(child, context);
    }

    /** A job on SwarmUI's parameters: the given model, seed 42, 3 steps, 64x32, the given batch size. */
    GenerationJob job(String model, int batch) {
        return new GenerationJob("job-" + jobs.incrementAndGet(), GenerationParameters.builder().model(model)
                .prompt("a fox").negativePrompt("blur").seed(42).steps(3).cfgScale(6.5).size(64, 32).batchSize(batch)
                .sampler("euler").build(), Cancellation.create());
    }

    /** A child and its testing context. */
    record Child(SwarmChildBackend backend, TestingBackendContext context) {
        RecordingGenerationOutput generate(GenerationJob job) throws Exception {
            RecordingGenerationOutput output = new RecordingGenerationOutput();
            try {
                backend.generate(job, output);
            } finally {
                output.close();
            }
            return output;
        }
    }

    @Override
    public void afterEach(ExtensionContext test) {
        children.forEach(SwarmChildBackend::shutdown);
        controls.forEach(SwarmControlBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
        remote.close();
    }
}
