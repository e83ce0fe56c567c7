package dev.switchboard.benchmarks.load;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable mutations per second: {@code DurableMutationLoad <base-url> <clients> <seconds>}. Each client adds
 * its own backend, then repeats ToggleBackend off, ToggleBackend on, EditBackend (a new title) on it, one
 * request at a time, for the given time. Every acknowledged one of these is on disk before its answer, so
 * the rate is bounded by how many flushes the disk does and how many changes share one. Prints
 * {@code mutations_per_second <n>} and {@code errors <n>}.
 */
public final class DurableMutationLoad {
    private DurableMutationLoad() {
    }

    public static void main(String[] args) throws InterruptedException {
        SwarmApiClient api = new SwarmApiClient(args[0]);
        int clients = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ids.add(api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt());
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int id : ids) {
            Thread thread = new Thread(() -> mutateUntil(api, id, end, done, errors), "mutations-" + id);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("mutations_per_second %.1f%n", done.get() / elapsed);
        System.out.println("errors " + errors.get());
    }

    private static void mutateUntil(SwarmApiClient api, int id, long end, AtomicLong done, AtomicLong errors) {
        int round = 0;
        while (System.nanoTime() < end) {
            JsonObject answer = switch (round % 3) {
                case 0 -> api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":false}");
                case 1 -> api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":true}");
                default -> api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"bench " + round
                        + "\",\"settings\":{}}");
            };
            round++;
            if (answer.has("error")) {
                errors.incrementAndGet();
            } else {
                done.incrementAndGet();
            }
        }
    }
}
