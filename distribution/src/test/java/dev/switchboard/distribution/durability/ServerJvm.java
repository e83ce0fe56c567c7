package dev.switchboard.distribution.durability;

import dev.switchboard.distribution.ShippedDistribution;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the distribution's {@code bin/switchboard} with its own plugins, tuned to start fast because the tests
 * restart it often.
 */
final class ServerJvm {
    /**
     * C1 only, one GC thread, a small heap: each shortens start-up and none changes what the server does. Given
     * as {@code JAVA_OPTS}, which the launcher puts after its own options (and into its class data archive's key).
     */
    private static final String FAST_START = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m";

    private ServerJvm() {
    }

    /** Starts a server on a free loopback port; the caller waits for its ready line. */
    static SwitchboardProcess start(Path workingDirectory, Path dataDirectory, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--port", "0", "--data-dir", dataDirectory.toString()));
        arguments.addAll(List.of(extraArguments));
        return ShippedDistribution.start(workingDirectory, arguments, Map.of("JAVA_OPTS", FAST_START));
    }
}
