package dev.switchboard.testkit.contract;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for an author's own engine stand-in that {@link BackendTypeContractTest}'s thread checks never count as
 * left behind by the backend. The checks compare the threads alive after {@code shutdown()} with a snapshot taken
 * inside each test (after the subclass's {@code @BeforeEach}); a stand-in that starts its request threads only when
 * the backend first calls it would otherwise look like a leak. Give the stand-in's server this factory (for
 * example {@code Executors.newCachedThreadPool(StandInThreads.factory("my-engine-stand-in"))}): its threads, and
 * every thread they start, belong to one thread group that the checks excuse.
 */
public final class StandInThreads {
    private static final ThreadGroup GROUP = new ThreadGroup("switchboard-stand-ins");

    private StandInThreads() {
    }

    /**
     * Returns a factory of daemon threads named {@code name} in the stand-ins' thread group.
     *
     * @param name the threads' name, e.g. {@code my-engine-stand-in}
     * @return a new factory
     */
    public static ThreadFactory factory(String name) {
        requireNonNull(name, "name is null");
        return task -> {
            Thread thread = new Thread(GROUP, task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Tells whether a thread belongs to a stand-in (made by a {@link #factory} or started by such a thread).
     *
     * @param thread any thread
     * @return true when it is in the stand-ins' thread group or one below it
     */
    public static boolean owns(Thread thread) {
        ThreadGroup group = thread.getThreadGroup();
        // A thread that has ended has no group any more.
        return group != null && GROUP.parentOf(group);
    }
}
