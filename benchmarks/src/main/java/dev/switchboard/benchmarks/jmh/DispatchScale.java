package dev.switchboard.benchmarks.jmh;

import dev.switchboard.server.dispatch.DispatchOptions;
import dev.switchboard.server.dispatch.Dispatcher;
import dev.switchboard.server.dispatch.Job;
import dev.switchboard.server.dispatch.JobObserver;
import dev.switchboard.server.dispatch.QueueFullException;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link DispatcherBenchmark} for every backend count and prints jobs per second against the 10-backend
 * figure of the same run, then measures the heap that 100,000 queued jobs take (in this JVM: full collections
 * before and after queueing them behind 10 backends whose jobs block). The only argument, {@code -quick}, runs
 * one warm-up and two measured invocations per count.
 */
public final class DispatchScale {
    private DispatchScale() {
    }

    public static void main(String[] args) throws RunnerException, InterruptedException, QueueFullException {
        boolean quick = List.of(args).contains("-quick");
        OptionsBuilder options = new OptionsBuilder();
        options.include(DispatcherBenchmark.class.getName());
        if (quick) {
            options.warmupIterations(1).measurementIterations(2);
        }
        Options built = options.build();
        Collection<RunResult> results = new Runner(built).run();
        TreeMap<Integer, double[]> perSecond = new TreeMap<>();
        for (RunResult result : results) {
            int count = Integer.parseInt(result.getParams().getParam("backends"));
            // Microseconds per job: jobs per second is its inverse; the error is the 99.9 % interval's half-width.
            double us = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            perSecond.put(count, new double[] {1e6 / us, 1e6 / Math.max(1e-9, us - error), 1e6 / (us + error)});
        }
        double base = perSecond.firstEntry().getValue()[0];
        System.out.println();
        System.out.println("| running backends | jobs/s (99.9 % interval) | vs 10 backends |");
        System.out.println("| --- | --- | --- |");
        perSecond.forEach((count, rate) -> System.out.printf(Locale.ROOT, "| %,d | %,.0f (%s) | %.2fx |%n",
                count, rate[0], Double.isNaN(rate[1]) ? "-" : String.format(Locale.ROOT, "%,.0f-%,.0f", rate[2],
                        rate[1]), rate[0] / base));
        queuedMemory();
    }

    /** Heap per queued job: 100,000 jobs from 10 sessions waiting behind 10 busy backends. */
    private static void queuedMemory() throws InterruptedException, QueueFullException {
        try (BenchRegistry registry = new BenchRegistry(10, new BenchGeneratorType())) {
            Dispatcher dispatcher = new Dispatcher(registry.service().registry(), DispatchOptions.defaults(),
                    JobObserver.NONE);
            CountDownLatch release = new CountDownLatch(1);
            long before = usedAfterGc();
            // Jobs that hold their backend until released: the first 10 run, the rest wait in the queue.
            List<List<Job>> bySession = DispatcherBenchmark.jobs((job, message) -> { }, (claim, match) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long made = usedAfterGc();
            for (List<Job> jobs : bySession) {
                dispatcher.submit(jobs.get(0).sessionId(), jobs);
            }
            long queued = usedAfterGc();
            int waiting = dispatcher.queuedTotal();
            System.out.printf(Locale.ROOT, "%nqueued jobs: %,d; heap per job made (Job, its cancellation, work and"
                    + " listener): %.0f bytes; added by queueing them: %.0f bytes; in all: %.0f bytes per queued job"
                    + " (%.1f MB for %,d)%n", waiting, (made - before) / (double) DispatcherBenchmark.JOBS,
                    (queued - made) / (double) waiting, (queued - before) / (double) waiting,
                    (queued - before) / 1e6, waiting);
            release.countDown();
            dispatcher.close();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
