package dev.switchboard.server.store;

import static dev.switchboard.server.store.SampleStates.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A backends file that cannot be read is reported, copied aside, served from backups and never overwritten. */
final class BackendStoreDamagedFileTest {

    private static final String VALID_ENTRY = "{\"id\": 0, \"type\": \"comfyui_api\"}";

    @TempDir
    Path temp;

    static Stream<Arguments> damagedFiles() throws StoreException {
        List<Arguments> corpus = new ArrayList<>();
        corpus.add(Arguments.of("zero bytes", new byte[0], "empty"));
        corpus.add(Arguments.of("zero-filled", new byte[4096], "zero bytes"));
        corpus.add(Arguments.of("invalid UTF-8 in a string", withBytes("{\"schema_version\": 1, \"next_id\": 0, "
                + "\"backends\": [{\"id\": 0, \"type\": \"x\", \"title\": \"@@\"}]}", 0xC3, 0x28), "UTF-8"));
        corpus.add(Arguments.of("overlong UTF-8", withBytes("{\"schema_version\": 1, \"next_id\": 0, "
                + "\"backends\": [], \"x\": \"@@\"}", 0xC0, 0xAF), "UTF-8"));
        corpus.add(Arguments.of("UTF-8 encoded surrogate", withBytes("{\"schema_version\": 1, \"next_id\": 0, "
                + "\"backends\": [], \"x\": \"@@@\"}", 0xED, 0xA0, 0x80), "UTF-8"));
        corpus.add(Arguments.of("Latin-1 text", ("{\"schema_version\": 1, \"next_id\": 0, \"backends\": [], "
                + "\"x\": \"caf\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1), "UTF-8"));
        Random random = new Random(20240503);
        for (int i = 0; i < 8; i++) {
            byte[] bytes = new byte[1 + random.nextInt(3000)];
            random.nextBytes(bytes);
            corpus.add(Arguments.of("random bytes #" + i, bytes, ""));
        }
        corpus.add(Arguments.of("array root", text("[" + VALID_ENTRY + "]"), "top level must be a JSON object"));
        corpus.add(Arguments.of("string root", text("\"backends\""), "top level must be a JSON object"));
        corpus.add(Arguments.of("missing id", file("{\"type\": \"comfyui_api\"}"), "'id'"));
        corpus.add(Arguments.of("string id", file("{\"id\": \"0\", \"type\": \"comfyui_api\"}"), "'id'"));
        corpus.add(Arguments.of("fractional id", file("{\"id\": 0.5, \"type\": \"comfyui_api\"}"), "'id'"));
        corpus.add(Arguments.of("negative id", file("{\"id\": -1, \"type\": \"comfyui_api\"}"), "'id'"));
        corpus.add(Arguments.of("duplicate id", file(VALID_ENTRY + ", {\"id\": 0, \"type\": \"other\"}"),
                "id 0 is already used by backends[0]"));
        corpus.add(Arguments.of("missing type", file("{\"id\": 0}"), "'type'"));
        corpus.add(Arguments.of("empty type", file("{\"id\": 0, \"type\": \"\"}"), "'type'"));
        corpus.add(Arguments.of("entry not an object", file("5"), "backends[0] must be an object"));
        corpus.add(Arguments.of("schema_version 2", text("{\"schema_version\": 2, \"next_id\": 0, \"backends\": [], "
                + "\"new_stuff\": {}}"), "written by a newer Switchboard"));
        corpus.add(Arguments.of("schema_version 0", text("{\"schema_version\": 0, \"next_id\": 0, \"backends\": []}"),
                "schema_version 0"));
        corpus.add(Arguments.of("missing schema_version", text("{\"next_id\": 0, \"backends\": []}"),
                "'schema_version'"));
        corpus.add(Arguments.of("negative next_id", text("{\"schema_version\": 1, \"next_id\": -3, \"backends\": []}"),
                "'next_id'"));
        corpus.add(Arguments.of("missing backends", text("{\"schema_version\": 1, \"next_id\": 0}"), "'backends'"));
        corpus.add(Arguments.of("duplicate top-level key", text("{\"schema_version\": 1, \"next_id\": 0, "
                + "\"next_id\": 5, \"backends\": []}"), "\"next_id\" appears twice"));
        corpus.add(Arguments.of("duplicate key in settings", file("{\"id\": 0, \"type\": \"x\", \"settings\": "
                + "{\"Address\": \"a\", \"Address\": \"b\"}}"), "\"Address\" appears twice"));
        corpus.add(Arguments.of("trailing content", text("{\"schema_version\": 1, \"next_id\": 0, \"backends\": []}"
                + " {}"), "not valid JSON"));
        corpus.add(Arguments.of("comment", text("// hi\n{\"schema_version\": 1, \"next_id\": 0, \"backends\": []}"),
                "not valid JSON"));
        corpus.add(Arguments.of("single quotes", text("{'schema_version': 1, 'next_id': 0, 'backends': []}"),
                "not valid JSON"));
        corpus.add(Arguments.of("trailing comma", text("{\"schema_version\": 1, \"next_id\": 0, \"backends\": [],}"),
                "not valid JSON"));
        corpus.add(Arguments.of("NaN", text("{\"schema_version\": 1, \"next_id\": NaN, \"backends\": []}"),
                "not valid JSON"));
        corpus.add(Arguments.of("deep nesting", text("[".repeat(5000)), "not valid JSON"));
        corpus.add(Arguments.of("null root", text("null"), "top level must be a JSON object"));
        corpus.add(Arguments.of("backends not an array", text("{\"schema_version\": 1, \"next_id\": 0, "
                + "\"backends\": {}}"), "'backends' must be an array"));
        corpus.add(Arguments.of("id beyond 32 bits", file("{\"id\": 1099511627776, \"type\": \"x\"}"), "'id'"));
        corpus.add(Arguments.of("title not a string", file("{\"id\": 0, \"type\": \"x\", \"title\": 5}"),
                "'title' must be a string"));
        corpus.add(Arguments.of("enabled as text", file("{\"id\": 0, \"type\": \"x\", \"enabled\": \"true\"}"),
                "'enabled' must be true or false"));
        corpus.add(Arguments.of("settings not an object", file("{\"id\": 0, \"type\": \"x\", \"settings\": []}"),
                "'settings' must be an object"));
        corpus.add(Arguments.of("invalid UTF-8 in a secret", withBytes("{\"schema_version\": 1, \"next_id\": 1, "
                + "\"backends\": [{\"id\": 0, \"type\": \"swarmswarmbackend\", \"settings\": "
                + "{\"AuthorizationHeader\": \"Bearer @\"}}]}", 0xFF), "UTF-8"));
        // What a power loss can leave when the size reached the disk but the data did not.
        byte[] valid = new BackendsFileCodec().encode(SampleStates.version(3));
        corpus.add(Arguments.of("zero-filled, valid length", new byte[valid.length], "zero bytes"));
        byte[] zeroTail = Arrays.copyOf(valid, valid.length);
        Arrays.fill(zeroTail, valid.length / 2, valid.length, (byte) 0);
        corpus.add(Arguments.of("valid start, zero-filled end", zeroTail, ""));
        return corpus.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedFiles")
    void aDamagedFileIsReportedCopiedAsideAndNeverOverwritten(String name, byte[] content, String why)
            throws Exception {
        Path file = temp.resolve("backends.json");
        Files.write(file, content);

        String problem;
        try (BackendStore store = BackendStore.open(temp)) {
            assertThat(store.problem()).as("problem").isPresent();
            problem = store.problem().get();
            assertThat(problem).contains(file.toString(), why, "restart Switchboard");
            assertThat(store.state()).isEqualTo(StoredState.empty());
            assertThat(problem).contains("No readable backup exists");

            assertThatThrownBy(() -> store.save(version(1)))
                    .isInstanceOf(StoreUnavailableException.class).hasMessage(problem);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        List<Path> copies = unreadableCopies();
        assertThat(copies).hasSize(1);
        assertThat(Files.readAllBytes(copies.get(0))).isEqualTo(content);
        assertThat(problem).contains(copies.get(0).toString());

        try (BackendStore reopened = BackendStore.open(temp)) {
            assertThat(reopened.problem()).hasValue(problem);
        }
        assertThat(unreadableCopies()).as("no second copy of the same bytes").hasSize(1);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void aFileTruncatedAtAnyOffsetNeverLosesBackendsSilentlyAndIsNeverOverwritten() throws Exception {
        StoredState original = version(3);
        Path source = temp.resolve("source");
        try (BackendStore store = BackendStore.open(source)) {
            store.save(original);
        }
        byte[] valid = Files.readAllBytes(source.resolve("backends.json"));
        assertThat(valid.length).isGreaterThan(200);

        int reported = 0;
        for (int length = 0; length < valid.length; length++) {
            Path directory = temp.resolve("truncated-" + length);
            Files.createDirectories(directory);
            byte[] truncated = Arrays.copyOf(valid, length);
            Files.write(directory.resolve("backends.json"), truncated);

            try (BackendStore store = BackendStore.open(directory)) {
                if (store.problem().isPresent()) {
                    reported++;
                    assertThat(store.state()).isEqualTo(StoredState.empty());
                    assertThatThrownBy(() -> store.save(version(99)))
                            .as("length %d", length).isInstanceOf(StoreUnavailableException.class);
                    assertThat(Files.readAllBytes(directory.resolve("backends.json")))
                            .as("length %d", length).isEqualTo(truncated);
                } else {
                    // Only the trailing newline can go without the document changing.
                    assertThat(store.state()).as("length %d", length).isEqualTo(original);
                }
            }
        }
        assertThat(reported).isEqualTo(valid.length - 1);
    }

    @Test
    void aTwoKilobyteFileWithSecretsTruncatedAtAnyOffsetIsServedFromItsBackupAndNothingIsOverwritten()
            throws Exception {
        StoredState older = realistic(5);
        StoredState newest = realistic(8);
        Path source = temp.resolve("source");
        try (BackendStore store = BackendStore.open(source)) {
            store.save(older);
            store.save(newest);
        }
        byte[] valid = Files.readAllBytes(source.resolve("backends.json"));
        byte[] backup = Files.readAllBytes(source.resolve("backends.json.1"));
        assertThat(valid.length).isBetween(2000, 3000);

        for (int length = 0; length < valid.length - 1; length++) {
            Path directory = temp.resolve("truncated-" + length);
            Files.createDirectories(directory);
            byte[] truncated = Arrays.copyOf(valid, length);
            Files.write(directory.resolve("backends.json"), truncated);
            Files.write(directory.resolve("backends.json.1"), backup);

            try (BackendStore store = BackendStore.open(directory)) {
                assertThat(store.problem()).as("length %d", length).isPresent();
                assertThat(store.state()).as("length %d", length).isEqualTo(older);
                assertThatThrownBy(() -> store.save(newest)).as("length %d", length)
                        .isInstanceOf(StoreUnavailableException.class);
            }
            assertThat(Files.readAllBytes(directory.resolve("backends.json"))).as("length %d", length)
                    .isEqualTo(truncated);
            assertThat(Files.readAllBytes(directory.resolve("backends.json.1"))).as("length %d", length)
                    .isEqualTo(backup);
        }
    }

    /** A state like a real installation's: several backends of each shipped type, secrets included. */
    private static StoredState realistic(int backends) {
        List<StoredBackend> entries = new ArrayList<>();
        for (int id = 0; id < backends; id++) {
            JsonObject settings;
            String type;
            if (id % 2 == 0) {
                type = "comfyui_api";
                settings = SampleStates.comfySettings("http://gpu-" + id + ".lan:8188");
            } else {
                type = "swarmswarmbackend";
                settings = new JsonObject();
                settings.addProperty("Address", "http://swarm-" + id + ".lan:7801");
                settings.addProperty("AuthorizationHeader", "Bearer s3cr3t-\u00e9-" + id);
                settings.addProperty("OtherHeaders", "X-Team: render\nX-Id: " + id);
                settings.addProperty("ConnectionAttemptTimeoutSeconds", 30);
            }
            entries.add(StoredBackend.of(id, type, "Box " + id + " \u65e5\u672c", id % 3 != 0, settings));
        }
        return new StoredState(backends + 1, entries, new JsonObject());
    }

    @Test
    void aDamagedFileIsServedFromTheNewestReadableBackup() throws Exception {
        try (BackendStore store = BackendStore.open(temp)) {
            for (int version = 1; version <= 4; version++) {
                store.save(version(version));
            }
        }
        // Now: file = 4, .1 = 3, .2 = 2, .3 = 1. Damage the file and the newest backup.
        byte[] damaged = "{\"schema_version\": 1, \"next_id\": 4, \"backe".getBytes(StandardCharsets.UTF_8);
        Files.write(temp.resolve("backends.json"), damaged);
        Files.write(temp.resolve("backends.json.1"), new byte[100]);

        try (BackendStore store = BackendStore.open(temp)) {
            assertThat(store.state()).isEqualTo(version(2));
            assertThat(store.problem()).hasValueSatisfying(problem -> assertThat(problem)
                    .contains(temp.resolve("backends.json.2").toString(), "every change is refused"));
            assertThatThrownBy(() -> store.save(version(5))).isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(Files.readAllBytes(temp.resolve("backends.json"))).isEqualTo(damaged);
        assertThat(Files.readAllBytes(temp.resolve("backends.json.1"))).isEqualTo(new byte[100]);
        assertThat(SampleStates.decode(Files.readAllBytes(temp.resolve("backends.json.2")))).isEqualTo(version(2));
    }

    @Test
    void aFileThatCannotEvenBeReadIsReportedAndLeftInPlace() throws Exception {
        Files.createDirectories(temp.resolve("backends.json"));

        try (BackendStore store = BackendStore.open(temp)) {
            assertThat(store.problem()).hasValueSatisfying(problem -> assertThat(problem)
                    .contains(temp.resolve("backends.json").toString(), "could not be read"));
            assertThatThrownBy(() -> store.save(version(1))).isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(temp.resolve("backends.json")).isDirectory();
    }

    private List<Path> unreadableCopies() throws IOException {
        try (Stream<Path> entries = Files.list(temp)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("backends.json.unreadable-"))
                    .toList();
        }
    }

    private static byte[] text(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] file(String entries) {
        return text("{\"schema_version\": 1, \"next_id\": 5, \"backends\": [" + entries + "]}");
    }

    /** Replaces the run of '@' in {@code json} with the given raw bytes. */
    private static byte[] withBytes(String json, int... raw) {
        int at = json.indexOf('@');
        int run = (int) json.chars().filter(c -> c == '@').count();
        byte[] prefix = text(json.substring(0, at));
        byte[] suffix = text(json.substring(at + run));
        byte[] result = Arrays.copyOf(prefix, prefix.length + raw.length + suffix.length);
        for (int i = 0; i < raw.length; i++) {
            result[prefix.length + i] = (byte) raw[i];
        }
        System.arraycopy(suffix, 0, result, prefix.length + raw.length, suffix.length);
        return result;
    }
}
