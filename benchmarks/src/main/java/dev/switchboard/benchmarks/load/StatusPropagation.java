package dev.switchboard.benchmarks.load;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Status propagation: {@code StatusPropagation <base-url> <samples>}. Hosts its own ComfyUI stand-in, adds a
 * {@code comfyui_api} backend with {@code AllowIdle} pointed at it and waits until it is running. Then, per
 * sample: the stand-in starts answering 500; the idle monitor's next probe (every 5 s) hits it; the backend
 * turns {@code idle}. One thread watches the stand-in's request log (t1 = the failing probe arrived), another
 * polls ListBackends without pause (t2 = idle first visible). {@code t2 - t1} is the propagation time: the
 * plugin handling the failed probe, the status change, and the next ListBackends showing it (an upper
 * bound, as it includes one ListBackends round trip). Prints {@code propagation_ms_median <x>} and
 * {@code propagation_ms_max <x>}.
 */
public final class StatusPropagation {
    private static final long TIMEOUT_NANOS = 30_000_000_000L;

    private StatusPropagation() {
    }

    public static void main(String[] args) {
        SwarmApiClient api = new SwarmApiClient(args[0]);
        int samples = Integer.parseInt(args[1]);
        List<Double> millis = new ArrayList<>();
        try (ComfyUiStandIn standIn = ComfyUiStandIn.start()) {
            int id = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
            api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"propagation\",\"settings\":{"
                    + "\"Address\":\"" + standIn.baseUrl() + "\",\"AllowIdle\":true}}");
            for (int i = 0; i < samples; i++) {
                awaitStatus(api, id, "running");
                int seen = standIn.requests().size();
                standIn.failWith(500);
                long failingProbe = awaitNewRequest(standIn, seen);
                long visible = awaitStatus(api, id, "idle");
                millis.add((visible - failingProbe) / 1e6);
                standIn.resume();
            }
            api.call("DeleteBackend", "{\"backend_id\":" + id + "}");
        }
        Collections.sort(millis);
        System.out.printf("propagation_ms_median %.1f%n", millis.get(millis.size() / 2));
        System.out.printf("propagation_ms_max %.1f%n", millis.get(millis.size() - 1));
    }

    private static long awaitNewRequest(ComfyUiStandIn standIn, int seen) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (standIn.requests().size() <= seen) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the idle monitor never probed the stand-in");
            }
            LockSupport.parkNanos(100_000);
        }
        return System.nanoTime();
    }

    private static long awaitStatus(SwarmApiClient api, int id, String status) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            JsonObject backend = api.call("ListBackends").getAsJsonObject(Integer.toString(id));
            if (backend != null && status.equals(backend.get("status").getAsString())) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("backend " + id + " never became " + status + ": " + backend);
            }
        }
    }
}
