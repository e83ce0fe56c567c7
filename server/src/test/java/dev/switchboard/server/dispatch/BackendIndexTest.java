package dev.switchboard.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.api.settings.Settings;
import dev.switchboard.api.settings.SettingsSchema;
import dev.switchboard.server.backends.BackendSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The dispatcher's index of backends: kept current as backends change, and choosing as a full scan would. */
final class BackendIndexTest {
    private static final Settings NO_SETTINGS = new Settings(SettingsSchema.of(), Map.of());

    private static BackendSnapshot backend(int id, BackendStatus status, int maxUsages, int usages, List<String> models,
                                           String currentModel) {
        return backend(id, "fake", status, true, true, maxUsages, usages, models, currentModel, Set.of(), Set.of(),
                OptionalInt.empty());
    }

    private static BackendSnapshot backend(int id, String type, BackendStatus status, boolean enabled,
                                           boolean generates, int maxUsages, int usages, List<String> models,
                                           String currentModel, Set<String> features, Set<String> nodeTypes,
                                           OptionalInt parent) {
        Map<ModelType, List<String>> lists = models == null ? Map.of() : Map.of(ModelType.STABLE_DIFFUSION, models);
        return new BackendSnapshot(id, type, type, true, status, "", NO_SETTINGS, 0, features, enabled, "b" + id,
                maxUsages, -1, true, currentModel, parent.isEmpty(), parent, usages, generates, lists, nodeTypes);
    }

    private static JobRequirements wants(String model) {
        return new JobRequirements(model == null ? Map.of() : Map.of(ModelType.STABLE_DIFFUSION, List.of(model)),
                Set.of(), Set.of(), null, null);
    }

    private static Integer chosen(BackendIndex index, JobRequirements job) {
        BackendMatch match = index.best(job);
        return match == null ? null : match.backendId();
    }

    @Test
    void backendsThatComeAndGoAreOfferedWhileTheyAreThere() {
        BackendIndex index = new BackendIndex();
        assertThat(index.refusal(wants("a"))).isEqualTo(Dispatcher.NO_BACKENDS);

        index.put(backend(1, BackendStatus.RUNNING, 1, 0, List.of("a.safetensors"), null));
        index.put(backend(2, BackendStatus.RUNNING, 1, 0, List.of("b.safetensors"), null));
        assertThat(chosen(index, wants("A"))).isEqualTo(1);
        assertThat(index.best(wants("a")).mainModel()).isEqualTo("a.safetensors");
        assertThat(chosen(index, wants("b"))).isEqualTo(2);
        assertThat(chosen(index, wants(null))).isEqualTo(1);

        index.remove(1);
        assertThat(chosen(index, wants("a"))).isNull();
        assertThat(index.refusal(wants("a"))).isEqualTo(Dispatcher.NO_MATCH
                + "\n- Request requires model 'a' but the backend does not have that model.");
        index.remove(2);
        assertThat(index.size()).isZero();
        assertThat(index.refusal(wants("b"))).isEqualTo(Dispatcher.NO_BACKENDS);
    }

    @Test
    void aNewModelListMovesTheBackendToItsModels() {
        BackendIndex index = new BackendIndex();
        index.put(backend(1, BackendStatus.RUNNING, 1, 0, List.of("a.safetensors"), null));
        index.put(backend(1, BackendStatus.RUNNING, 1, 0, List.of("sdxl/Base.safetensors"), null));
        assertThat(chosen(index, wants("a"))).isNull();
        assertThat(index.best(wants("sdxl\\base")).mainModel()).isEqualTo("sdxl/Base.safetensors");
        // A backend that lists no main models takes any name as sent.
        index.put(backend(1, BackendStatus.RUNNING, 1, 0, null, null));
        assertThat(index.best(wants("whatever")).mainModel()).isEqualTo("whatever");
    }

    @Test
    void aBackendThatIsStartingOrBusyMakesTheJobWaitAndOneThatStoppedFailsIt() {
        BackendIndex index = new BackendIndex();
        index.put(backend(1, BackendStatus.LOADING, 1, 0, List.of("a"), null));
        assertThat(chosen(index, wants("a"))).isNull();
        assertThat(index.refusal(wants("a"))).isNull();

        index.put(backend(1, BackendStatus.RUNNING, 2, 2, List.of("a"), null));
        assertThat(chosen(index, wants("a"))).isNull();
        assertThat(index.refusal(wants("a"))).isNull();

        index.put(backend(1, BackendStatus.RUNNING, 2, 1, List.of("a"), null));
        assertThat(chosen(index, wants("a"))).isEqualTo(1);
        index.claimed(1);
        assertThat(chosen(index, wants("a"))).isNull();

        index.put(backend(1, BackendStatus.ERRORED, 2, 0, List.of("a"), null));
        assertThat(index.refusal(wants("a"))).isEqualTo(Dispatcher.NO_BACKENDS);
    }

    @Test
    void theLoadedModelThenTheFewestJobsThenTheLowestIdIsPreferred() {
        BackendIndex index = new BackendIndex();
        index.put(backend(1, BackendStatus.RUNNING, 3, 1, List.of("a", "b"), "b"));
        index.put(backend(2, BackendStatus.RUNNING, 3, 2, List.of("a", "b"), "a"));
        index.put(backend(3, BackendStatus.RUNNING, 3, 1, List.of("a", "b"), "a"));
        index.put(backend(4, BackendStatus.RUNNING, 3, 0, List.of("a", "b"), null));
        assertThat(chosen(index, wants("a"))).isEqualTo(3);
        index.claimed(3);
        // Both have a loaded and two jobs now: the lower id.
        assertThat(chosen(index, wants("a"))).isEqualTo(2);
        index.claimed(2);
        assertThat(chosen(index, wants("a"))).isEqualTo(3);
        index.claimed(3);
        // No free backend has a loaded: the one with the fewest jobs.
        assertThat(chosen(index, wants("a"))).isEqualTo(4);
        assertThat(chosen(index, wants("b"))).isEqualTo(1);
        assertThat(chosen(index, wants(null))).isEqualTo(4);
    }

    @Test
    void aBackendWhoseClaimFailedIsSkippedUntilItsNextSnapshot() {
        BackendIndex index = new BackendIndex();
        index.put(backend(1, BackendStatus.RUNNING, 1, 0, List.of("a"), null));
        index.put(backend(2, BackendStatus.RUNNING, 1, 0, List.of("a"), null));
        index.claimFailed(1);
        assertThat(index.claimsFailed()).containsExactly(1);
        assertThat(chosen(index, wants("a"))).isEqualTo(2);
        index.put(backend(1, BackendStatus.RUNNING, 1, 0, List.of("a"), null));
        assertThat(index.claimsFailed()).isEmpty();
        assertThat(chosen(index, wants("a"))).isEqualTo(1);
    }

    // ---- property: the index decides as the full scan it replaced ------------------------------------------

    private static final List<String> LISTED = List.of("a.safetensors", "A.safetensors", "a", "sdxl/base.safetensors",
            "sdxl/Base.safetensors", "b.safetensors", "a.safetensors.safetensors", "c\\d.safetensors", "c/d");
    private static final List<String> REQUESTED = List.of("a", "A", "a.safetensors", "A.SAFETENSORS", "sdxl/base",
            "sdxl\\base", "SDXL/BASE.safetensors", "b", "c/d", "c\\d", "missing");
    private static final List<BackendStatus> STATUSES = List.of(BackendStatus.RUNNING, BackendStatus.RUNNING,
            BackendStatus.RUNNING, BackendStatus.LOADING, BackendStatus.WAITING, BackendStatus.IDLE,
            BackendStatus.ERRORED, BackendStatus.DISABLED);

    @Test
    void overManyRandomStatesTheIndexChoosesWhatAFullScanChooses() {
        Random random = new Random(20261206);
        int decisions = 0;
        // How often each outcome came up: started, started with the model loaded, waited, failed.
        int[] outcomes = new int[4];
        for (int round = 0; round < 300; round++) {
            BackendIndex index = new BackendIndex();
            TreeMap<Integer, BackendSnapshot> state = new TreeMap<>();
            Set<Integer> claimFailed = new HashSet<>();
            for (int step = 0; step < 60; step++) {
                int id = random.nextInt(16) - 2;
                int op = random.nextInt(10);
                if (op == 0) {
                    state.remove(id);
                    claimFailed.remove(id);
                    index.remove(id);
                } else if (op == 1 && state.containsKey(id)) {
                    claimFailed.add(id);
                    index.claimFailed(id);
                } else {
                    BackendSnapshot next = randomBackend(random, id);
                    state.put(id, next);
                    claimFailed.remove(id);
                    index.put(next);
                }
                for (int j = 0; j < 5; j++) {
                    JobRequirements job = randomJob(random);
                    BackendMatch expected = fullScan(state.values(), claimFailed, job);
                    BackendMatch actual = index.best(job);
                    assertThat(actual).as("round %d step %d: %s over %s", round, step, job, state.values())
                            .isEqualTo(expected);
                    if (expected == null) {
                        String failure = fullScanFailure(state.values(), job);
                        assertThat(index.refusal(job)).as("round %d step %d: %s", round, step, job)
                                .isEqualTo(failure);
                        outcomes[failure == null ? 2 : 3]++;
                    } else {
                        outcomes[expected.mainModel() != null
                                && expected.mainModel().equals(state.get(expected.backendId()).currentModel()) ? 1 : 0]++;
                    }
                    if (expected != null && random.nextInt(4) == 0) {
                        // The dispatcher claimed it: one more job there, as its next snapshot will show.
                        BackendSnapshot was = state.get(expected.backendId());
                        state.put(was.id(), withUsages(was, was.usages() + 1));
                        index.claimed(was.id());
                    }
                    decisions++;
                }
            }
        }
        assertThat(decisions).isEqualTo(300 * 60 * 5);
        assertThat(Arrays.stream(outcomes).min().orElseThrow()).as("fewest of started, started loaded, waited,"
                + " failed: %s", Arrays.toString(outcomes)).isGreaterThan(500);
    }

    private static BackendSnapshot randomBackend(Random random, int id) {
        int max = random.nextInt(4);
        List<String> models = null;
        if (random.nextInt(6) > 0) {
            models = new ArrayList<>();
            for (String name : LISTED) {
                if (random.nextInt(3) == 0) {
                    models.add(name);
                }
            }
            if (random.nextBoolean()) {
                Collections.shuffle(models, random);
            }
        }
        String current = random.nextInt(4) == 0 ? null : models != null && !models.isEmpty() && random.nextBoolean()
                ? models.get(random.nextInt(models.size())) : random.nextBoolean()
                ? LISTED.get(random.nextInt(LISTED.size())) : REQUESTED.get(random.nextInt(REQUESTED.size()));
        Set<String> features = random.nextBoolean() ? Set.of("comfyui") : Set.of();
        Set<String> nodes = random.nextBoolean() ? Set.of("KSampler") : Set.of();
        OptionalInt parent = id < 0 ? OptionalInt.of(random.nextInt(4)) : OptionalInt.empty();
        BackendSnapshot made = backend(id, random.nextBoolean() ? "fake" : "other",
                STATUSES.get(random.nextInt(STATUSES.size())), random.nextInt(5) > 0, random.nextInt(6) > 0, max,
                max == 0 ? 0 : random.nextInt(max + 1), models, current, features, nodes, parent);
        if (random.nextInt(8) == 0) {
            // An image backend that is not generating yet, or one that cannot load models.
            return new BackendSnapshot(made.id(), made.typeId(), made.typeName(), random.nextBoolean(), made.status(),
                    "", NO_SETTINGS, 0, made.features(), made.enabled(), made.title(), made.maxUsages(), -1,
                    random.nextBoolean(), made.currentModel(), made.real(), made.parentId(), made.usages(), false,
                    made.models(), made.nodeTypes());
        }
        return made;
    }

    private static JobRequirements randomJob(Random random) {
        Map<ModelType, List<String>> models = new EnumMap<>(ModelType.class);
        if (random.nextInt(5) > 0) {
            models.put(ModelType.STABLE_DIFFUSION, List.of(REQUESTED.get(random.nextInt(REQUESTED.size()))));
        }
        if (random.nextInt(6) == 0) {
            models.put(ModelType.LORA, List.of("style"));
        }
        Set<String> features = random.nextInt(4) == 0 ? Set.of("comfyui") : random.nextInt(8) == 0 ? Set.of("sdxl")
                : Set.of();
        Set<String> nodes = random.nextInt(5) == 0 ? Set.of("KSampler") : Set.of();
        Integer exact = random.nextInt(8) == 0 ? random.nextInt(6) - 1 : null;
        String type = random.nextInt(8) == 0 ? "FAKE" : null;
        return new JobRequirements(models, features, nodes, exact, type);
    }

    private static BackendSnapshot withUsages(BackendSnapshot b, int usages) {
        return new BackendSnapshot(b.id(), b.typeId(), b.typeName(), b.imageBackend(), b.status(), b.statusMessage(),
                b.settings(), b.modcount(), b.features(), b.enabled(), b.title(), b.maxUsages(), b.usedAgoMillis(),
                b.canLoadModels(), b.currentModel(), b.real(), b.parentId(), usages, b.generates(), b.models(),
                b.nodeTypes());
    }

    /** The dispatcher's choice before the index: every backend judged, free matches sorted. */
    private static BackendMatch fullScan(Iterable<BackendSnapshot> backends, Set<Integer> claimFailed,
                                         JobRequirements job) {
        List<BackendMatch> matches = new ArrayList<>();
        Map<Integer, BackendSnapshot> byId = new TreeMap<>();
        for (BackendSnapshot backend : backends) {
            if (!BackendMatcher.generating(backend) || !BackendMatcher.comingOrThere(backend)) {
                continue;
            }
            BackendMatcher.Verdict verdict = BackendMatcher.judge(backend, job);
            if (verdict.matches() && BackendMatcher.free(backend) && !claimFailed.contains(backend.id())) {
                matches.add(verdict.match());
                byId.put(backend.id(), backend);
            }
        }
        matches.sort((a, b) -> {
            BackendSnapshot x = byId.get(a.backendId());
            BackendSnapshot y = byId.get(b.backendId());
            boolean xLoaded = a.mainModel() != null && a.mainModel().equals(x.currentModel());
            boolean yLoaded = b.mainModel() != null && b.mainModel().equals(y.currentModel());
            if (xLoaded != yLoaded) {
                return xLoaded ? -1 : 1;
            }
            return Integer.compare(x.usages(), y.usages());
        });
        return matches.isEmpty() ? null : matches.get(0);
    }

    /** The full scan's verdict when no free backend matched: null to wait, else the failure. */
    private static String fullScanFailure(Iterable<BackendSnapshot> backends, JobRequirements job) {
        Set<String> refusals = new LinkedHashSet<>();
        boolean anyGenerating = false;
        for (BackendSnapshot backend : backends) {
            if (!BackendMatcher.generating(backend) || !BackendMatcher.comingOrThere(backend)) {
                continue;
            }
            anyGenerating = true;
            BackendMatcher.Verdict verdict = BackendMatcher.judge(backend, job);
            if (verdict.matches()) {
                return null;
            }
            refusals.add(verdict.refusal());
        }
        if (!anyGenerating) {
            return Dispatcher.NO_BACKENDS;
        }
        return Dispatcher.NO_MATCH + "\n- " + String.join("\n- ", refusals);
    }
}
