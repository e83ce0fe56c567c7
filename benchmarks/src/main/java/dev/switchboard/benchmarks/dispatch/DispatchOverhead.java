package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Dispatch overhead: {@code DispatchOverhead <stand-ins> <concurrency> <warm-up-s> <run-s> <rounds>}. Hosts the
 * stand-ins (zero time per step) and hands their ports to {@code run.sh} ({@link StandInFarm}), which starts
 * Switchboard with one {@code comfyui_api} backend per stand-in ({@code OverQueue} 0) and sends {@code go <url> <pid>}.
 * Then the same zero-time job (64x64, one step) runs two ways with the same number of jobs in flight: through
 * Switchboard ({@code GenerateText2Image}, one image, {@code donotsave}, over HTTP) and directly against the
 * stand-ins by {@link DirectComfyUi}, each worker on a stand-in of its own. After a warm-up of each way, {@code rounds}
 * adjacent pairs of runs (Switchboard first in odd pairs, second in even ones) at the given concurrency, then as
 * many pairs with one job at a time, for the latency a job gains by going through Switchboard. Prints
 * {@code throughput <sb/s> <direct/s> <median pair ratio> <lowest> <highest>},
 * {@code loaded_latency <sb p50> <direct p50> <sb p99> <direct p99>} (ms, means over the concurrent runs),
 * {@code latency <sb p50> <direct p50> <median pair difference of p50> <sb p99> <direct p99> <median pair
 * difference of p99>} (ms, one job at a time), {@code cpu_ms_per_job <Switchboard> <this JVM, via Switchboard>
 * <this JVM, direct> <Switchboard, idle beside the direct runs, per direct job>} (over the measured runs; -1 without
 * the pid), {@code history_reads_per_job <via Switchboard>
 * <direct>} (above 1: the entry was not there yet after {@code execution_success} and the reader paused 50 ms before
 * asking again), {@code errors <n>}, {@code prompts <n>} (as the
 * stand-ins counted) and {@code most_at_once <held> <unfinished>} (the most prompts any stand-in held at once, by
 * {@link ComfyUiStandIn#mostPromptsAtOnce()} and {@link ComfyUiStandIn#mostUnfinishedPromptsAtOnce()}).
 */
public final class DispatchOverhead {
    private final StandInFarm farm;
    private final List<String> standInUrls = new ArrayList<>();
    private final ProcessCpu cpu;
    private final SwitchboardClient switchboard;
    private final DirectComfyUi direct;
    private final String session;
    private final AtomicLong seeds = new AtomicLong();
    /** Over the measured runs, per way (0: via Switchboard, 1: direct): jobs, and CPU of Switchboard and of this JVM. */
    private final long[] jobs = new long[2];
    private final long[] switchboardCpu = new long[2];
    private final long[] ownCpu = new long[2];
    /** Per way, the history reads the stand-ins answered over the measured runs: more than one a job means retries. */
    private final long[] historyReads = new long[2];
    private int errors;

    private DispatchOverhead(StandInFarm farm, StandInFarm.Go go) throws IOException, InterruptedException {
        this.farm = farm;
        farm.standIns().forEach(standIn -> standInUrls.add(standIn.baseUrl()));
        this.cpu = new ProcessCpu(go.pid());
        this.switchboard = new SwitchboardClient(newHttpClient(), go.url());
        this.direct = new DirectComfyUi(newHttpClient());
        this.session = switchboard.newSession();
    }

    public static void main(String[] args) throws Exception {
        int standIns = Integer.parseInt(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        Duration warmUp = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration run = Duration.ofSeconds(Long.parseLong(args[3]));
        int rounds = Integer.parseInt(args[4]);
        try (StandInFarm farm = StandInFarm.start(standIns, Duration.ZERO)) {
            DispatchOverhead bench = new DispatchOverhead(farm, farm.announceAndAwaitGo());
            bench.measure(concurrency, warmUp, run, rounds);
        }
    }

    private void measure(int concurrency, Duration warmUp, Duration length, int rounds) throws InterruptedException {
        log("warming up each way for %ds at %d jobs at once", warmUp.toSeconds(), concurrency);
        pass(true, concurrency, warmUp, false);
        pass(false, concurrency, warmUp, false);
        List<JobLoad.Result[]> loaded = pairs(concurrency, length, rounds);
        List<JobLoad.Result[]> single = pairs(1, length, rounds);

        List<Double> ratios = new ArrayList<>();
        loaded.forEach(pair -> ratios.add(pair[0].perSecond() / pair[1].perSecond()));
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (JobLoad.Result[] pair : single) {
            p50.add(pair[0].latencyMillis(0.5) - pair[1].latencyMillis(0.5));
            p99.add(pair[0].latencyMillis(0.99) - pair[1].latencyMillis(0.99));
        }
        out("throughput %.1f %.1f %.2f %.2f %.2f", mean(loaded, 0, JobLoad.Result::perSecond),
                mean(loaded, 1, JobLoad.Result::perSecond), median(ratios), min(ratios), max(ratios));
        out("loaded_latency %.2f %.2f %.2f %.2f", mean(loaded, 0, r -> r.latencyMillis(0.5)),
                mean(loaded, 1, r -> r.latencyMillis(0.5)), mean(loaded, 0, r -> r.latencyMillis(0.99)),
                mean(loaded, 1, r -> r.latencyMillis(0.99)));
        out("latency %.2f %.2f %.2f %.2f %.2f %.2f", mean(single, 0, r -> r.latencyMillis(0.5)),
                mean(single, 1, r -> r.latencyMillis(0.5)), median(p50), mean(single, 0, r -> r.latencyMillis(0.99)),
                mean(single, 1, r -> r.latencyMillis(0.99)), median(p99));
        out("cpu_ms_per_job %.2f %.2f %.2f %.2f", switchboardCpu[0] < 0 ? -1 : perJob(switchboardCpu[0], jobs[0]),
                perJob(ownCpu[0], jobs[0]), perJob(ownCpu[1], jobs[1]),
                switchboardCpu[1] < 0 ? -1 : perJob(switchboardCpu[1], jobs[1]));
        out("history_reads_per_job %.2f %.2f", (double) historyReads[0] / jobs[0], (double) historyReads[1] / jobs[1]);
        out("errors %d", errors);
        out("prompts %d", farm.standIns().stream().mapToInt(standIn -> standIn.prompts().size()).sum());
        out("most_at_once %d %d", farm.standIns().stream().mapToInt(ComfyUiStandIn::mostPromptsAtOnce).max()
                .orElse(0), farm.standIns().stream().mapToInt(ComfyUiStandIn::mostUnfinishedPromptsAtOnce).max()
                .orElse(0));
    }

    /** Runs {@code rounds} adjacent pairs; each pair is {Switchboard, direct}. */
    private List<JobLoad.Result[]> pairs(int concurrency, Duration length, int rounds) throws InterruptedException {
        List<JobLoad.Result[]> pairs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            JobLoad.Result viaSwitchboard;
            JobLoad.Result directly;
            if (round % 2 == 1) {
                viaSwitchboard = pass(true, concurrency, length, true);
                directly = pass(false, concurrency, length, true);
            } else {
                directly = pass(false, concurrency, length, true);
                viaSwitchboard = pass(true, concurrency, length, true);
            }
            log("%d at once, pair %d: Switchboard %.1f jobs/s (p50 %.2f ms, p99 %.2f ms), direct %.1f jobs/s"
                    + " (p50 %.2f ms, p99 %.2f ms), ratio %.2f", concurrency, round, viaSwitchboard.perSecond(),
                    viaSwitchboard.latencyMillis(0.5), viaSwitchboard.latencyMillis(0.99), directly.perSecond(),
                    directly.latencyMillis(0.5), directly.latencyMillis(0.99),
                    viaSwitchboard.perSecond() / directly.perSecond());
            pairs.add(new JobLoad.Result[] {viaSwitchboard, directly});
        }
        return pairs;
    }

    private JobLoad.Result pass(boolean viaSwitchboard, int concurrency, Duration length, boolean counted)
            throws InterruptedException {
        long switchboardBefore = cpu.switchboardNanos();
        long ownBefore = ProcessCpu.ownNanos();
        JobLoad.Result result = JobLoad.run(concurrency, length, seeds, viaSwitchboard
                ? (worker, seed) -> switchboard.generateOne(session, seed)
                : (worker, seed) -> direct.run(standInUrls.get(worker % standInUrls.size()), seed));
        long switchboardAfter = cpu.switchboardNanos();
        long ownAfter = ProcessCpu.ownNanos();
        if (counted) {
            int way = viaSwitchboard ? 0 : 1;
            jobs[way] += result.jobs();
            ownCpu[way] += ownAfter - ownBefore;
            switchboardCpu[way] = switchboardBefore < 0 || switchboardCpu[way] < 0 ? -1
                    : switchboardCpu[way] + switchboardAfter - switchboardBefore;
        }
        if (counted) {
            historyReads[viaSwitchboard ? 0 : 1] += farm.historyReads();
        }
        // The stand-ins log every request; a long run would otherwise fill the heap with them.
        farm.forgetRequests();
        if (result.errors() > 0) {
            errors += result.errors();
            log("%s: %d failed jobs, the first: %s", viaSwitchboard ? "Switchboard" : "direct", result.errors(),
                    result.firstError());
        }
        return result;
    }

    private static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static double perJob(long nanos, long count) {
        return count == 0 ? Double.NaN : nanos / 1e6 / count;
    }

    private static double mean(List<JobLoad.Result[]> pairs, int side, ToDoubleFunction<JobLoad.Result> figure) {
        return pairs.stream().mapToDouble(pair -> figure.applyAsDouble(pair[side])).average().orElse(Double.NaN);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static void log(String format, Object... args) {
        System.err.println("   " + String.format(Locale.ROOT, format, args));
    }
}
