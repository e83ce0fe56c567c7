package dev.switchboard.benchmarks.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load: {@code workers} threads each run one job after the other, starting new ones until the run's
 * time is up; the run ends when the last job started has ended. The rate is the jobs that succeeded divided by that
 * whole time; each job's latency is from its start to its end on the calling thread.
 */
final class JobLoad {
    /** One job of a worker. */
    @FunctionalInterface
    interface Job {
        void run(int worker, long seed) throws Exception;
    }

    /** What one run measured. */
    record Result(int jobs, int errors, double seconds, long[] latencyNanos, String firstError) {
        double perSecond() {
            return jobs / seconds;
        }

        /** @return the latency at quantile {@code q} (0 to 1) of the succeeded jobs, in milliseconds */
        double latencyMillis(double q) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(q * latencyNanos.length) - 1;
            return latencyNanos[Math.max(0, Math.min(latencyNanos.length - 1, index))] / 1e6;
        }
    }

    private JobLoad() {
    }

    static Result run(int workers, Duration length, AtomicLong seeds, Job job) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        List<long[]> latencies = new ArrayList<>();
        int[] errors = new int[workers];
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            long[][] mine = {new long[1024]};
            int[] count = {0};
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long began = System.nanoTime();
                    try {
                        job.run(worker, seeds.incrementAndGet());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        errors[worker]++;
                        firstError.compareAndSet(null, e.toString());
                        continue;
                    }
                    if (count[0] == mine[0].length) {
                        mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
                    }
                    mine[0][count[0]++] = System.nanoTime() - began;
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], count[0]));
                }
            }, "load-" + w);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(all.length, Arrays.stream(errors).sum(), seconds, all, firstError.get());
    }
}
