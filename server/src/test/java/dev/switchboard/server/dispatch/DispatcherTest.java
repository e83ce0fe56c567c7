package dev.switchboard.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationOutput;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.backends.BackendManager;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher over a real backend manager whose backends generate in-process. */
final class DispatcherTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path data;
    private GeneratingBackends generating;
    private FakeGeneratorType fake;
    private BackendManager backends;
    private Dispatcher dispatcher;
    private final AtomicLong ids = new AtomicLong();
    /** Every state each job went through, with the message of its end. */
    private final Map<Long, List<String>> history = new ConcurrentHashMap<>();
    /** Job ids in the order they ended. */
    private final List<Long> ended = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        generating = new GeneratingBackends(data);
        fake = generating.fake;
        backends = generating.manager;
        dispatcher = new Dispatcher(backends.registry(), DispatchOptions.defaults(), JobObserver.NONE);
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        generating.close();
    }

    private int backend(String settingsJson) throws Exception {
        return generating.running(settingsJson);
    }

    private Job job(String session, String model, Map<Long, List<byte[]>> images) {
        return job(session, requirements(model), images);
    }

    private static JobRequirements requirements(String model) {
        return new JobRequirements(model == null ? Map.of() : Map.of(ModelType.STABLE_DIFFUSION, List.of(model)),
                Set.of(), Set.of(), null, null);
    }

    private Job job(String session, JobRequirements requirements, Map<Long, List<byte[]>> images) {
        long id = ids.incrementAndGet();
        List<byte[]> made = Collections.synchronizedList(new ArrayList<>());
        images.put(id, made);
        Job[] self = new Job[1];
        self[0] = new Job(id, session, "local", requirements, (claim, match) -> {
            GenerationParameters parameters = GenerationParameters.builder().model(match.mainModel()).size(64, 48)
                    .seed(id).build();
            claim.generate(new GenerationJob("job-" + id, parameters, self[0].cancellation()), new GenerationOutput() {
                @Override
                public void progress(double overall, double current) {
                }

                @Override
                public void preview(byte[] image, String mediaType) {
                }

                @Override
                public void image(byte[] data, String mediaType) {
                    made.add(data);
                }
            }, Duration.ofMinutes(1));
            if (match.mainModel() != null) {
                claim.setCurrentModel(match.mainModel());
            }
        }, (job, message) -> {
            history.computeIfAbsent(job.id(), key -> new CopyOnWriteArrayList<>())
                    .add(job.state() + (message == null ? "" : ": " + message));
            if (job.state().ended()) {
                ended.add(job.id());
            }
        });
        return self[0];
    }

    private void awaitEnd(Job job) {
        await().atMost(PATIENCE).until(() -> job.state().ended());
    }

    @Test
    void aJobRunsOnAFreeBackendThatListsItsModelAndGetsTheListedName() throws Exception {
        int other = backend("{\"Models\":\"other.safetensors\"}");
        int wanted = backend("{\"Models\":\"sdxl/Base.safetensors\"}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job job = job("s1", "sdxl/base", images);

        dispatcher.submit("s1", List.of(job));
        awaitEnd(job);

        assertThat(history.get(job.id())).containsExactly("RUNNING", "DONE");
        assertThat(job.backendId()).hasValue(wanted).isNotEqualTo(other);
        assertThat(fake.runs).singleElement().satisfies(run -> assertThat(run.job().parameters().model())
                .contains("sdxl/Base.safetensors"));
        byte[] png = images.get(job.id()).get(0);
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(64);
        assertThat(backends.registry().find(wanted).orElseThrow().currentModel()).isEqualTo("sdxl/Base.safetensors");
        assertThat(backends.registry().find(wanted).orElseThrow().usages()).isZero();
    }

    @Test
    void aFreeBackendWithTheModelLoadedIsPreferred() throws Exception {
        backend("{\"Models\":\"a.safetensors,b.safetensors\",\"MaxUsages\":2}");
        int second = backend("{\"Models\":\"a.safetensors,b.safetensors\",\"MaxUsages\":2}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        // Pin a first job to the second backend so it loads b; then b goes there again, a to the first.
        Job pinned = job("s1", new JobRequirements(Map.of(ModelType.STABLE_DIFFUSION, List.of("b")), Set.of(),
                Set.of(), second, null), images);
        dispatcher.submit("s1", List.of(pinned));
        awaitEnd(pinned);

        Job again = job("s1", "b", images);
        dispatcher.submit("s1", List.of(again));
        awaitEnd(again);
        assertThat(again.backendId()).hasValue(second);
    }

    @Test
    void noBackendEverRunsMoreJobsThanItsMaxUsages() throws Exception {
        List<Integer> ids = List.of(backend("{\"MaxUsages\":2,\"Steps\":3,\"StepMillis\":5}"),
                backend("{\"MaxUsages\":1,\"Steps\":3,\"StepMillis\":5}"),
                backend("{\"MaxUsages\":3,\"Steps\":3,\"StepMillis\":5}"));
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        List<Job> all = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> submitted = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            String session = "session-" + client;
            submitted.add(clients.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    Job job = job(session, "base", images);
                    all.add(job);
                    dispatcher.submit(session, List.of(job));
                }
                return null;
            }));
        }
        for (Future<?> future : submitted) {
            future.get();
        }
        clients.shutdown();
        await().atMost(Duration.ofMinutes(2)).until(() -> all.stream().allMatch(job -> job.state().ended()));

        assertThat(all).hasSize(200).allSatisfy(job -> assertThat(job.state()).isEqualTo(JobState.DONE));
        assertThat(fake.mostAtOnce(ids.get(0))).isBetween(1, 2);
        assertThat(fake.mostAtOnce(ids.get(1))).isEqualTo(1);
        assertThat(fake.mostAtOnce(ids.get(2))).isBetween(1, 3);
        assertThat(fake.runs).hasSize(200);
    }

    @Test
    void sessionsAreServedRoundRobin() throws Exception {
        backend("{\"Steps\":1,\"StepMillis\":20}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        List<Job> big = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            big.add(job("big", "base", images));
        }
        dispatcher.submit("big", big);
        List<Job> small = List.of(job("small", "base", images), job("small", "base", images),
                job("small", "base", images));
        dispatcher.submit("small", small);
        await().atMost(PATIENCE).until(() -> small.stream().allMatch(job -> job.state().ended()));

        // One backend, one slot: once the small session queued, the two sessions alternate.
        int lastSmall = ended.indexOf(small.get(2).id());
        long bigBefore = ended.subList(0, lastSmall).stream().filter(id -> big.stream().anyMatch(job -> job.id() == id))
                .count();
        assertThat(bigBefore).as("big-session jobs that ended before the small session's last").isLessThanOrEqualTo(5);
        await().atMost(PATIENCE).until(() -> big.stream().allMatch(job -> job.state().ended()));
    }

    @Test
    void withoutAGeneratingBackendAJobFailsAtOnce() throws Exception {
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job job = job("s1", "base", images);
        dispatcher.submit("s1", List.of(job));
        awaitEnd(job);
        assertThat(history.get(job.id())).containsExactly("FAILED: No backends available!");
    }

    @Test
    void whenNoBackendMatchesTheJobFailsWithEachReason() throws Exception {
        int id = backend("{\"Models\":\"one.safetensors\"}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job missingModel = job("s1", "two", images);
        Job missingFeature = job("s1", new JobRequirements(Map.of(), Set.of("comfyui"), Set.of(), null, null), images);
        Job missingNode = job("s1", new JobRequirements(Map.of(), Set.of(), Set.of("KSampler"), null, null), images);
        Job otherBackend = job("s1", new JobRequirements(Map.of(), Set.of(), Set.of(), id + 7, null), images);
        dispatcher.submit("s1", List.of(missingModel, missingFeature, missingNode, otherBackend));
        List.of(missingModel, missingFeature, missingNode, otherBackend).forEach(this::awaitEnd);

        String prefix = "FAILED: No backends match the settings of the request given! Backends refused for the"
                + " following reason(s):\n- ";
        assertThat(history.get(missingModel.id())).containsExactly(prefix
                + "Request requires model 'two' but the backend does not have that model.");
        assertThat(history.get(missingFeature.id())).containsExactly(prefix
                + "Request requires flag 'comfyui' which is not present on the backend.");
        assertThat(history.get(missingNode.id())).containsExactly(prefix
                + "The custom workflow contains an unsupported node type 'KSampler'.");
        assertThat(history.get(otherBackend.id())).containsExactly(prefix + "Backend " + id
                + " is not the backend " + (id + 7) + " the request asked for.");
    }

    @Test
    void aJobWaitsForABackendThatIsStillStarting() throws Exception {
        int id = generating.add("{\"InitMillis\":1500}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job job = job("s1", "base", images);
        dispatcher.submit("s1", List.of(job));
        awaitEnd(job);
        assertThat(history.get(job.id())).containsExactly("RUNNING", "DONE");
        assertThat(job.backendId()).hasValue(id);
    }

    @Test
    void aJobThatWaitsPastTheQueueTimeoutFailsWithSwarmUisText() throws Exception {
        dispatcher.close();
        dispatcher = new Dispatcher(backends.registry(), new DispatchOptions(10, 10, Duration.ofMillis(300),
                Duration.ofMinutes(1)), JobObserver.NONE);
        backend("{\"Steps\":1,\"StepMillis\":3000}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job busy = job("s1", "base", images);
        Job waiting = job("s2", "base", images);
        dispatcher.submit("s1", List.of(busy));
        await().atMost(PATIENCE).until(() -> busy.state() == JobState.RUNNING);
        dispatcher.submit("s2", List.of(waiting));
        awaitEnd(waiting);
        assertThat(history.get(waiting.id())).containsExactly("FAILED: Timeout! All backends are occupied with other"
                + " tasks.");
        awaitEnd(busy);
        assertThat(busy.state()).isEqualTo(JobState.DONE);
    }

    @Test
    void aSubmissionThatPassesAQueueBoundQueuesNothing() throws Exception {
        dispatcher.close();
        dispatcher = new Dispatcher(backends.registry(), new DispatchOptions(3, 5, Duration.ofMinutes(1),
                Duration.ofMinutes(1)), JobObserver.NONE);
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        // No backend yet, so queued jobs would fail at once: fill the queue while one is starting.
        generating.add("{\"InitMillis\":3000}");
        dispatcher.submit("a", List.of(job("a", "base", images), job("a", "base", images)));
        assertThatThrownBy(() -> dispatcher.submit("a", List.of(job("a", "base", images), job("a", "base", images))))
                .isInstanceOf(QueueFullException.class).hasMessage("Too many generations are waiting for this session"
                        + " (2 waiting, 2 more asked, at most 3). Nothing was queued.");
        assertThat(dispatcher.counts("a")).isEqualTo(new SessionCounts(2, 0));
        dispatcher.submit("b", List.of(job("b", "base", images), job("b", "base", images)));
        assertThatThrownBy(() -> dispatcher.submit("c", List.of(job("c", "base", images), job("c", "base", images))))
                .isInstanceOf(QueueFullException.class).hasMessage("The server's queue is full (4 generations waiting,"
                        + " at most 5). Nothing was queued; try again later.");
        assertThat(dispatcher.queuedTotal()).isEqualTo(4);
    }

    @Test
    void cancellingEndsAQueuedJobAtOnceAndARunningOnePromptly() throws Exception {
        backend("{\"Steps\":100,\"StepMillis\":100}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job running = job("s1", "base", images);
        Job queued = job("s1", "base", images);
        dispatcher.submit("s1", List.of(running, queued));
        await().atMost(PATIENCE).until(() -> running.state() == JobState.RUNNING);
        assertThat(dispatcher.counts("s1")).isEqualTo(new SessionCounts(1, 1));

        dispatcher.cancel(queued, "Generation session interrupted.");
        assertThat(queued.state()).isEqualTo(JobState.CANCELLED);
        long cancelled = System.nanoTime();
        dispatcher.cancel(running, "Generation session interrupted.");
        awaitEnd(running);
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(10));
        assertThat(history.get(running.id())).containsExactly("RUNNING", "CANCELLED: Generation session interrupted.");
        assertThat(images.get(running.id())).isEmpty();
        await().atMost(PATIENCE).until(() -> dispatcher.counts("s1").equals(new SessionCounts(0, 0)));
    }

    @Test
    void aBackendStoppedMidJobFailsTheJobWithTheReason() throws Exception {
        int id = backend("{\"Steps\":100,\"StepMillis\":100}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job job = job("s1", "base", images);
        dispatcher.submit("s1", List.of(job));
        await().atMost(PATIENCE).until(() -> job.state() == JobState.RUNNING);

        backends.operations().toggle(id, false);
        awaitEnd(job);
        assertThat(history.get(job.id())).containsExactly("RUNNING",
                "FAILED: Backend " + id + " stopped while running the job: Disabled.");
    }

    @Test
    void aGeneratorsOwnFailureReachesTheClientAsIs() throws Exception {
        backend("{\"Fail\":\"ComfyUI execution error: out of memory\"}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job job = job("s1", "base", images);
        dispatcher.submit("s1", List.of(job));
        awaitEnd(job);
        assertThat(history.get(job.id())).containsExactly("RUNNING", "FAILED: ComfyUI execution error: out of memory");
    }

    @Test
    void aGeneratorThatIgnoresCancellationKeepsItsSlotUntilItReturns() throws Exception {
        int id = backend("{\"Steps\":1,\"StepMillis\":12000,\"IgnoreCancel\":true}");
        Map<Long, List<byte[]>> images = new ConcurrentHashMap<>();
        Job stubborn = job("s1", "base", images);
        dispatcher.submit("s1", List.of(stubborn));
        await().atMost(PATIENCE).until(() -> stubborn.state() == JobState.RUNNING);
        dispatcher.cancel(stubborn, "Generation session interrupted.");
        awaitEnd(stubborn);
        assertThat(stubborn.state()).isEqualTo(JobState.CANCELLED);

        Job next = job("s1", "base", images);
        dispatcher.submit("s1", List.of(next));
        await().atMost(PATIENCE).until(() -> next.state() == JobState.RUNNING);
        assertThat(fake.mostAtOnce(id)).isEqualTo(1);
        awaitEnd(next);
    }
}
