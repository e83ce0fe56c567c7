package dev.switchboard.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One backend's view of the shared scheduler: the contract of a single-thread scheduled executor, per backend. */
final class BackendSchedulerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ClassLoader pluginLoader = new URLClassLoader("plugin-a", new URL[0], getClass().getClassLoader());
    private final Logger logger = (Logger) LoggerFactory.getLogger("test.scheduler." + System.nanoTime());
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private SharedScheduler pool;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void start() {
        log.start();
        logger.addAppender(log);
        // Several workers, so serial execution is the view's doing, not a lack of threads.
        pool = new SharedScheduler(4, Duration.ofMillis(200), Duration.ofMillis(50));
        scheduler = pool.view("backend-7-scheduler", pluginLoader, logger);
    }

    @AfterEach
    void stop() {
        pool.close();
        logger.detachAppender(log);
    }

    @Test
    void tasksRunInTheOrderTheyBecomeDueOneAtATime() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        scheduler.execute(() -> awaitQuietly(gate));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = "now " + i;
            expected.add(name);
            scheduler.submit(() -> {
                mostAtOnce.accumulateAndGet(active.incrementAndGet(), Math::max);
                order.add(name);
                active.decrementAndGet();
            });
        }
        scheduler.schedule(() -> order.add("delayed 60"), 60, TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> order.add("delayed 20"), 20, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> latest = scheduler.schedule(() -> order.add("delayed 40"), 40, TimeUnit.MILLISECONDS);
        // Every delayed task is due (while the first task still holds the backend) before this one is given.
        await().atMost(PATIENCE).until(() -> latest.getDelay(TimeUnit.NANOSECONDS) <= 0);
        Future<?> after = scheduler.submit(() -> order.add("given after they were due"));
        gate.countDown();
        after.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        expected.addAll(List.of("delayed 20", "delayed 40", "delayed 60", "given after they were due"));
        assertThat(order).isEqualTo(expected);
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void tasksRunWithThePluginsClassLoaderAsTheBackendsDaemonThread() throws Exception {
        Future<List<Object>> seen = scheduler.submit(() -> {
            Thread thread = Thread.currentThread();
            return List.of(thread.getContextClassLoader(), thread.getName(), thread.isDaemon());
        });
        assertThat(seen.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .containsExactly(pluginLoader, "backend-7-scheduler", true);

        ClassLoader otherLoader = new URLClassLoader("plugin-b", new URL[0], getClass().getClassLoader());
        ScheduledExecutorService other = pool.view("backend-8-scheduler", otherLoader, logger);
        assertThat(other.submit(() -> Thread.currentThread().getContextClassLoader())
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(otherLoader);
    }

    @Test
    void differentBackendsRunAtTheSameTime() throws Exception {
        ScheduledExecutorService other = pool.view("backend-8-scheduler", pluginLoader, logger);
        CountDownLatch otherRan = new CountDownLatch(1);
        // Waits for the other backend's task: serialised behind it, neither would ever finish.
        Future<Boolean> waiting = scheduler.submit(() -> otherRan.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        other.schedule(otherRan::countDown, 10, TimeUnit.MILLISECONDS);
        assertThat(waiting.get(PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void fixedRateRunsAreCountedFromTheFirstTriggerAndFixedDelayFromTheEndOfEachRun() throws Exception {
        long period = TimeUnit.MILLISECONDS.toNanos(30);
        List<Long> rateStarts = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch rateRuns = new CountDownLatch(5);
        long scheduledAt = System.nanoTime();
        ScheduledFuture<?> rate = scheduler.scheduleAtFixedRate(() -> {
            rateStarts.add(System.nanoTime());
            rateRuns.countDown();
        }, 30, 30, TimeUnit.MILLISECONDS);
        assertThat(rateRuns.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        rate.cancel(false);
        for (int i = 0; i < 5; i++) {
            assertThat(rateStarts.get(i) - scheduledAt).as("run %d", i).isGreaterThanOrEqualTo((i + 1) * period);
        }

        List<long[]> delayRuns = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch delayed = new CountDownLatch(4);
        ScheduledFuture<?> delay = scheduler.scheduleWithFixedDelay(() -> {
            long start = System.nanoTime();
            sleepQuietly(20);
            delayRuns.add(new long[] {start, System.nanoTime()});
            delayed.countDown();
        }, 0, 30, TimeUnit.MILLISECONDS);
        assertThat(delayed.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        delay.cancel(false);
        for (int i = 1; i < 4; i++) {
            assertThat(delayRuns.get(i)[0] - delayRuns.get(i - 1)[1]).as("pause before run %d", i)
                    .isGreaterThanOrEqualTo(period);
        }
        assertThatThrownBy(() -> delay.get()).isInstanceOf(CancellationException.class);
    }

    @Test
    void aCancelledTaskNeverRunsAndAPeriodicTaskCancelledFromItselfStops() throws Exception {
        AtomicInteger ranLate = new AtomicInteger();
        ScheduledFuture<?> late = scheduler.schedule(ranLate::incrementAndGet, 50, TimeUnit.MILLISECONDS);
        assertThat(late.getDelay(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(50L);
        assertThat(late.cancel(false)).isTrue();

        AtomicInteger runs = new AtomicInteger();
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        CountDownLatch scheduled = new CountDownLatch(1);
        self.set(scheduler.scheduleAtFixedRate(() -> {
            awaitQuietly(scheduled);
            if (runs.incrementAndGet() == 3) {
                self.get().cancel(false);
            }
        }, 0, 10, TimeUnit.MILLISECONDS));
        scheduled.countDown();
        await().atMost(PATIENCE).until(() -> self.get().isCancelled());
        // Due after the cancelled task's time and after several periods: a run still coming would come first.
        scheduler.schedule(() -> { }, 100, TimeUnit.MILLISECONDS).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ranLate).hasValue(0);
        assertThat(runs).hasValue(3);
        scheduler.shutdown();
        // Nothing cancelled lingers: the view is empty at once.
        assertThat(scheduler.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void shutdownCancelsPeriodicTasksRunsDelayedOnesAndRefusesNewOnes() throws Exception {
        ScheduledFuture<?> periodic = scheduler.scheduleWithFixedDelay(() -> { }, 0, 10, TimeUnit.MILLISECONDS);
        CountDownLatch delayedRan = new CountDownLatch(1);
        ScheduledFuture<?> delayed = scheduler.schedule(delayedRan::countDown, 100, TimeUnit.MILLISECONDS);
        scheduler.shutdown();

        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(periodic.isCancelled()).isTrue();
        assertThatThrownBy(() -> scheduler.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("backend-7-scheduler is shut down");
        assertThatThrownBy(() -> scheduler.schedule(() -> { }, 1, TimeUnit.SECONDS))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(scheduler.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(delayedRan.getCount()).isZero();
        assertThat(delayed.isDone()).isTrue();
        assertThat(scheduler.isTerminated()).isTrue();
    }

    @Test
    void shutdownNowCancelsAndInterruptsOnlyThisBackendsTasks() throws Exception {
        ScheduledExecutorService other = pool.view("backend-8-scheduler", pluginLoader, logger);
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch releaseOther = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<?> mine = scheduler.submit(() -> {
            bothRunning.countDown();
            try {
                Thread.sleep(PATIENCE.toMillis() * 10);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        ScheduledFuture<?> pending = scheduler.schedule(() -> { }, 1, TimeUnit.HOURS);
        Future<Boolean> theirs = other.submit(() -> {
            bothRunning.countDown();
            awaitQuietly(releaseOther);
            return Thread.currentThread().isInterrupted();
        });
        ScheduledFuture<?> theirPeriodic = other.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        assertThat(bothRunning.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        List<Runnable> neverStarted = scheduler.shutdownNow();

        assertThat(interrupted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(neverStarted).containsExactly((Runnable) pending);
        assertThat(pending.isCancelled()).isTrue();
        assertThat(mine.isCancelled()).isTrue();
        assertThat(scheduler.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        releaseOther.countDown();
        assertThat(theirs.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("the other backend's task interrupted")
                .isFalse();
        assertThat(theirPeriodic.isDone()).isFalse();
        assertThat(other.isShutdown()).isFalse();
        assertThat(other.submit(() -> "still works").get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo("still works");
    }

    @Test
    void awaitTerminationWaitsForTheRunningTaskAndTimesOutWhileItRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        scheduler.execute(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertThat(started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        scheduler.shutdown();
        assertThat(scheduler.awaitTermination(1, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(scheduler.isTerminated()).isFalse();
        release.countDown();
        assertThat(scheduler.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void aPeriodicTaskThatThrowsStopsRepeatingCompletesExceptionallyAndIsLogged() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> failing = scheduler.scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 2) {
                throw new IllegalStateException("probe exploded");
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        assertThatThrownBy(() -> failing.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("probe exploded");
        scheduler.schedule(() -> { }, 100, TimeUnit.MILLISECONDS).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(runs).hasValue(2);
        assertThat(failing.isDone()).isTrue();
        assertThat(failing.isCancelled()).isFalse();
        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage())
                    .isEqualTo("A periodic task on backend-7-scheduler failed and will not run again");
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("probe exploded");
        });
    }

    @Test
    void aFailureGivenToExecuteIsLoggedOneGivenToSubmitIsTheCallers() throws Exception {
        Future<?> submitted = scheduler.submit(() -> {
            throw new IllegalStateException("the caller sees this");
        });
        assertThatThrownBy(() -> submitted.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .hasRootCauseMessage("the caller sees this");
        scheduler.execute(() -> {
            throw new IllegalStateException("no one else would");
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage()).isEqualTo("A task on backend-7-scheduler failed");
            assertThat(event.getThrowableProxy().getMessage()).isEqualTo("no one else would");
        }));
        assertThat(scheduler.submit(() -> 42).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .as("a failed task does not stop the scheduler").isEqualTo(42);
    }

    @Test
    void invokeAllAndInvokeAnyRunOnTheView() throws Exception {
        List<Callable<String>> calls = List.of(() -> "a" + Thread.currentThread().getName(), () -> "b", () -> "c");
        List<String> results = new ArrayList<>();
        for (Future<String> future : scheduler.invokeAll(calls)) {
            results.add(future.get());
        }
        assertThat(results).containsExactly("abackend-7-scheduler", "b", "c");
        List<Callable<String>> one = List.of(() -> "only");
        assertThat(scheduler.invokeAny(one)).isEqualTo("only");
        assertThat(scheduler.schedule(() -> "called", 5, TimeUnit.MILLISECONDS)
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("called");
        assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scheduler.scheduleWithFixedDelay(() -> { }, 0, -1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedPoolRefusesNewTasks() {
        pool.close();
        assertThatThrownBy(() -> scheduler.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessage("The server is stopping");
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
