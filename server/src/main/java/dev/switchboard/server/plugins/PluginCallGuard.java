package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Runs plugin code during plugin loading (reading backend types, a plugin class's start and stop) through a
 * {@link PluginCallRunner}, and words its failures for the plugin list: what was being done, and where it got
 * stuck when it overran the deadline.
 */
final class PluginCallGuard implements AutoCloseable {
    private final Duration deadline;
    private final PluginCallRunner runner = new PluginCallRunner();

    PluginCallGuard(Duration deadline) {
        this.deadline = requireNonNull(deadline, "deadline is null");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
    }

    /**
     * Runs {@code work} and returns its result.
     *
     * @param action what the work does, for messages, e.g. "Reading the backend types of plugin 'x'"
     * @param loader the plugin's class loader
     * @param work the plugin code
     * @param whereStuck says, when the deadline passes, what the work was doing (e.g. the method it called)
     * @throws PluginProblemException when the work throws anything (a {@link PluginProblemException} thrown by
     *     the work is passed on as it is) or does not finish in time
     */
    <T> T call(String action, ClassLoader loader, Callable<T> work, Supplier<String> whereStuck) {
        try {
            return runner.call(loader, action, deadline, work);
        } catch (PluginCallException e) {
            if (e.getCause() instanceof PluginProblemException problem) {
                throw problem;
            }
            if (e.timedOut()) {
                throw new PluginProblemException(action + " did not finish within " + seconds() + " (stuck in "
                        + whereStuck.get() + ")");
            }
            if (e.getCause() == null || e.getCause() instanceof InterruptedException) {
                throw new PluginProblemException(e.getMessage());
            }
            throw new PluginProblemException(action + " failed: " + FailureText.describe(e.getCause()), e.getCause());
        }
    }

    @Override
    public void close() {
        runner.close();
    }

    private String seconds() {
        long millis = deadline.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
