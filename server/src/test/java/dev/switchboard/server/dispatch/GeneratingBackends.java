package dev.switchboard.server.dispatch;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonParser;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.server.backends.BackendEdit;
import dev.switchboard.server.backends.BackendManager;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.LifecycleOptions;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.routes.backends.JsonSettingsUpdate;
import dev.switchboard.server.store.BackendStore;
import dev.switchboard.server.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real backend manager over a data directory whose backends are {@link FakeGeneratorType} generators. */
final class GeneratingBackends implements AutoCloseable {
    final FakeGeneratorType fake = new FakeGeneratorType("fake_gen");
    final BackendManager manager;
    private final BackendStore store;
    private final PluginCallRunner runner = new PluginCallRunner();

    GeneratingBackends(Path data) throws StoreException {
        store = BackendStore.open(data);
        manager = new BackendManager(store, BackendTypeRegistry.of(List.of(fake.registered())), runner,
                new ServerIdentity("server-1", "test"), LifecycleOptions.defaults(), data.resolve("backends"));
        manager.start();
    }

    /** Adds a backend with these settings (JSON) and returns its id at once, however long it takes to start. */
    int add(String settingsJson) throws BackendOperationException {
        int id = manager.operations().add("fake_gen").id();
        manager.operations().edit(id, new BackendEdit("", new JsonSettingsUpdate(
                JsonParser.parseString(settingsJson).getAsJsonObject()), -1));
        return id;
    }

    /** Adds a backend with these settings (JSON) and waits until it runs and generates. */
    int running(String settingsJson) throws BackendOperationException {
        int id = add(settingsJson);
        await().atMost(Duration.ofSeconds(30)).until(() -> manager.registry().find(id).orElseThrow().status()
                == BackendStatus.RUNNING && manager.registry().find(id).orElseThrow().generates());
        return id;
    }

    @Override
    public void close() {
        manager.close();
        runner.close();
        store.close();
    }
}
