package dev.switchboard.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit: changes that arrive while a save is under way are written together in the next save, each
 * caller is answered only once the save holding its change is on disk, and a failed save fails every change
 * in it and changes nothing.
 */
class BackendStoreGroupCommitTest {
    private static final int QUEUED = 15;

    @TempDir
    Path directory;

    private final GatedFileSystem fileSystem = new GatedFileSystem();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        fileSystem.releaseFirstSave();
        callers.shutdownNow();
    }

    @Test
    void changesQueuedBehindASaveShareTheNextOneAndEachIsOnDiskWhenAnswered() throws Exception {
        try (BackendStore store = BackendStore.open(directory, fileSystem, Clock.systemUTC())) {
            Future<Boolean> first = callers.submit(() -> addAndCheckOnDisk(store, 0));
            fileSystem.awaitFirstSaveHeld();
            List<Future<Boolean>> queued = new ArrayList<>();
            for (int id = 1; id <= QUEUED; id++) {
                int backendId = id;
                queued.add(callers.submit(() -> addAndCheckOnDisk(store, backendId)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store.waitingChanges() == QUEUED);
            assertThat(first.isDone()).as("answered before its save finished").isFalse();

            fileSystem.releaseFirstSave();

            assertThat(first.get()).isTrue();
            for (Future<Boolean> change : queued) {
                assertThat(change.get()).as("its change was in the file when it was answered").isTrue();
            }
            assertThat(fileSystem.replacements()).as("one save for the first change, one for the rest").isEqualTo(2);
            assertThat(store.state().backends()).hasSize(QUEUED + 1);
            assertThat(store.state().nextId()).isEqualTo(QUEUED + 1);
        }
        try (BackendStore reopened = BackendStore.open(directory)) {
            assertThat(reopened.state().backends()).extracting(StoredBackend::id)
                    .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        }
    }

    @Test
    void aFailedSaveFailsEveryChangeInItAndChangesNothing() throws Exception {
        fileSystem.failWrite(1);
        try (BackendStore store = BackendStore.open(directory, fileSystem, Clock.systemUTC())) {
            Future<Boolean> first = callers.submit(() -> addAndCheckOnDisk(store, 0));
            fileSystem.awaitFirstSaveHeld();
            List<Future<Boolean>> queued = new ArrayList<>();
            for (int id = 1; id <= QUEUED; id++) {
                int backendId = id;
                queued.add(callers.submit(() -> addAndCheckOnDisk(store, backendId)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store.waitingChanges() == QUEUED);

            fileSystem.releaseFirstSave();

            assertThat(first.get()).isTrue();
            for (Future<Boolean> change : queued) {
                assertThatThrownBy(change::get).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(StoreException.class)
                        .hasMessageContaining("injected: the disk is full");
            }
            assertThat(store.state().backends()).extracting(StoredBackend::id).containsExactly(0);
            assertThat(store.state().nextId()).isEqualTo(1);
            assertThat(onDisk().backends()).extracting(StoredBackend::id).containsExactly(0);

            // The store keeps working after the failed save.
            store.update(state -> state.withBackend(backend(1)).withNextId(2));
            assertThat(onDisk().backends()).extracting(StoredBackend::id).containsExactly(0, 1);
        }
    }

    @Test
    void aChangeThatThrowsFailsAloneAndTheOthersInItsSaveAreWritten() throws Exception {
        try (BackendStore store = BackendStore.open(directory, fileSystem, Clock.systemUTC())) {
            Future<Boolean> first = callers.submit(() -> addAndCheckOnDisk(store, 0));
            fileSystem.awaitFirstSaveHeld();
            Future<?> broken = callers.submit(() -> {
                store.update(state -> {
                    throw new IllegalStateException("a broken change");
                });
                return null;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> store.waitingChanges() == 1);
            Future<Boolean> good = callers.submit(() -> addAndCheckOnDisk(store, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> store.waitingChanges() == 2);

            fileSystem.releaseFirstSave();

            assertThat(first.get()).isTrue();
            assertThat(good.get()).isTrue();
            assertThatThrownBy(broken::get).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a broken change");
            assertThat(onDisk().backends()).extracting(StoredBackend::id).containsExactly(0, 1);
        }
    }

    @Test
    void changesAreAppliedInArrivalOrderOnTopOfEachOther() throws Exception {
        try (BackendStore store = BackendStore.open(directory, fileSystem, Clock.systemUTC())) {
            Future<Boolean> first = callers.submit(() -> addAndCheckOnDisk(store, 0));
            fileSystem.awaitFirstSaveHeld();
            Future<?> rename = callers.submit(() -> {
                store.update(state -> state.withBackend(state.backends().get(0).withFields(0, "renamed", true,
                        new JsonObject())));
                return null;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> store.waitingChanges() == 1);
            Future<?> disable = callers.submit(() -> {
                store.update(state -> state.withBackend(state.backends().get(0).withFields(0,
                        state.backends().get(0).title(), false, new JsonObject())));
                return null;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> store.waitingChanges() == 2);

            fileSystem.releaseFirstSave();
            first.get();
            rename.get();
            disable.get();

            StoredBackend written = onDisk().backends().get(0);
            assertThat(written.title()).isEqualTo("renamed");
            assertThat(written.enabled()).isFalse();
        }
    }

    private boolean addAndCheckOnDisk(BackendStore store, int id) throws Exception {
        store.update(state -> state.withBackend(backend(id)).withNextId(Math.max(state.nextId(), id + 1)));
        return onDisk().backends().stream().anyMatch(backend -> backend.id() == id);
    }

    private StoredState onDisk() throws Exception {
        return new BackendsFileCodec().decode(Files.readAllBytes(directory.resolve(BackendStore.FILE_NAME)));
    }

    private static StoredBackend backend(int id) {
        return StoredBackend.of(id, "comfyui_api", "GPU " + id, true, new JsonObject());
    }
}
