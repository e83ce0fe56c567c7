package dev.switchboard.benchmarks.standin;

import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hosts ComfyUI stand-ins for the benchmark, so the backends under load are {@code running}:
 * {@code StandInHost <count>} prints one {@code standin <port>} line per stand-in, then {@code ready}, and
 * runs until its standard input closes (or it is killed). A stand-in records every request it receives (for tests);
 * here they are forgotten every second, or thousands of backends' health probes (2,000 a second from 10,000) fill
 * the heap until the stand-ins spend their time collecting garbage and the probes time out (seen: an old
 * generation 99.9 % full after 43 full collections, and 8,448 of 10,000 backends errored).
 */
public final class StandInHost {
    private StandInHost() {
    }

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<ComfyUiStandIn> standIns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ComfyUiStandIn standIn = ComfyUiStandIn.start();
            standIns.add(standIn);
            System.out.println("standin " + standIn.port());
        }
        ScheduledExecutorService forget = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "forget-requests");
            thread.setDaemon(true);
            return thread;
        });
        forget.scheduleWithFixedDelay(() -> standIns.forEach(ComfyUiStandIn::clearRequests), 1, 1, TimeUnit.SECONDS);
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // Drain until the script closes our input.
        }
        forget.shutdownNow();
        standIns.forEach(ComfyUiStandIn::close);
    }
}
