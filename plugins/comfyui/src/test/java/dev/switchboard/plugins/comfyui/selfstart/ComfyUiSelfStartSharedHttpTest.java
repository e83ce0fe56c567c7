package dev.switchboard.plugins.comfyui.selfstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.comfyui.FakeComfyUiScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backends a {@code comfyui_selfstart} type creates share one HTTP client (issue 21): each launched ComfyUI (the
 * fake {@code main.py}, a real child process) holds a lease of the type's client, a backend shut down gives its lease
 * back while the others keep working, and the last one ends the client's threads.
 */
final class ComfyUiSelfStartSharedHttpTest {
    private static final int BACKENDS = 3;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path comfy;

    private final ComfyUiSelfStartBackendType type = new ComfyUiSelfStartBackendType();
    private final List<TestingBackendContext> contexts = new ArrayList<>();
    private final List<ComfyUiSelfStartBackend> backends = new ArrayList<>();

    @AfterEach
    void tearDown() {
        backends.forEach(ComfyUiSelfStartBackend::shutdown);
        contexts.forEach(TestingBackendContext::close);
    }

    @Test
    void everyLaunchedComfyUiOfTheTypeLeasesOneClientAndTheLastShutdownReleasesIt() throws Exception {
        for (int i = 0; i < BACKENDS; i++) {
            TestingBackendContext context = context();
            ComfyUiSelfStartBackend backend = (ComfyUiSelfStartBackend) type.create(context);
            backends.add(backend);
            backend.init();
            assertThat(context.status()).as(context.statusMessage()).isEqualTo(BackendStatus.RUNNING);
        }
        // One holder, so every lease is of the same client (SharedHttpClientTest): N backends, one client.
        assertThat(type.sharedHttp().leases()).isEqualTo(BACKENDS);

        backends.get(0).shutdown();

        assertThat(type.sharedHttp().leases()).isEqualTo(BACKENDS - 1);
        for (ComfyUiSelfStartBackend other : backends.subList(1, BACKENDS)) {
            assertThat(other.freeMemory(false)).as("a backend still running after another shut down").isTrue();
        }

        backends.forEach(ComfyUiSelfStartBackend::shutdown);

        assertThat(type.sharedHttp().leases()).isZero();
        await().atMost(PATIENCE).until(() -> liveClientThreads() == 0);
    }

    private TestingBackendContext context() {
        Map<String, Object> values = new LinkedHashMap<>(ComfyUiSelfStartSettings.SCHEMA.defaults().values());
        values.put("StartScript", FakeComfyUiScript.install(comfy).toString());
        TestingBackendContext context = new TestingBackendContext(new Settings(ComfyUiSelfStartSettings.SCHEMA, values));
        contexts.add(context);
        return context;
    }

    private static long liveClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("comfyui-http-")).count();
    }
}
