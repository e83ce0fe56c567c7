package dev.switchboard.benchmarks.standin;

import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Hosts ComfyUI stand-ins for the benchmark, so the backends under load are {@code running}:
 * {@code StandInHost <count>} prints one {@code standin <port>} line per stand-in, then {@code ready}, and
 * runs until its standard input closes (or it is killed).
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
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // Drain until the script closes our input.
        }
        standIns.forEach(ComfyUiStandIn::close);
    }
}
