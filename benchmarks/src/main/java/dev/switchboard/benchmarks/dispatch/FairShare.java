package dev.switchboard.benchmarks.dispatch;

import java.util.List;

/**
 * Per-session throughput while every session has work, and Jain's fairness index over it. The window opens when
 * the last session's request was accepted (all have jobs queued from then on) and closes when the first session's
 * last job ends (from then on one has no more work, and the others rightly get its share). Each session's rate is
 * the jobs of it that ended inside the window over the window's length.
 *
 * @param windowStart when the window opens (nanoseconds, {@link System#nanoTime()})
 * @param windowEnd when it closes
 * @param rates each session's jobs per second inside the window, in the sessions' order
 */
record FairShare(long windowStart, long windowEnd, double[] rates) {
    /**
     * Computes the window and the rates.
     *
     * @param acceptedAt when each session's request was accepted
     * @param endTimes when each of each session's jobs ended
     * @throws IllegalArgumentException when the window is empty (a session ended before the last one started)
     */
    static FairShare of(long[] acceptedAt, List<List<Long>> endTimes) {
        long start = Long.MIN_VALUE;
        for (long accepted : acceptedAt) {
            start = Math.max(start, accepted);
        }
        long end = Long.MAX_VALUE;
        for (List<Long> times : endTimes) {
            end = Math.min(end, times.stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE));
        }
        if (end <= start) {
            throw new IllegalArgumentException("a session ran out of work before the last one began");
        }
        FairShare window = new FairShare(start, end, new double[endTimes.size()]);
        for (int i = 0; i < endTimes.size(); i++) {
            long inside = endTimes.get(i).stream().filter(t -> t > window.windowStart() && t <= window.windowEnd())
                    .count();
            window.rates()[i] = inside / window.seconds();
        }
        return window;
    }

    /** @return the window's length in seconds */
    double seconds() {
        return (windowEnd - windowStart) / 1e9;
    }

    /** @return Jain's index (sum x)^2 / (n * sum x^2): 1 when every session got the same rate, 1/n when one got all */
    double jainIndex() {
        double sum = 0;
        double squares = 0;
        for (double rate : rates) {
            sum += rate;
            squares += rate * rate;
        }
        return squares == 0 ? Double.NaN : sum * sum / (rates.length * squares);
    }
}
