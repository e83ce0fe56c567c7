package dev.switchboard.testkit.contract;

import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The threads alive at one moment, to find the ones a backend started and left running. */
final class ThreadSnapshot {
    private static final long POLL_MILLIS = 100;

    private final Set<Thread> before;

    private ThreadSnapshot(Set<Thread> before) {
        this.before = before;
    }

    static ThreadSnapshot take() {
        return new ThreadSnapshot(Set.copyOf(Thread.getAllStackTraces().keySet()));
    }

    /**
     * Waits until every thread started since the snapshot has ended, except the excused ones.
     *
     * @param patience how long to wait at most
     * @param excused threads that may outlive the backend
     * @return the names of the threads still alive when the time ran out, sorted and joined; empty when none is
     */
    String awaitLeftovers(Duration patience, Predicate<Thread> excused) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Set<Thread> leftovers = leftovers(excused);
        while (!leftovers.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            leftovers = leftovers(excused);
        }
        return leftovers.stream().map(Thread::getName).sorted().collect(Collectors.joining(", "));
    }

    private Set<Thread> leftovers(Predicate<Thread> excused) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread))
                .filter(Thread::isAlive)
                .filter(excused.negate())
                .collect(Collectors.toSet());
    }
}
