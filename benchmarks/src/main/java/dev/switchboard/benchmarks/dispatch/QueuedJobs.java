package dev.switchboard.benchmarks.dispatch;

import com.google.gson.JsonObject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The dispatcher at scale through the real server (issue 21): {@code QueuedJobs <url> <sessions> <jobs-per-session>
 * <model>}. Switchboard at {@code url} runs some number of {@code example_echo} backends that draw at once
 * ({@code StepMillis} 0, one slot each); this makes {@code sessions} sessions and has each ask, all at the same
 * moment, for {@code jobs-per-session} 64×64 images of one step in one {@code GenerateText2ImageWS} request
 * ({@code donotsave}), so the whole load sits queued at Switchboard and the backends drain it. Prints
 * {@code jobs <received> <asked>}, {@code errors <n>}, {@code seconds <s>} (from the first request accepted to the
 * last image), {@code jobs_per_s <rate>}, and {@code jain <index>}, {@code rates <jobs/s per session>} and
 * {@code window_s <s>} over the time every session had work ({@link FairShare}).
 */
public final class QueuedJobs {
    private static final Duration DEADLINE = Duration.ofMinutes(60);

    private QueuedJobs() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int sessions = Integer.parseInt(args[1]);
        int perSession = Integer.parseInt(args[2]);
        String model = args[3];
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        SwitchboardClient switchboard = new SwitchboardClient(http, url);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add(switchboard.newSession());
        }
        List<GenerationStream> streams = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            streams.add(GenerationStream.start(http, url, request(ids.get(i), perSession, model, i)));
        }
        for (GenerationStream stream : streams) {
            stream.awaitEnd(DEADLINE);
        }
        int received = streams.stream().mapToInt(stream -> stream.imageTimes().size()).sum();
        List<String> errors = streams.stream().flatMap(stream -> stream.errors().stream()).toList();
        DispatchOverhead.out("jobs %d %d", received, sessions * perSession);
        DispatchOverhead.out("errors %d", errors.size());
        if (!errors.isEmpty()) {
            DispatchOverhead.log("first error: %s", errors.get(0));
        }
        long first = streams.stream().mapToLong(GenerationStream::acceptedAt).min().orElseThrow();
        long last = streams.stream().flatMap(stream -> stream.imageTimes().stream()).mapToLong(Long::longValue).max()
                .orElse(first);
        double seconds = (last - first) / 1e9;
        DispatchOverhead.out("seconds %.3f", seconds);
        DispatchOverhead.out("jobs_per_s %.1f", received / seconds);
        long[] accepted = streams.stream().mapToLong(GenerationStream::acceptedAt).toArray();
        FairShare share = FairShare.of(accepted, streams.stream().map(GenerationStream::imageTimes).toList());
        DispatchOverhead.out("jain %.4f", share.jainIndex());
        DispatchOverhead.out("rates %s", Arrays.stream(share.rates()).mapToObj(rate -> String.format("%.0f", rate))
                .collect(Collectors.joining(" ")));
        DispatchOverhead.out("window_s %.2f", share.seconds());
    }

    private static JsonObject request(String session, int images, String model, int sessionIndex) {
        JsonObject request = new JsonObject();
        request.addProperty("session_id", session);
        request.addProperty("images", images);
        request.addProperty("prompt", "a queued job");
        request.addProperty("model", model);
        request.addProperty("width", 64);
        request.addProperty("height", 64);
        request.addProperty("steps", 1);
        request.addProperty("seed", 1_000_000L * (sessionIndex + 1));
        request.addProperty("donotsave", true);
        return request;
    }
}
