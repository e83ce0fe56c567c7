package dev.switchboard.server.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.InitMode;
import dev.switchboard.server.backends.BackendEdit;
import dev.switchboard.server.backends.BackendManager;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.routes.backends.JsonSettingsUpdate;
import dev.switchboard.server.store.BackendStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BackendManagerTest {
    private static final LifecycleOptions FAST = new LifecycleOptions(3, Duration.ofMillis(10), Duration.ofMillis(40),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(1));

    @TempDir
    Path data;
    private final ScriptedBackendType parallel = new ScriptedBackendType("scripted", InitMode.PARALLEL);
    private final ScriptedBackendType serial = new ScriptedBackendType("scripted_serial", InitMode.SERIAL);
    private final List<AutoCloseable> resources = new ArrayList<>();

    private BackendManager start() throws Exception {
        BackendManager service = create();
        service.start();
        return service;
    }

    /** A service over the data directory, not started. */
    private BackendManager create() throws Exception {
        BackendStore store = BackendStore.open(data);
        PluginCallRunner runner = new PluginCallRunner();
        BackendManager service = new BackendManager(store,
                BackendTypeRegistry.of(List.of(parallel.registered(), serial.registered())), runner,
                new ServerIdentity("server-1", "test"), FAST, data.resolve("backends"));
        resources.add(0, store);
        resources.add(0, runner);
        resources.add(0, service);
        return service;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static void awaitStatus(BackendManager service, int id, BackendStatus status) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(service.registry().find(id).orElseThrow().status()).isEqualTo(status));
    }

    @Test
    void concurrentChangesAreAllWrittenAndNewBackendsGetDistinctIds() throws Exception {
        BackendManager service = start();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<BackendSnapshot>> adds = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                adds.add(clients.submit(() -> service.operations().add("scripted")));
            }
            List<Integer> ids = new ArrayList<>();
            for (Future<BackendSnapshot> add : adds) {
                ids.add(add.get().id());
            }
            assertThat(ids).doesNotHaveDuplicates().hasSize(16);

            List<Future<String>> toggles = new ArrayList<>();
            for (int id : ids) {
                toggles.add(clients.submit(() -> service.operations().toggle(id, false)));
            }
            for (Future<String> toggle : toggles) {
                assertThat(toggle.get()).isEqualTo("Success.");
            }
        } finally {
            clients.shutdownNow();
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
        try (BackendStore reopened = BackendStore.open(data)) {
            assertThat(reopened.state().backends()).hasSize(16)
                    .allSatisfy(backend -> assertThat(backend.enabled()).isFalse());
            assertThat(reopened.state().nextId()).isEqualTo(16);
        }
    }

    @Test
    void loadedBackendsWaitUntilTheirInitsAreStarted() throws Exception {
        BackendManager first = start();
        first.operations().add("scripted");
        awaitStatus(first, 0, BackendStatus.RUNNING);
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();

        BackendManager service = create();
        service.load();
        assertThat(service.registry().find(0).orElseThrow().status()).isEqualTo(BackendStatus.WAITING);

        service.startInits();
        awaitStatus(service, 0, BackendStatus.RUNNING);
    }

    @Test
    void aBurstOfLoadedBackendsInitialisesAFewAtATimeAndAllBecomeRunning() throws Exception {
        int backends = 3 * BackendLifecycle.PARALLEL_INITS;
        BackendManager first = start();
        for (int id = 0; id < backends; id++) {
            first.operations().add("scripted");
            edit(first, id, "", json("{\"DelayMillis\":100}"), -1);
        }
        for (int id = 0; id < backends; id++) {
            awaitStatus(first, id, BackendStatus.RUNNING);
        }
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
        parallel.mostInitsAtOnce.set(0);

        BackendManager service = create();
        service.load();
        service.startInits();

        for (int id = 0; id < backends; id++) {
            awaitStatus(service, id, BackendStatus.RUNNING);
        }
        // Every init became due at once; the parallel lane ran at most its bound of them together.
        assertThat(parallel.mostInitsAtOnce.get()).isBetween(1, BackendLifecycle.PARALLEL_INITS);
    }

    @Test
    void addInitialisesToRunning() throws Exception {
        BackendManager service = start();
        BackendSnapshot added = service.operations().add("scripted");
        assertThat(added.id()).isZero();
        assertThat(added.status()).isIn(BackendStatus.WAITING, BackendStatus.RUNNING);
        awaitStatus(service, 0, BackendStatus.RUNNING);
        assertThatThrownBy(() -> service.operations().add("Scripted")).hasMessage("Invalid backend type: Scripted");
    }

    @Test
    void failuresAreRetriedWithBackoffThenErroredAndAttemptsResetOnEdit() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        int before = parallel.inits.get();
        edit(service, 0, "", json("{\"Mode\":\"fail\"}"), -1);
        awaitStatus(service, 0, BackendStatus.ERRORED);
        assertThat(parallel.inits.get() - before).isEqualTo(4);
        assertThat(service.registry().find(0).orElseThrow().statusMessage()).isEqualTo("scripted failure (gave up after 4 attempts)");

        before = parallel.inits.get();
        edit(service, 0, "", json("{\"Mode\":\"fail\",\"DelayMillis\":1}"), -1);
        awaitStatus(service, 0, BackendStatus.ERRORED);
        assertThat(parallel.inits.get() - before).isEqualTo(4);
        assertThat(parallel.live.get()).isZero();
    }

    @Test
    void aHungInitIsErroredAtTheDeadlineAndAnEditRecovers() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        edit(service, 0, "", json("{\"Mode\":\"hang\"}"), -1);
        awaitStatus(service, 0, BackendStatus.ERRORED);
        assertThat(service.registry().find(0).orElseThrow().statusMessage()).isEqualTo("Initialisation did not finish within 2 seconds.");
        edit(service, 0, "", json("{\"Mode\":\"ok\"}"), -1);
        awaitStatus(service, 0, BackendStatus.RUNNING);
    }

    @Test
    void editsDuringASlowSerialInitNeverLeaveTwoInstances() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted_serial");
        for (int i = 0; i < 5; i++) {
            edit(service, 0, "t" + i, json("{\"DelayMillis\":200}"), -1);
        }
        service.operations().toggle(0, false);
        service.operations().toggle(0, true);
        awaitStatus(service, 0, BackendStatus.RUNNING);
        assertThat(serial.maxLive.get()).isEqualTo(1);
        assertThat(serial.live.get()).isEqualTo(1);
    }

    @Test
    void invalidSettingsAndValidationIssuesChangeNothing() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        byte[] file = Files.readAllBytes(data.resolve("backends.json"));
        assertThatThrownBy(() -> edit(service, 0, "x", json("{\"Mode\":\"maybe\"}"), -1))
                .hasMessage("Invalid value 'maybe' for setting 'Mode': must be one of ok, fail, hang, crash.");
        assertThatThrownBy(() -> edit(service, 0, "x", json("{\"Token\":\"forbidden\"}"), -1))
                .hasMessage("Invalid value for setting 'Token': That token is not allowed.");
        BackendSnapshot after = service.registry().find(0).orElseThrow();
        assertThat(after.status()).isEqualTo(BackendStatus.RUNNING);
        assertThat(after.modcount()).isZero();
        assertThat(after.title()).isEmpty();
        assertThat(Files.readAllBytes(data.resolve("backends.json"))).isEqualTo(file);
    }

    @Test
    void reKeyingAdvancesTheIdCounter() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        assertThat(edit(service, 0, "", json("{}"), 10).id()).isEqualTo(10);
        assertThat(service.operations().add("scripted").id()).isEqualTo(11);
        assertThatThrownBy(() -> edit(service, 11, "", json("{}"), 10)).hasMessage("Backend ID 10 is already in use.");
        assertThat(service.registry().list(false)).extracting(BackendSnapshot::id).containsExactly(10, 11);
    }

    @Test
    void concurrentOperationsLeaveMemoryAndFileInAgreement() throws Exception {
        BackendManager service = start();
        for (int i = 0; i < 3; i++) {
            service.operations().add("scripted");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int step = i;
            futures.add(pool.submit(() -> {
                int id = ThreadLocalRandom.current().nextInt(3);
                switch (step % 4) {
                    case 0 -> service.operations().toggle(id, ThreadLocalRandom.current().nextBoolean());
                    case 1 -> edit(service, id, "title " + step, json("{\"DelayMillis\":" + (step % 7) + "}"), -1);
                    case 2 -> service.operations().restart(Integer.toString(id));
                    default -> service.operations().freeMemory("all", false);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        List<BackendSnapshot> backends = service.registry().list(false);
        JsonObject file = JsonParser.parseString(Files.readString(data.resolve("backends.json"))).getAsJsonObject();
        for (int i = 0; i < 3; i++) {
            BackendSnapshot backend = backends.get(i);
            JsonObject stored = file.getAsJsonArray("backends").get(i).getAsJsonObject();
            assertThat(stored.get("id").getAsInt()).isEqualTo(backend.id());
            assertThat(stored.get("title").getAsString()).isEqualTo(backend.title());
            assertThat(stored.get("enabled").getAsBoolean()).isEqualTo(backend.enabled());
            assertThat(stored.getAsJsonObject("settings").get("DelayMillis").getAsLong())
                    .isEqualTo(backend.settings().getLong("DelayMillis"));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            long enabled = service.registry().list(false).stream().filter(BackendSnapshot::enabled).count();
            assertThat(parallel.live.get()).isEqualTo((int) enabled);
        });
    }

    @Test
    void aShutdownWaitsForClaimedWorkToFinish() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        assertThat(service.registry().find(0).orElseThrow().usedAgoMillis()).isNegative();
        BackendClaim claim = service.registry().claim(0);
        assertThat(service.registry().find(0).orElseThrow().usedAgoMillis()).isNotNegative();
        assertThatThrownBy(() -> service.registry().claim(0)).hasMessage("Backend 0 is busy (1 of 1 jobs).");

        ExecutorService deleter = Executors.newSingleThreadExecutor();
        Future<String> deleted = deleter.submit(() -> service.operations().delete(0));
        Thread.sleep(300);
        assertThat(deleted).isNotDone();
        assertThat(parallel.live.get()).isEqualTo(1);
        claim.close();
        assertThat(deleted.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("Deleted.");
        assertThat(parallel.live.get()).isZero();
        claim.close();
        deleter.shutdown();
        assertThatThrownBy(() -> service.registry().claim(0)).hasMessage("Invalid backend ID 0");
    }

    @Test
    void onlyRunningBackendsCanBeClaimed() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        service.operations().toggle(0, false);
        assertThatThrownBy(() -> service.registry().claim(0)).hasMessage("Backend 0 is not running.");
    }

    @Test
    void aFailureReportedAfterInitErrorsWithoutRetryAndShutsTheInstanceDown() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        int before = parallel.inits.get();
        edit(service, 0, "", json("{\"Mode\":\"crash\"}"), -1);
        awaitStatus(service, 0, BackendStatus.ERRORED);
        assertThat(service.registry().find(0).orElseThrow().statusMessage()).isEqualTo("the engine crashed (exit code 3)");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parallel.live.get()).isZero());
        Thread.sleep(200);
        assertThat(parallel.inits.get() - before).isEqualTo(1);
        assertThat(service.registry().find(0).orElseThrow().status()).isEqualTo(BackendStatus.ERRORED);
        assertThat(service.operations().restart("0")).isEqualTo(1);
        awaitStatus(service, 0, BackendStatus.ERRORED);
    }

    @Test
    void engineOutputIsKeptAcrossRestartsAndPaged() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        service.operations().restart("0");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        OutputPage all = service.registry().output(0, 0, 100);
        assertThat(all.lines()).containsExactly("init number 1", "init number 2");
        assertThat(all.next()).isEqualTo(2);
        assertThat(service.registry().output(0, all.next(), 100).lines()).isEmpty();
        assertThat(service.registry().output(0, 1, 100).lines()).containsExactly("init number 2");
        assertThatThrownBy(() -> service.registry().output(5, 0, 10)).hasMessage("Invalid backend ID 5");
    }

    @Test
    void closeShutsEveryInstanceDown() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        service.operations().add("scripted_serial");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        awaitStatus(service, 1, BackendStatus.RUNNING);
        service.close();
        assertThat(parallel.live.get()).isZero();
        assertThat(serial.live.get()).isZero();
        assertThatThrownBy(() -> service.operations().add("scripted")).hasMessage("The server is shutting down.");
    }

    @Test
    void aDamagedFileRefusesChangesButKeepsServing() throws Exception {
        Files.writeString(data.resolve("backends.json"), "{\"schema_version\":1,");
        BackendManager service = start();
        assertThat(service.registry().list(true)).isEmpty();
        assertThatThrownBy(() -> service.operations().add("scripted")).hasMessageContaining("backends.json");
        assertThat(service.registry().list(true)).isEmpty();
        assertThat(Files.readString(data.resolve("backends.json"))).isEqualTo("{\"schema_version\":1,");
    }

    @Test
    void reportsFromAReplacedOrStoppedInstanceChangeNothing() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        BackendContext first = parallel.contexts.get(parallel.contexts.size() - 1);
        service.operations().restart("0");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        BackendContext second = parallel.contexts.get(parallel.contexts.size() - 1);
        assertThat(second).isNotSameAs(first);

        first.setStatus(BackendStatus.IDLE, "late report of the replaced instance");
        first.setStatusMessage("late message");
        first.setFeatures(Set.of("late_feature"));
        first.setMaxUsages(7);
        first.setCurrentModel("late.safetensors");
        BackendSnapshot afterLateReports = service.registry().find(0).orElseThrow();
        assertThat(afterLateReports.status()).isEqualTo(BackendStatus.RUNNING);
        assertThat(afterLateReports.statusMessage()).isEqualTo("Running.");
        assertThat(afterLateReports.features()).doesNotContain("late_feature");
        assertThat(afterLateReports.maxUsages()).isEqualTo(1);
        assertThat(afterLateReports.currentModel()).isNull();
        assertThat(first.isCurrent()).isFalse();
        assertThat(second.isCurrent()).isTrue();

        second.setStatusMessage("the current instance is heard");
        assertThat(service.registry().find(0).orElseThrow().statusMessage()).isEqualTo("the current instance is heard");

        service.operations().toggle(0, false);
        second.setStatus(BackendStatus.RUNNING, "late report of the stopped instance");
        assertThat(service.registry().find(0).orElseThrow().status()).isEqualTo(BackendStatus.DISABLED);
        assertThat(service.registry().find(0).orElseThrow().statusMessage()).isEqualTo("Disabled.");
        assertThat(second.isCurrent()).isFalse();
    }

    @Test
    void aBackendMayNotSetWaitingOrErroredItself() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        BackendContext context = parallel.contexts.get(parallel.contexts.size() - 1);

        for (BackendStatus hostOnly : List.of(BackendStatus.WAITING, BackendStatus.ERRORED)) {
            assertThatThrownBy(() -> context.setStatus(hostOnly, "not mine to set"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Backends may not set " + hostOnly + " themselves: throw from init() to report a"
                            + " failure");
        }
        assertThat(service.registry().find(0).orElseThrow().status()).isEqualTo(BackendStatus.RUNNING);
        assertThat(service.registry().find(0).orElseThrow().statusMessage()).isEqualTo("Running.");
    }

    @Test
    void aStopGivesUpWaitingForJobsAtTheDrainDeadline() throws Exception {
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);
        BackendClaim claim = service.registry().claim(0);

        // FAST drains for 2 s: the delete ends with the job still holding its slot, and the instance is gone.
        assertThat(service.operations().delete(0)).isEqualTo("Deleted.");
        assertThat(parallel.live.get()).isZero();
        assertThat(parallel.events).endsWith("shutdown 0");
        claim.close();
        claim.close();
        assertThat(service.registry().find(0)).isEmpty();
    }

    @Test
    void aBackendsWorkDirectoryIsTheOwnersAlone() throws Exception {
        Assumptions.assumeTrue(data.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Files.createDirectories(data.resolve("backends"));
        Files.setPosixFilePermissions(data.resolve("backends"), PosixFilePermissions.fromString("rwxr-xr-x"));
        BackendManager service = start();
        service.operations().add("scripted");
        awaitStatus(service, 0, BackendStatus.RUNNING);

        Path work = parallel.contexts.get(parallel.contexts.size() - 1).workDirectory();
        assertThat(work).isEqualTo(data.resolve("backends").resolve("0"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.getParent())))
                .isEqualTo("rwx------");
    }

    /** Edits as EditBackend does: the title, the settings named in {@code settings}, and maybe a new id. */
    private static BackendSnapshot edit(BackendManager service, int id, String title, JsonObject settings, int newId)
            throws BackendOperationException {
        return service.operations().edit(id, new BackendEdit(title, new JsonSettingsUpdate(settings), newId));
    }
}
