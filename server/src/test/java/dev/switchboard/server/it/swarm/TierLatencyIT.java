package dev.switchboard.server.it.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one forwarding tier costs (issue 17's note): the same zero-time jobs (an echo job of 0 steps, one 64x64 PNG
 * as a data URL) sent to B directly and through A's swarmswarmbackend child, interleaved in one run, over
 * {@code GenerateText2Image}; the medians of 50 each are printed, for the child forwarding over the WebSocket and
 * over HTTP. Only a generous bound is asserted (the numbers depend on the machine); the README quotes a run.
 */
final class TierLatencyIT {
    private static final int JOBS = 50;
    private static final int WARM_UP = 15;
    private static final String JOB = "{\"images\":1,\"prompt\":\"latency\",\"model\":\"b-only/deep\",\"width\":64,"
            + "\"height\":64,\"steps\":0,\"seed\":1,\"donotsave\":true}";

    @TempDir
    Path temp;
    Tiers tiers;

    @AfterEach
    void stop() {
        if (tiers != null) {
            tiers.close();
        }
    }

    @Test
    @Timeout(600)
    void oneForwardingTierAddsMillisecondsToAJob() throws Exception {
        tiers = Tiers.start(temp, null, "{\"StepMillis\":0}", "");
        double[] overWebSocket = measure();
        SwarmServers.edit(tiers.a(), tiers.control(), "tier B", "{\"AllowWebsocket\":false}");
        SwarmServers.awaitStatus(tiers.a(), tiers.control(), "running");
        tiers.child();
        double[] overHttp = measure();

        System.out.printf("One forwarding tier (median of %d zero-time jobs, interleaved): B directly %.1f ms, through"
                        + " A over the WebSocket %.1f ms (+%.1f ms); B directly %.1f ms, through A over HTTP %.1f ms"
                        + " (+%.1f ms)%n", JOBS, overWebSocket[0], overWebSocket[1],
                overWebSocket[1] - overWebSocket[0],
                overHttp[0], overHttp[1], overHttp[1] - overHttp[0]);
        assertThat(overWebSocket[1] - overWebSocket[0]).isLessThan(Duration.ofSeconds(1).toMillis());
        assertThat(overHttp[1] - overHttp[0]).isLessThan(Duration.ofSeconds(1).toMillis());
    }

    /** @return the medians in ms: B directly, then through A */
    private double[] measure() {
        SwarmApiClient direct = tiers.b();
        SwarmApiClient forwarded = tiers.a();
        for (int i = 0; i < WARM_UP; i++) {
            time(direct);
            time(forwarded);
        }
        List<Double> directTimes = new ArrayList<>();
        List<Double> forwardedTimes = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            directTimes.add(time(direct));
            forwardedTimes.add(time(forwarded));
        }
        return new double[] {median(directTimes), median(forwardedTimes)};
    }

    private static double time(SwarmApiClient api) {
        long started = System.nanoTime();
        JsonObject answer = api.call("GenerateText2Image", JOB);
        double millis = (System.nanoTime() - started) / 1e6;
        assertThat(answer.has("error")).as("%s", answer).isFalse();
        assertThat(answer.getAsJsonArray("images")).hasSize(1);
        return millis;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
