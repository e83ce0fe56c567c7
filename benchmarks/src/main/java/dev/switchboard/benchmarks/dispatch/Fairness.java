package dev.switchboard.benchmarks.dispatch;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Fairness between sessions: {@code Fairness <stand-ins> <step-ms> <big> <small> <small-sessions>}. Hosts the
 * stand-ins (each job one sampling step of {@code step-ms}) and hands their ports to {@code run.sh}
 * ({@link StandInFarm}), which starts Switchboard with one {@code comfyui_api} backend per stand-in
 * ({@code OverQueue} 0: {@code max_usages} 1) and sends {@code go <url> <pid>}. One session then asks for {@code big}
 * images in one {@code GenerateText2ImageWS} request; once its first image is back (its jobs fill every backend and
 * the rest wait at Switchboard) each of {@code small-sessions} other sessions asks for {@code small} images the same
 * way. Prints {@code jobs <images received> <asked>}, {@code errors <n>}, {@code prompts <n>} (as the stand-ins
 * counted), {@code most_at_once <held> <unfinished>} (the most prompts any stand-in held at once, by
 * {@link ComfyUiStandIn#mostPromptsAtOnce()} and {@link ComfyUiStandIn#mostUnfinishedPromptsAtOnce()}),
 * {@code jain <index>}, {@code rates <jobs/s per session, the big one first>} and {@code window_s <s>} (see
 * {@link FairShare}), and {@code small_done_s <s> <fair s>}: how long the slowest small session took from its
 * request to its last image, against what an even split of the window's total rate between the sessions would
 * take for its jobs.
 */
public final class Fairness {
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    private Fairness() {
    }

    public static void main(String[] args) throws Exception {
        int standIns = Integer.parseInt(args[0]);
        Duration stepTime = Duration.ofMillis(Long.parseLong(args[1]));
        int big = Integer.parseInt(args[2]);
        int small = Integer.parseInt(args[3]);
        int smallSessions = Integer.parseInt(args[4]);
        try (StandInFarm farm = StandInFarm.start(standIns, stepTime)) {
            StandInFarm.Go go = farm.announceAndAwaitGo();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            SwitchboardClient switchboard = new SwitchboardClient(http, go.url());
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i <= smallSessions; i++) {
                sessions.add(switchboard.newSession());
            }
            List<GenerationStream> streams = new ArrayList<>();
            streams.add(GenerationStream.start(http, go.url(), request(sessions.get(0), big, 0)));
            awaitFirstImage(streams.get(0));
            for (int i = 1; i <= smallSessions; i++) {
                streams.add(GenerationStream.start(http, go.url(), request(sessions.get(i), small, i)));
            }
            for (GenerationStream stream : streams) {
                stream.awaitEnd(DEADLINE);
            }
            report(farm, streams, big + small * smallSessions, small);
        }
    }

    private static JsonObject request(String session, int images, int sessionIndex) {
        // Seeds of a session lie apart from every other session's, so each job's graph is its own.
        JsonObject request = SwitchboardClient.request(images, 1_000_000L * (sessionIndex + 1));
        request.addProperty("session_id", session);
        return request;
    }

    private static void awaitFirstImage(GenerationStream stream) throws IOException, InterruptedException {
        long giveUpAt = System.nanoTime() + DEADLINE.toNanos();
        while (stream.imageTimes().isEmpty()) {
            if (!stream.errors().isEmpty()) {
                throw new IOException("the big request failed: " + stream.errors().get(0));
            }
            if (System.nanoTime() > giveUpAt) {
                throw new IOException("no image within " + DEADLINE);
            }
            Thread.sleep(1);
        }
    }

    private static void report(StandInFarm farm, List<GenerationStream> streams, int asked, int small) {
        int received = streams.stream().mapToInt(stream -> stream.imageTimes().size()).sum();
        List<String> errors = streams.stream().flatMap(stream -> stream.errors().stream()).toList();
        DispatchOverhead.out("jobs %d %d", received, asked);
        DispatchOverhead.out("errors %d", errors.size());
        if (!errors.isEmpty()) {
            DispatchOverhead.log("first error: %s", errors.get(0));
        }
        List<ComfyUiStandIn> standIns = farm.standIns();
        DispatchOverhead.out("prompts %d", standIns.stream().mapToInt(standIn -> standIn.prompts().size()).sum());
        DispatchOverhead.out("most_at_once %d %d",
                standIns.stream().mapToInt(ComfyUiStandIn::mostPromptsAtOnce).max().orElse(0),
                standIns.stream().mapToInt(ComfyUiStandIn::mostUnfinishedPromptsAtOnce).max().orElse(0));
        long[] accepted = streams.stream().mapToLong(GenerationStream::acceptedAt).toArray();
        FairShare share = FairShare.of(accepted, streams.stream().map(GenerationStream::imageTimes).toList());
        DispatchOverhead.out("jain %.4f", share.jainIndex());
        DispatchOverhead.out("rates %s", Arrays.stream(share.rates()).mapToObj(rate -> String.format("%.1f", rate))
                .collect(Collectors.joining(" ")));
        DispatchOverhead.out("window_s %.2f", share.seconds());
        double slowestSmall = 0;
        for (GenerationStream stream : streams.subList(1, streams.size())) {
            long last = stream.imageTimes().stream().mapToLong(Long::longValue).max().orElse(stream.acceptedAt());
            slowestSmall = Math.max(slowestSmall, (last - stream.acceptedAt()) / 1e9);
        }
        double total = Arrays.stream(share.rates()).sum();
        DispatchOverhead.out("small_done_s %.2f %.2f", slowestSmall, small * streams.size() / total);
    }
}
