package dev.switchboard.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.server.backends.BackendClaim;
import dev.switchboard.server.backends.BackendClaims;
import dev.switchboard.server.backends.BackendEdit;
import dev.switchboard.server.routes.backends.JsonSettingsUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The port's change feed over a real backend manager: every change names its backend, and only it. */
final class BackendChangesTest {
    @TempDir
    Path data;
    private GeneratingBackends generating;
    private BackendClaims port;
    private final Set<Integer> told = ConcurrentHashMap.newKeySet();
    private final IntConsumer watcher = told::add;

    @BeforeEach
    void start() throws Exception {
        generating = new GeneratingBackends(data);
        port = generating.manager.registry();
        port.watch(watcher);
    }

    @AfterEach
    void stop() {
        port.unwatch(watcher);
        generating.close();
    }

    @Test
    void eachChangeNamesTheBackendWhoseSnapshotChanged() throws Exception {
        int first = generating.running("{\"Models\":\"a.safetensors\"}");
        int second = generating.running("{\"Models\":\"b.safetensors\"}");
        assertThat(told).contains(first, second);

        told.clear();
        BackendClaim claim = port.tryClaim(second).orElseThrow();
        assertThat(told).containsExactly(second);
        assertThat(port.snapshot(second).orElseThrow().usages()).isEqualTo(1);
        told.clear();
        claim.setCurrentModel("b.safetensors");
        claim.close();
        assertThat(told).containsExactly(second);
        assertThat(port.snapshot(second).orElseThrow().currentModel()).isEqualTo("b.safetensors");

        told.clear();
        generating.manager.operations().toggle(first, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> told.contains(first));
        assertThat(told).doesNotContain(second);

        told.clear();
        int moved = second + 10;
        generating.manager.operations().edit(second, new BackendEdit("", new JsonSettingsUpdate(new JsonObject()),
                moved));
        assertThat(told).contains(second, moved);
        assertThat(port.snapshot(second)).isEmpty();
        assertThat(port.snapshot(moved)).isPresent();

        told.clear();
        generating.manager.operations().delete(moved);
        assertThat(told).contains(moved);
        assertThat(port.snapshot(moved)).isEmpty();

        port.unwatch(watcher);
        told.clear();
        generating.manager.operations().toggle(first, true);
        assertThat(told).isEmpty();
    }
}
