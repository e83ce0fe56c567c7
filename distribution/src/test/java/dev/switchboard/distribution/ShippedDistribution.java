package dev.switchboard.distribution;

import dev.switchboard.testkit.server.SwitchboardProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The assembled distribution this module's build just made ({@code target/switchboard}: {@code bin/},
 * {@code lib/}, {@code plugins/}), and servers started from its {@code bin/switchboard} exactly as an operator
 * starts one: its class path, its logging configuration (the {@code logback.xml} in the server jar, no test
 * libraries), its JVM options and class data archive. The tests of the real entry point use nothing else; a
 * missing or incomplete distribution is an error, never a fallback to another class path.
 */
public final class ShippedDistribution {
    /** The system property naming the distribution's folder (set by this module's failsafe configuration). */
    public static final String HOME_PROPERTY = "switchboard.distribution";

    private ShippedDistribution() {
    }

    /**
     * The distribution's folder.
     *
     * @throws IllegalStateException when the property is not set or the folder is not a complete distribution
     */
    public static Path home() {
        String path = System.getProperty(HOME_PROPERTY);
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("System property " + HOME_PROPERTY + " is not set: run these tests with"
                    + " the distribution module's failsafe plugin (mvn -pl distribution -am verify), which assembles"
                    + " target/switchboard first");
        }
        Path home = Path.of(path);
        for (String part : List.of("bin/switchboard", "lib", "plugins")) {
            if (!Files.exists(home.resolve(part))) {
                throw new IllegalStateException("No assembled distribution at " + home + ": " + part + " is missing"
                        + " (the distribution module's package phase makes it)");
            }
        }
        return home;
    }

    /** @return the launcher, {@code bin/switchboard} */
    public static Path launcher() {
        return home().resolve("bin/switchboard");
    }

    /** @return the distribution's own {@code plugins/} folder */
    public static Path plugins() {
        return home().resolve("plugins");
    }

    /**
     * Starts {@code bin/switchboard} with the given options.
     *
     * @param workingDirectory the directory to run it in
     * @param arguments the server's options, e.g. {@code --port 0 --data-dir ...}
     * @return the running server
     */
    public static SwitchboardProcess start(Path workingDirectory, List<String> arguments) {
        return start(workingDirectory, arguments, Map.of());
    }

    /**
     * Starts {@code bin/switchboard} with the given options and environment variables added to this JVM's (e.g.
     * {@code JAVA_OPTS}, which the launcher adds to its JVM options, or a secret that must not appear in
     * {@code ps}).
     *
     * @param workingDirectory the directory to run it in
     * @param arguments the server's options
     * @param environment variables added for the server
     * @return the running server
     */
    public static SwitchboardProcess start(Path workingDirectory, List<String> arguments,
                                           Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(arguments);
        return SwitchboardProcess.start(workingDirectory, command, new HashMap<>(environment));
    }
}
