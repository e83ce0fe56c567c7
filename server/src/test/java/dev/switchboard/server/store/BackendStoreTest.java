package dev.switchboard.server.store;

import static dev.switchboard.server.store.SampleStates.comfySettings;
import static dev.switchboard.server.store.SampleStates.decode;
import static dev.switchboard.server.store.SampleStates.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BackendStoreTest {

    @TempDir
    Path temp;

    @Test
    void aNewDirectoryIsCreatedAndStartsEmpty() throws Exception {
        Path dataDirectory = temp.resolve("a/b/data");

        try (BackendStore store = BackendStore.open(dataDirectory)) {
            assertThat(dataDirectory).isDirectory();
            assertThat(store.file()).isEqualTo(dataDirectory.toAbsolutePath().resolve("backends.json"));
            assertThat(store.file()).doesNotExist();
            assertThat(store.state()).isEqualTo(StoredState.empty());
            assertThat(store.problem()).isEmpty();
        }
    }

    @Test
    void aSavedStateLoadsBackIncludingUnknownFieldsTypesAndTheCounter() throws Exception {
        StoredState state = version(4).withNextId(42);
        try (BackendStore store = BackendStore.open(temp)) {
            store.save(state);
            assertThat(store.state()).isEqualTo(state);
        }

        try (BackendStore reopened = BackendStore.open(temp)) {
            assertThat(reopened.problem()).isEmpty();
            assertThat(reopened.state()).isEqualTo(state);
            assertThat(reopened.state().nextId()).isEqualTo(42);
            assertThat(reopened.state().unknownFields()).isEqualTo(state.unknownFields());
            assertThat(reopened.state().backends().get(1).toJson().get("extra").getAsString()).isEqualTo("kept 4");
        }
    }

    @Test
    void aHandWrittenFileRoundTripsToEquivalentJson() throws Exception {
        Files.write(temp.resolve("backends.json"), SampleStates.handWrittenBytes());

        try (BackendStore store = BackendStore.open(temp)) {
            assertThat(store.problem()).isEmpty();
            StoredState state = store.state();
            assertThat(state.nextId()).isEqualTo(9);
            assertThat(state.backends()).extracting(StoredBackend::id).containsExactly(0, 7, 4);
            assertThat(state.backends()).extracting(StoredBackend::type)
                    .containsExactly("comfyui_api", "some_future_type", "swarmswarmbackend");
            assertThat(state.backends().get(0).title()).isEqualTo("GPU box");
            assertThat(state.backends().get(0).enabled()).isFalse();
            assertThat(state.backends().get(2).title()).isEmpty();
            assertThat(state.backends().get(2).enabled()).isTrue();

            store.save(state);
        }

        String written = Files.readString(temp.resolve("backends.json"));
        assertThat(JsonParser.parseString(written)).isEqualTo(JsonParser.parseString(SampleStates.HAND_WRITTEN_FILE));
        assertThat(written).contains("\"priority\": 3.50", "2e3", "\"n\": null", "s3cré", "\"Secret\"");
    }

    @Test
    void theFileIsPrettyPrintedWithTwoSpacesInAFixedKeyOrder() throws Exception {
        StoredState state = StoredState.empty().withNextId(1)
                .withBackends(List.of(StoredBackend.of(0, "comfyui_api", "", true, comfySettings("http://x:1"))));

        try (BackendStore store = BackendStore.open(temp)) {
            store.save(state);
        }

        assertThat(Files.readString(temp.resolve("backends.json"))).isEqualTo("""
                {
                  "schema_version": 1,
                  "next_id": 1,
                  "backends": [
                    {
                      "id": 0,
                      "type": "comfyui_api",
                      "title": "",
                      "enabled": true,
                      "settings": {
                        "Address": "http://x:1",
                        "AllowIdle": false,
                        "OverQueue": 1,
                        "EnableFrontendDev": false
                      }
                    }
                  ]
                }
                """);
    }

    @Test
    void backupsHoldTheFivePreviousVersionsNewestFirst() throws Exception {
        try (BackendStore store = BackendStore.open(temp)) {
            for (int version = 1; version <= 7; version++) {
                store.save(version(version));
            }
        }

        assertThat(decode(Files.readAllBytes(temp.resolve("backends.json")))).isEqualTo(version(7));
        for (int backup = 1; backup <= 5; backup++) {
            assertThat(decode(Files.readAllBytes(temp.resolve("backends.json." + backup))))
                    .as("backup %d", backup).isEqualTo(version(7 - backup));
        }
        assertThat(temp.resolve("backends.json.6")).doesNotExist();
    }

    @Test
    void theFirstSaveMakesNoBackup() throws Exception {
        try (BackendStore store = BackendStore.open(temp)) {
            store.save(version(1));
        }

        assertThat(temp.resolve("backends.json.1")).doesNotExist();
    }

    @Test
    void leftoverTempFilesAreDeletedAtOpenAndOthersAreLeftAlone() throws Exception {
        Files.writeString(temp.resolve("backends.json.tmp-1a2b"), "{\"half\":");
        Files.writeString(temp.resolve("backends.json.tmp-ffff"), "");
        Files.writeString(temp.resolve("notes.tmp-1"), "operator's");

        try (BackendStore store = BackendStore.open(temp)) {
            assertThat(store.problem()).isEmpty();
        }

        try (var entries = Files.list(temp)) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("notes.tmp-1", "switchboard.lock");
        }
    }

    @Test
    void savesLeaveNoTempFilesBehind() throws Exception {
        try (BackendStore store = BackendStore.open(temp)) {
            store.save(version(1));
            store.save(version(2));
        }

        try (var entries = Files.list(temp)) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("backends.json", "backends.json.1", "switchboard.lock");
        }
    }

    @Test
    void filesAreReadableByTheOwnerOnly() throws Exception {
        assumeThat(temp.getFileSystem().supportedFileAttributeViews()).contains("posix");
        try (BackendStore store = BackendStore.open(temp)) {
            store.save(version(1));
            store.save(version(2));
        }

        for (String name : List.of("backends.json", "backends.json.1", "switchboard.lock")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve(name))))
                    .as(name).isEqualTo("rw-------");
        }
    }

    @Test
    void aMissingFileWithBackupsLoadsTheNewestReadableBackup() throws Exception {
        try (BackendStore store = BackendStore.open(temp)) {
            for (int version = 1; version <= 3; version++) {
                store.save(version(version));
            }
        }
        Files.delete(temp.resolve("backends.json"));
        Files.writeString(temp.resolve("backends.json.1"), "{ damaged");

        try (BackendStore store = BackendStore.open(temp)) {
            assertThat(store.problem()).isEmpty();
            assertThat(store.state()).isEqualTo(version(1));
            store.save(version(9));
        }

        assertThat(decode(Files.readAllBytes(temp.resolve("backends.json")))).isEqualTo(version(9));
        assertThat(Files.readString(temp.resolve("backends.json.1"))).isEqualTo("{ damaged");
    }

    @Test
    void savingAfterCloseIsAProgrammingError() throws Exception {
        BackendStore store = BackendStore.open(temp);
        store.close();
        store.close();

        assertThatThrownBy(() -> store.save(version(1))).isInstanceOf(IllegalStateException.class);
        assertThat(temp.resolve("backends.json")).doesNotExist();
    }

    @Test
    void aStateThatCannotBeWrittenIsRefusedAndNothingChanges() throws Exception {
        JsonObject settings = new JsonObject();
        settings.addProperty("Broken", "\uD800");
        StoredState unwritable = StoredState.empty()
                .withBackends(List.of(StoredBackend.of(0, "t", "", true, settings)));

        try (BackendStore store = BackendStore.open(temp)) {
            store.save(version(1));
            byte[] before = Files.readAllBytes(store.file());

            assertThatThrownBy(() -> store.save(unwritable)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("surrogate");
            assertThat(store.state()).isEqualTo(version(1));
            assertThat(Files.readAllBytes(store.file())).isEqualTo(before);
        }
    }

    @Test
    void concurrentSavesEachLandWholeAndTheLastOneIsTheState() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try (BackendStore store = BackendStore.open(temp)) {
            List<Future<?>> saves = new ArrayList<>();
            for (int version = 0; version < 20; version++) {
                int v = version;
                saves.add(executor.submit(() -> {
                    store.save(version(v));
                    return null;
                }));
            }
            for (Future<?> save : saves) {
                save.get(60, TimeUnit.SECONDS);
            }

            assertThat(decode(Files.readAllBytes(store.file()))).isEqualTo(store.state());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theFileIsUtf8() throws Exception {
        StoredState state = StoredState.empty()
                .withBackends(List.of(StoredBackend.of(0, "t", "Grafikkarte \u00fc \u2603 \uD83D\uDE00", true,
                        new JsonObject())));
        try (BackendStore store = BackendStore.open(temp)) {
            store.save(state);
        }

        assertThat(new String(Files.readAllBytes(temp.resolve("backends.json")), StandardCharsets.UTF_8))
                .contains("Grafikkarte \u00fc \u2603 \uD83D\uDE00");
    }
}
