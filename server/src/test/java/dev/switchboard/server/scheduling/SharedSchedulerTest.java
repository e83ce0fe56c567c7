package dev.switchboard.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared pool under hostile tasks: one backend's task that blocks forever (ignoring interrupts), spins
 * forever or throws does not hold up another backend's periodic task, however few workers the bound allows;
 * short tasks of many backends never take more threads than the bound; and once every backend is gone, so are
 * the pool's threads.
 */
final class SharedSchedulerTest {
    private static final Duration PERIOD = Duration.ofMillis(100);
    /** Generous: a period is what the isolation promises; this only keeps a loaded machine from failing it. */
    private static final Duration BOUND = PERIOD.multipliedBy(20);
    private static final Duration PATIENCE_FOR_MANY = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(SharedSchedulerTest.class);

    /** A blocked worker is replaced after this; a spinning one after ten times this. */
    private static final Duration BLOCKED_AFTER = Duration.ofMillis(20);

    private final SharedScheduler pool = new SharedScheduler(1, Duration.ofMillis(200), BLOCKED_AFTER);
    private final CountDownLatch endOfTest = new CountDownLatch(1);

    @AfterEach
    void stop() {
        endOfTest.countDown();
        pool.close();
    }

    @Test
    void tasksThatBlockForeverOrThrowDoNotDelayAnotherBackendsPeriodicTask() throws Exception {
        ScheduledExecutorService healthy = pool.view("backend-0-scheduler", null, LOG);
        AtomicInteger ticks = new AtomicInteger();
        healthy.scheduleAtFixedRate(ticks::incrementAndGet, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(BOUND).until(() -> ticks.get() > 0);

        // More blocked backends than core workers; each blocks in its due task and ignores interrupts.
        int hostile = 4;
        CountDownLatch blocking = new CountDownLatch(hostile);
        List<ScheduledExecutorService> hostiles = new ArrayList<>();
        for (int i = 1; i <= hostile; i++) {
            ScheduledExecutorService view = pool.view("backend-" + i + "-scheduler", null, LOG);
            hostiles.add(view);
            view.execute(() -> {
                blocking.countDown();
                blockIgnoringInterrupts(endOfTest);
            });
            view.scheduleAtFixedRate(() -> {
                throw new IllegalStateException("hostile on purpose");
            }, 0, 1, TimeUnit.MILLISECONDS);
        }
        ScheduledExecutorService thrower = pool.view("backend-9-scheduler", null, LOG);
        ScheduledFuture<?> throwing = thrower.scheduleWithFixedDelay(() -> {
            throw new IllegalStateException("throws every time");
        }, 0, 1, TimeUnit.MILLISECONDS);
        assertThat(blocking.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await().atMost(BOUND).until(throwing::isDone);

        // Every further tick comes within the bound while the hostile tasks hold their workers.
        for (int tick = 0; tick < 5; tick++) {
            int before = ticks.get();
            await().atMost(BOUND).until(() -> ticks.get() > before);
        }
        // Shutting the hostile ones down does not stop (or interrupt) the healthy one.
        hostiles.forEach(ScheduledExecutorService::shutdownNow);
        int before = ticks.get();
        await().atMost(BOUND).until(() -> ticks.get() > before + 2);
        assertThat(healthy.isShutdown()).isFalse();
        assertThat(hostiles).allMatch(ScheduledExecutorService::isShutdown);
        assertThat(hostiles).as("a task that ignores its interrupt still runs").noneMatch(
                ScheduledExecutorService::isTerminated);
    }

    @Test
    void noThreadIsLeftOnceEveryBackendIsGone() throws Exception {
        List<ScheduledExecutorService> views = new ArrayList<>();
        CountDownLatch ran = new CountDownLatch(30);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 10; i++) {
            ScheduledExecutorService view = pool.view("backend-" + i + "-scheduler", null, LOG);
            views.add(view);
            view.scheduleAtFixedRate(ran::countDown, 0, 5, TimeUnit.MILLISECONDS);
            view.scheduleWithFixedDelay(() -> { }, 0, 1, TimeUnit.MILLISECONDS);
            view.schedule(() -> { }, 1, TimeUnit.HOURS);
        }
        assertThat(ran.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        CountDownLatch blocking = new CountDownLatch(views.size());
        for (ScheduledExecutorService view : views) {
            // Blocks until its backend goes away: interrupted by shutdownNow().
            view.execute(() -> {
                blocking.countDown();
                BackendSchedulerTest.awaitQuietly(release);
            });
        }
        assertThat(blocking.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        // Each blocked worker was replaced, one after the other, until every backend had its own.
        assertThat(pool.threads()).as("a worker for each blocked backend, and the timer").isGreaterThanOrEqualTo(11);

        views.forEach(ScheduledExecutorService::shutdownNow);
        for (ScheduledExecutorService view : views) {
            assertThat(view.awaitTermination(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        }
        // Idle threads end after the keep-alive (200 ms here), the timer's too once nothing is scheduled.
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.threads() == 0);
    }

    @Test
    void aTaskThatSpinsForeverDoesNotHoldUpAnotherBackend() throws Exception {
        ScheduledExecutorService healthy = pool.view("backend-0-scheduler", null, LOG);
        AtomicInteger ticks = new AtomicInteger();
        healthy.scheduleAtFixedRate(ticks::incrementAndGet, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(BOUND).until(() -> ticks.get() > 0);

        // Runnable all along, so the worker counts as blocked only after ten times BLOCKED_AFTER.
        ScheduledExecutorService spinner = pool.view("backend-1-scheduler", null, LOG);
        CountDownLatch spinning = new CountDownLatch(1);
        spinner.execute(() -> {
            spinning.countDown();
            while (endOfTest.getCount() > 0) {
                Thread.onSpinWait();
            }
        });
        assertThat(spinning.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        for (int tick = 0; tick < 5; tick++) {
            int before = ticks.get();
            await().atMost(BOUND).until(() -> ticks.get() > before);
        }
    }

    @Test
    void shortTasksOfManyBackendsNeverTakeMoreThreadsThanTheBound() throws Exception {
        // Blocked only after a second (ten seconds for a runnable thread): these tasks never count as blocked.
        int bound = 2;
        try (SharedScheduler bounded = new SharedScheduler(bound, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
            int backends = 100;
            CountDownLatch ran = new CountDownLatch(backends * 10);
            Set<Thread> workers = ConcurrentHashMap.newKeySet();
            AtomicInteger mostThreads = new AtomicInteger();
            for (int i = 0; i < backends; i++) {
                ScheduledExecutorService view = bounded.view("backend-" + i + "-scheduler", null, LOG);
                // All due at about the same moments, a little work each.
                view.scheduleAtFixedRate(() -> {
                    workers.add(Thread.currentThread());
                    mostThreads.accumulateAndGet(bounded.threads(), Math::max);
                    ran.countDown();
                }, 0, 50, TimeUnit.MILLISECONDS);
            }
            assertThat(ran.await(PATIENCE_FOR_MANY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            // The keep-alive outlasts the test, so every worker ever started is still the same thread.
            assertThat(workers).as("the threads that ran tasks").hasSizeLessThanOrEqualTo(bound);
            assertThat(mostThreads.get()).as("the workers and the timer").isLessThanOrEqualTo(bound + 1);
        }
    }

    private static void blockIgnoringInterrupts(CountDownLatch until) {
        while (true) {
            try {
                until.await();
                return;
            } catch (InterruptedException ignored) {
                // Hostile: keeps blocking.
            }
        }
    }
}
