package dev.switchboard.benchmarks.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.server.backends.BackendManager;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.backends.LifecycleOptions;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.store.BackendStore;
import dev.switchboard.server.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@link BackendManager} (real store in a temporary directory, real lifecycle) holding a given number
 * of {@link BenchBackendType} backends, all running. The backends file is written directly rather than
 * through thousands of durable adds, which would measure the disk instead.
 */
public final class BenchRegistry implements AutoCloseable {
    private final Path directory;
    private final BackendStore store;
    private final PluginCallRunner runner;
    private final BackendManager service;
    private final BackendTypeRegistry types;

    public BenchRegistry(int backends) {
        this(backends, new BenchBackendType());
    }

    /** @param type the type of every backend (its settings schema must be {@link BenchBackendType}'s) */
    public BenchRegistry(int backends, BackendType type) {
        try {
            directory = Files.createTempDirectory("switchboard-bench");
            Files.writeString(directory.resolve("backends.json"), backendsFile(backends, type.id()), StandardCharsets.UTF_8);
            store = BackendStore.open(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (StoreException e) {
            throw new IllegalStateException(e);
        }
        RegisteredBackendType registered = new RegisteredBackendType(type.id(), type.displayName(),
                type.description(), true, true, type.initMode(), type.initTimeout(), type.settingsSchema(), type,
                "bench-plugin", BenchRegistry.class.getClassLoader());
        types = BackendTypeRegistry.of(List.of(registered));
        runner = new PluginCallRunner();
        service = new BackendManager(store, types, runner, new ServerIdentity("bench", "0"),
                LifecycleOptions.defaults(), directory.resolve("backends"));
        service.start();
        awaitAllRunning(backends);
    }

    public BackendManager service() {
        return service;
    }

    public BackendTypeRegistry types() {
        return types;
    }

    @Override
    public void close() {
        service.close();
        runner.close();
        store.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a backends file with {@code count} backends of the benchmark type. */
    static String backendsFile(int count, String type) {
        JsonArray backends = new JsonArray();
        for (int id = 0; id < count; id++) {
            JsonObject settings = new JsonObject();
            settings.addProperty("Address", "http://127.0.0.1:" + (20000 + id % 1000));
            settings.addProperty("AllowIdle", id % 2 == 0);
            settings.addProperty("MaxQueue", 4);
            JsonObject backend = new JsonObject();
            backend.addProperty("id", id);
            backend.addProperty("type", type);
            backend.addProperty("title", "GPU " + id);
            backend.addProperty("enabled", true);
            backend.add("settings", settings);
            backends.add(backend);
        }
        JsonObject root = new JsonObject();
        root.addProperty("schema_version", 1);
        root.addProperty("next_id", count);
        root.add("backends", backends);
        return root.toString();
    }

    private void awaitAllRunning(int count) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            List<BackendSnapshot> all = service.registry().list(true);
            if (all.size() == count && all.stream().allMatch(b -> b.status() == BackendStatus.RUNNING)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the benchmark backends did not all become running");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
