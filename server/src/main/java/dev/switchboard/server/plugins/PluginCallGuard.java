package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one piece of plugin code on its own daemon thread, with the plugin's class loader as the thread context
 * class loader, and waits for it no longer than a deadline. A call that overruns is interrupted and abandoned:
 * being a daemon thread, it cannot keep the JVM alive even if the plugin ignores the interrupt.
 */
final class PluginCallGuard {
    private final Duration deadline;

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
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, "plugin-call: " + action);
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        thread.start();
        try {
            return task.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new PluginProblemException(action + " did not finish within " + seconds() + " (stuck in "
                    + whereStuck.get() + ")");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PluginProblemException problem) {
                throw problem;
            }
            throw new PluginProblemException(action + " failed: " + FailureText.describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new PluginProblemException(action + " was interrupted");
        }
    }

    private String seconds() {
        long millis = deadline.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
