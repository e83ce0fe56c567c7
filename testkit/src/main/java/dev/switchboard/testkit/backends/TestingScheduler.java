package dev.switchboard.testkit.backends;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;

/**
 * The scheduler a {@link TestingBackendContext} hands out, behaving as the server's does for one backend: one
 * daemon thread (so tasks run one at a time, in the order they become due), a periodic task that throws stops and
 * is logged, and {@link #shutdownNow()} cancels the futures of every task it stops, the running one included, so
 * nothing waits for a task that will never run. The server shares its threads among backends; a test cannot tell.
 */
final class TestingScheduler extends ScheduledThreadPoolExecutor {
    private final Logger logger;
    private final String name;
    private volatile Runnable running;

    TestingScheduler(String name, Logger logger) {
        super(1, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        this.name = name;
        this.logger = logger;
        setRemoveOnCancelPolicy(true);
    }

    @Override
    protected void beforeExecute(Thread thread, Runnable task) {
        running = task;
        super.beforeExecute(thread, task);
    }

    @Override
    protected void afterExecute(Runnable task, Throwable thrown) {
        super.afterExecute(task, thrown);
        running = null;
        if (task instanceof RunnableScheduledFuture<?> future && future.isPeriodic() && future.isDone()) {
            try {
                future.get();
            } catch (ExecutionException e) {
                logger.warn("A periodic task on {} failed and will not run again", name, e.getCause());
            } catch (CancellationException | InterruptedException e) {
                // Cancelled: not a failure. Interrupted cannot happen: the future is done.
            }
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        // Cancelled before the interrupt lands, so the running task's future reads cancelled, not completed.
        if (running instanceof Future<?> current) {
            current.cancel(true);
        }
        List<Runnable> neverStarted = super.shutdownNow();
        for (Runnable task : neverStarted) {
            if (task instanceof Future<?> future) {
                future.cancel(false);
            }
        }
        return neverStarted;
    }
}
