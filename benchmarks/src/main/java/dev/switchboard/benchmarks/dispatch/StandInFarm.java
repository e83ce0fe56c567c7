package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ComfyUI stand-ins a dispatch benchmark hosts in its own JVM, so it can drive them directly and read their
 * counters, and the hand-over with {@code run.sh}: {@link #announceAndAwaitGo()} prints {@code standin <port>} per
 * stand-in and {@code ready}, then waits for the line {@code go <switchboard-base-url> [<switchboard-pid>]} on standard input (the script
 * starts Switchboard with backends on those ports in between).
 */
final class StandInFarm implements AutoCloseable {
    /** The one checkpoint every stand-in lists; requests name it without its extension. */
    static final String MODEL_FILE = "bench.safetensors";
    static final String MODEL = "bench";

    private final List<ComfyUiStandIn> standIns = new ArrayList<>();

    private StandInFarm() {
    }

    /** Starts {@code count} stand-ins that take {@code stepTime} per sampling step. */
    static StandInFarm start(int count, Duration stepTime) {
        StandInFarm farm = new StandInFarm();
        try {
            for (int i = 0; i < count; i++) {
                ComfyUiStandIn standIn = ComfyUiStandIn.start();
                farm.standIns.add(standIn);
                standIn.setModels("CheckpointLoaderSimple", List.of(MODEL_FILE));
                standIn.setStepTime(stepTime);
            }
        } catch (RuntimeException e) {
            farm.close();
            throw e;
        }
        return farm;
    }

    List<ComfyUiStandIn> standIns() {
        return List.copyOf(standIns);
    }

    /** Switchboard's base URL, and its process id (0 when the script did not give it). */
    record Go(String url, long pid) {
    }

    /** Prints the ports and {@code ready}, then returns what the script sent: {@code go <url> [<pid>]}. */
    Go announceAndAwaitGo() throws IOException {
        for (ComfyUiStandIn standIn : standIns) {
            System.out.println("standin " + standIn.port());
        }
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("go")) {
                return new Go(words[1], words.length > 2 ? Long.parseLong(words[2]) : 0);
            }
        }
        throw new IOException("standard input ended before a 'go <url>' line");
    }

    /** @return how many {@code GET /history/<id>} the stand-ins answered since their logs were last forgotten */
    long historyReads() {
        return standIns.stream().flatMap(standIn -> standIn.requests().stream())
                .filter(request -> request.method().equals("GET") && request.path().startsWith("/history/")).count();
    }

    /** Forgets the stand-ins' request logs, which would otherwise grow with every job of a long run. */
    void forgetRequests() {
        standIns.forEach(ComfyUiStandIn::clearRequests);
    }

    @Override
    public void close() {
        standIns.forEach(ComfyUiStandIn::close);
    }
}
