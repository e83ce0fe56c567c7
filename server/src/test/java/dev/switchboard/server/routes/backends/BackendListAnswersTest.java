package dev.switchboard.server.routes.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.api.Backend;
import dev.switchboard.api.BackendContext;
import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.BackendType;
import dev.switchboard.api.InitMode;
import dev.switchboard.api.settings.SettingDefinition;
import dev.switchboard.api.settings.SettingType;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.server.backends.BackendClaim;
import dev.switchboard.server.backends.BackendEdit;
import dev.switchboard.server.backends.BackendManager;
import dev.switchboard.server.backends.BackendOperationException;
import dev.switchboard.server.backends.BackendSnapshot;
import dev.switchboard.server.backends.LifecycleOptions;
import dev.switchboard.server.backends.ServerIdentity;
import dev.switchboard.server.http.ApiJson;
import dev.switchboard.server.plugins.BackendTypeRegistry;
import dev.switchboard.server.plugins.PluginCallRunner;
import dev.switchboard.server.plugins.RegisteredBackendType;
import dev.switchboard.server.routes.backends.JsonSettingsUpdate;
import dev.switchboard.server.store.BackendStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kept ListBackends answer against a real service: never older than what was acknowledged. */
class BackendListAnswersTest {
    @TempDir
    Path data;
    private BackendStore store;
    private PluginCallRunner runner;
    private BackendManager service;
    private final TestClock clock = new TestClock();
    private BackendListAnswers answers;

    @BeforeEach
    void start() throws Exception {
        BackendType type = new QuickType();
        RegisteredBackendType registered = new RegisteredBackendType(type.id(), type.displayName(),
                type.description(), true, true, type.initMode(), Duration.ofSeconds(5), type.settingsSchema(), type,
                "tests", getClass().getClassLoader());
        store = BackendStore.open(data);
        runner = new PluginCallRunner();
        service = new BackendManager(store, BackendTypeRegistry.of(List.of(registered)), runner,
                new ServerIdentity("server-1", "test"), LifecycleOptions.defaults(), data.resolve("backends"));
        service.start();
        answers = new BackendListAnswers(service.registry(), clock);
    }

    @AfterEach
    void stop() {
        service.close();
        runner.close();
        store.close();
    }

    /**
     * Each client changes only its own backend (title, enabled, delete and re-add, claims that mark it used,
     * restarts whose inits change its status and features) and then reads the kept answer, which must show
     * what it just did, while another thread keeps reading the answer so it is kept at every version.
     */
    @Test
    void aKeptAnswerShowsEveryChangeAcknowledgedBeforeTheRequest() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        Future<?> reader = threads.submit(() -> {
            while (!done.get()) {
                answers.answer(false, false);
                answers.answer(false, true);
            }
            return null;
        });
        List<Future<Integer>> clients = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            int number = client;
            clients.add(threads.submit(() -> runClient(number)));
        }
        int checked = 0;
        for (Future<Integer> client : clients) {
            checked += client.get();
        }
        done.set(true);
        reader.get();
        threads.shutdown();
        assertThat(checked).isEqualTo(4 * 150);

        // Once everything has settled, the kept answer is exactly a fresh rendering at the same moment.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(service.registry().list(false))
                .allSatisfy(backend -> assertThat(backend.status()).isIn(BackendStatus.RUNNING, BackendStatus.DISABLED)));
        long now = clock.freeze(System.nanoTime());
        for (boolean fullData : new boolean[] {false, true}) {
            assertThat(answers.answer(false, fullData).toString()).isEqualTo(fresh(fullData, now));
        }
    }

    private int runClient(int number) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int id = service.operations().add(QuickType.ID).id();
        boolean enabled = true;
        String title = "";
        int checked = 0;
        for (int step = 0; step < 150; step++) {
            switch (random.nextInt(5)) {
                case 0 -> {
                    title = "client " + number + " step " + step;
                    edit(service, id, title, new JsonObject(), -1);
                }
                case 1 -> {
                    enabled = !enabled;
                    service.operations().toggle(id, enabled);
                }
                case 2 -> {
                    service.operations().delete(id);
                    assertThat(listed(false).has(Integer.toString(id))).as("listed after deleting %d", id).isFalse();
                    id = service.operations().add(QuickType.ID).id();
                    enabled = true;
                    title = "";
                }
                case 3 -> {
                    if (claimIfRunning(id)) {
                        JsonObject view = listed(false).getAsJsonObject(Integer.toString(id));
                        assertThat(view.get("time_since_used").getAsString()).isNotEqualTo("Never");
                    }
                }
                default -> service.operations().restart(Integer.toString(id));
            }
            JsonObject view = listed(random.nextBoolean()).getAsJsonObject(Integer.toString(id));
            assertThat(view).as("backend %d after step %d", id, step).isNotNull();
            assertThat(view.get("title").getAsString()).isEqualTo(title);
            assertThat(view.get("enabled").getAsBoolean()).isEqualTo(enabled);
            checked++;
        }
        return checked;
    }

    private boolean claimIfRunning(int id) {
        try (BackendClaim ignored = service.registry().claim(id)) {
            return true;
        } catch (Exception notRunning) {
            return false;
        }
    }

    @Test
    void theTimeSinceUseAdvancesWithTheClockAlone() throws Exception {
        int id = service.operations().add(QuickType.ID).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> service.registry().find(id).orElseThrow().status() == BackendStatus.RUNNING);
        assertThat(listed(false).getAsJsonObject(Integer.toString(id)).get("time_since_used").getAsString())
                .isEqualTo("Never");
        service.registry().claim(id).close();
        long version = service.registry().viewVersion();
        // The clock, frozen at the moment of the release (to the millisecond), then moved on by hand.
        long now = System.nanoTime();
        long usedAgo = service.registry().list(false, now).get(0).usedAgoMillis();
        long released = clock.freeze(now - TimeUnit.MILLISECONDS.toNanos(usedAgo));

        assertThat(listed(false).getAsJsonObject(Integer.toString(id)).get("time_since_used").getAsString())
                .isEqualTo("0 seconds ago");
        clock.freeze(released + TimeUnit.MILLISECONDS.toNanos(999));
        assertThat(listed(false).getAsJsonObject(Integer.toString(id)).get("time_since_used").getAsString())
                .isEqualTo("0 seconds ago");
        long later = clock.freeze(released + TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(listed(false).getAsJsonObject(Integer.toString(id)).get("time_since_used").getAsString())
                .isEqualTo("1 second ago");
        assertThat(service.registry().viewVersion()).as("nothing but the clock moved").isEqualTo(version);
        assertThat(answers.answer(false, false).toString()).isEqualTo(fresh(false, later));
    }

    private JsonObject listed(boolean fullData) {
        return JsonParser.parseString(answers.answer(false, fullData).toString()).getAsJsonObject();
    }

    private String fresh(boolean fullData, long nowNanos) {
        JsonObject result = new JsonObject();
        for (BackendSnapshot backend : service.registry().list(false, nowNanos)) {
            result.add(Integer.toString(backend.id()), BackendViews.backend(backend, fullData));
        }
        return ApiJson.write(result);
    }

    /** {@link System#nanoTime()} until frozen at a reading of the test's choice. */
    private static final class TestClock implements LongSupplier {
        private volatile long frozen;
        private volatile boolean isFrozen;

        long freeze(long nanos) {
            frozen = nanos;
            isFrozen = true;
            return nanos;
        }

        @Override
        public long getAsLong() {
            return isFrozen ? frozen : System.nanoTime();
        }
    }

    /** Runs at once; its init advertises a feature and a model, so an init changes what the list shows. */
    private static final class QuickType implements BackendType {
        static final String ID = "quick";

        @Override
        public String id() {
            return ID;
        }

        @Override
        public String displayName() {
            return "Quick";
        }

        @Override
        public String description() {
            return "for tests";
        }

        @Override
        public InitMode initMode() {
            return InitMode.PARALLEL;
        }

        @Override
        public SettingsSchema settingsSchema() {
            return SettingsSchema.of(SettingDefinition.builder("Address", SettingType.TEXT).defaultValue("").build());
        }

        @Override
        public Backend create(BackendContext context) {
            return new Backend() {
                @Override
                public void init() {
                    context.setFeatures(Set.of("quick", "run" + ThreadLocalRandom.current().nextInt(1000)));
                    context.setCurrentModel("model-" + ThreadLocalRandom.current().nextInt(1000));
                }

                @Override
                public void shutdown() {
                }
            };
        }
    }

    /** Edits as EditBackend does: the title, the settings named in {@code settings}, and maybe a new id. */
    private static BackendSnapshot edit(BackendManager service, int id, String title, JsonObject settings, int newId)
            throws BackendOperationException {
        return service.operations().edit(id, new BackendEdit(title, new JsonSettingsUpdate(settings), newId));
    }
}
