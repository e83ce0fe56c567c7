package dev.switchboard.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.generation.ModelType;
import dev.switchboard.server.limits.UserLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fairness between users and each user's bound on running jobs, over a real backend manager. The jobs hold their
 * backend slot until the test opens their gate, so every order and count checked here is decided by the dispatcher
 * alone, never by timing.
 */
final class DispatcherUserLimitsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final JobRequirements BASE = new JobRequirements(
            Map.of(ModelType.STABLE_DIFFUSION, List.of("base")), Set.of(), Set.of(), null, null);

    @TempDir
    Path data;
    private GeneratingBackends generating;
    private Dispatcher dispatcher;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CountDownLatch> gates = new ConcurrentHashMap<>();
    /** Sessions in the order their jobs started running. */
    private final List<String> started = new CopyOnWriteArrayList<>();
    /** Per user: jobs running now, and the most ever at once. */
    private final Map<String, AtomicInteger> runningNow = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        generating = new GeneratingBackends(data);
    }

    @AfterEach
    void stop() {
        gates.values().forEach(CountDownLatch::countDown);
        if (dispatcher != null) {
            dispatcher.close();
        }
        generating.close();
    }

    private void dispatcher(UserLimits limits, DispatchOptions options) {
        dispatcher = new Dispatcher(generating.manager.registry(), options, JobObserver.NONE, limits);
    }

    /** Jobs of one session that each run until their gate is opened; queued at once. */
    private List<Job> submit(String user, String session, int count) throws QueueFullException {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = ids.incrementAndGet();
            CountDownLatch gate = new CountDownLatch(1);
            gates.put(id, gate);
            jobs.add(new Job(id, session, user, BASE, (claim, match) -> {
                int now = runningNow.computeIfAbsent(user, key -> new AtomicInteger()).incrementAndGet();
                mostAtOnce.computeIfAbsent(user, key -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    runningNow.get(user).decrementAndGet();
                }
            }, (job, message) -> {
                if (job.state() == JobState.RUNNING) {
                    started.add(job.sessionId());
                }
            }));
        }
        dispatcher.submit(session, jobs);
        return jobs;
    }

    private void open(Job job) {
        gates.get(job.id()).countDown();
        await().atMost(PATIENCE).until(() -> job.state().ended());
    }

    private static void awaitState(Job job, JobState state) {
        await().atMost(PATIENCE).until(() -> job.state() == state);
    }

    @Test
    void usersTakeTurnsFirstAndThenTheirSessions() throws Exception {
        generating.running("{\"MaxUsages\":1}");
        dispatcher(UserLimits.NONE, DispatchOptions.defaults());
        // A job of a third user holds the only slot while the others queue, so the whole order is the rotation's.
        Job gate = submit("gatekeeper", "g", 1).get(0);
        awaitState(gate, JobState.RUNNING);
        List<Job> all = new ArrayList<>();
        all.addAll(submit("ann", "a1", 3));
        all.addAll(submit("ann", "a2", 3));
        all.addAll(submit("bob", "b1", 3));
        gates.values().forEach(CountDownLatch::countDown);
        await().atMost(PATIENCE).until(() -> all.stream().allMatch(job -> job.state() == JobState.DONE));

        // Ann's two sessions share her turns; Bob, with one session, gets as many turns as she does.
        assertThat(started).containsExactly("g", "a1", "b1", "a2", "b1", "a1", "b1", "a2", "a1", "a2");
    }

    @Test
    void aUserAtTheLimitWaitsWhileOtherUsersTakeTheFreeSlots() throws Exception {
        generating.running("{\"MaxUsages\":4}");
        dispatcher(limits(Map.of("ann", 1)), DispatchOptions.defaults());
        List<Job> ann = submit("ann", "a", 3);
        List<Job> bob = submit("bob", "b", 2);
        awaitState(ann.get(0), JobState.RUNNING);
        awaitState(bob.get(0), JobState.RUNNING);
        awaitState(bob.get(1), JobState.RUNNING);

        // One slot is free and Ann is before Carl in the rotation, yet Carl's job takes it: Ann is at her limit.
        Job carl = submit("carl", "c", 1).get(0);
        awaitState(carl, JobState.RUNNING);
        assertThat(ann.get(1).state()).isEqualTo(JobState.QUEUED);
        assertThat(ann.get(2).state()).isEqualTo(JobState.QUEUED);
        assertThat(dispatcher.counts("a")).isEqualTo(new SessionCounts(2, 1));

        open(ann.get(0));
        awaitState(ann.get(1), JobState.RUNNING);
        open(ann.get(1));
        awaitState(ann.get(2), JobState.RUNNING);
        open(ann.get(2));
        assertThat(mostAtOnce.get("ann")).hasValue(1);
        assertThat(mostAtOnce.get("bob")).hasValue(2);
    }

    @Test
    void theLimitCountsAllOfAUsersSessions() throws Exception {
        generating.running("{\"MaxUsages\":4}");
        dispatcher(limits(Map.of("ann", 2)), DispatchOptions.defaults());
        List<Job> ann = new ArrayList<>(submit("ann", "a1", 2));
        ann.addAll(submit("ann", "a2", 2));
        // Bob's job running proves a round looked at Ann with two slots free after it.
        Job bob = submit("bob", "b", 1).get(0);
        awaitState(bob, JobState.RUNNING);
        await().atMost(PATIENCE).until(() -> running(ann) == 2);

        assertThat(ann.stream().filter(job -> job.state() == JobState.QUEUED)).hasSize(2);
        assertThat(dispatcher.counts("a1").running() + dispatcher.counts("a2").running()).isEqualTo(2);
        for (int next = 0; next < 4; next++) {
            Job runningJob = ann.stream().filter(job -> job.state() == JobState.RUNNING).findFirst().orElseThrow();
            open(runningJob);
            int left = 3 - next;
            await().atMost(PATIENCE).until(() -> running(ann) == Math.min(2, left));
        }
        assertThat(mostAtOnce.get("ann")).hasValue(2);
    }

    private static long running(List<Job> jobs) {
        return jobs.stream().filter(job -> job.state() == JobState.RUNNING).count();
    }

    @Test
    void aRaisedLimitTakesEffectWhenTheDispatcherIsTold() throws Exception {
        generating.running("{\"MaxUsages\":2}");
        AtomicInteger annLimit = new AtomicInteger(0);
        dispatcher(new UserLimits() {
            @Override
            public int maxRunning(String user) {
                return user.equals("ann") ? annLimit.get() : Integer.MAX_VALUE;
            }

            @Override
            public boolean mayUseModel(String user, String model) {
                return true;
            }
        }, DispatchOptions.defaults());
        Job ann = submit("ann", "a", 1).get(0);
        Job bob = submit("bob", "b", 1).get(0);
        awaitState(bob, JobState.RUNNING);
        assertThat(ann.state()).isEqualTo(JobState.QUEUED);

        annLimit.set(1);
        dispatcher.limitsChanged();
        awaitState(ann, JobState.RUNNING);
    }

    @Test
    void aJobWaitingBehindItsUsersLimitStillTimesOut() throws Exception {
        generating.running("{\"MaxUsages\":4}");
        dispatcher(limits(Map.of("ann", 1)), new DispatchOptions(10, 10, Duration.ofSeconds(1),
                DispatchOptions.DEFAULT_JOB_TIMEOUT));
        List<String> messages = new CopyOnWriteArrayList<>();
        List<Job> ann = submit("ann", "a", 1);
        awaitState(ann.get(0), JobState.RUNNING);
        Job waiting = new Job(ids.incrementAndGet(), "a", "ann", BASE, (claim, match) -> { },
                (job, message) -> messages.add(job.state() + ": " + message));
        dispatcher.submit("a", List.of(waiting));

        awaitState(waiting, JobState.FAILED);
        assertThat(messages).containsExactly("FAILED: " + Dispatcher.TIMEOUT);
        assertThat(ann.get(0).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void withoutLimitsOneUserRunsAsManyJobsAsThereAreSlots() throws Exception {
        generating.running("{\"MaxUsages\":3}");
        dispatcher = new Dispatcher(generating.manager.registry(), DispatchOptions.defaults(), JobObserver.NONE);
        List<Job> jobs = submit("local", "s1", 3);
        jobs.forEach(job -> awaitState(job, JobState.RUNNING));
        assertThat(mostAtOnce.get("local")).hasValue(3);
        jobs.forEach(this::open);
    }

    /** Each named user may run that many jobs at once; everyone else any number; every model is allowed. */
    private static UserLimits limits(Map<String, Integer> maxRunning) {
        return new UserLimits() {
            @Override
            public int maxRunning(String user) {
                return maxRunning.getOrDefault(user, Integer.MAX_VALUE);
            }

            @Override
            public boolean mayUseModel(String user, String model) {
                return true;
            }
        };
    }
}
