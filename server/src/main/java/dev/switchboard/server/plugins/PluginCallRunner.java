package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs calls into plugin code on dedicated daemon threads, with the plugin's class loader as the thread
 * context class loader and a deadline. A call that overruns its deadline is interrupted and abandoned: its
 * thread may stay stuck in plugin code, but nobody waits for it any more and, being a daemon, it cannot
 * keep the JVM alive.
 */
@Singleton
public final class PluginCallRunner implements AutoCloseable {
    private final ExecutorService threads;

    @Inject
    public PluginCallRunner() {
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "plugin-call-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // Idle threads end after a few seconds rather than the default minute: a start-up with thousands of
        // backends briefly needs many, a running server few.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                factory);
    }

    /**
     * Starts a call into plugin code.
     *
     * @param loader the plugin's class loader
     * @param call the plugin code to run
     * @return a handle to wait for or cancel the call
     */
    public <T> PluginCall<T> submit(ClassLoader loader, Callable<T> call) {
        requireNonNull(loader, "loader is null");
        requireNonNull(call, "call is null");
        Future<T> future = threads.submit(() -> {
            Thread current = Thread.currentThread();
            ClassLoader previous = current.getContextClassLoader();
            current.setContextClassLoader(loader);
            try {
                return call.call();
            } finally {
                current.setContextClassLoader(previous);
            }
        });
        return new PluginCall<>(future);
    }

    /**
     * Runs a call into plugin code and waits for it.
     *
     * @param loader the plugin's class loader
     * @param what a short description for error messages, e.g. "init"
     * @param deadline how long to wait
     * @param call the plugin code
     * @return the call's result
     * @throws PluginCallException when the call threw (any Throwable), timed out or was cancelled
     */
    public <T> T call(ClassLoader loader, String what, Duration deadline, Callable<T> call) throws PluginCallException {
        return submit(loader, call).await(what, deadline);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** A running call into plugin code. */
    public static final class PluginCall<T> {
        private final Future<T> future;

        private PluginCall(Future<T> future) {
            this.future = future;
        }

        /**
         * Waits for the call.
         *
         * @param what a short description for error messages
         * @param deadline how long to wait before interrupting and abandoning the call
         * @return the result
         * @throws PluginCallException when the call threw, timed out or was cancelled
         */
        public T await(String what, Duration deadline) throws PluginCallException {
            try {
                return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw new PluginCallException(what + " did not finish within " + Durations.describe(deadline), null, true);
            } catch (CancellationException e) {
                throw new PluginCallException(what + " was cancelled", null, false);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new PluginCallException(what + " was interrupted", e, false);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new PluginCallException(FailureText.message(cause), cause, false);
            }
        }


        /** Interrupts the call; whoever waits for it gets a cancellation. */
        public void cancel() {
            future.cancel(true);
        }
    }
}
