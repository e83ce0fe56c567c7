package dev.switchboard.plugins.support;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes named daemon threads (e.g. for an HTTP client's executor), so a plugin's helper threads can never keep
 * the server's JVM alive and are easy to spot in a thread dump.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    /**
     * Creates a factory.
     *
     * @param prefix the start of every thread name, e.g. {@code comfyui-http}; a number is appended
     */
    public DaemonThreads(String prefix) {
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
