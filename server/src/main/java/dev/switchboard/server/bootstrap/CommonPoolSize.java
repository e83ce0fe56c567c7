package dev.switchboard.server.bootstrap;

/**
 * Gives the JVM's common fork-join pool at least two threads. With one (the JDK's choice on a machine of one or two
 * processors) {@link java.util.concurrent.CompletableFuture} runs every asynchronous step that names no executor on
 * a new thread made for that step alone, and the JDK HTTP client hands the completion of every {@code sendAsync}
 * exchange to such a step: a server probing thousands of engines started a thread for every answer. Has effect only
 * before anything uses the pool, so it is the first thing {@code main} does; an operator's own
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} wins.
 */
final class CommonPoolSize {
    static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPoolSize() {
    }

    static void atLeastTwo() {
        if (System.getProperty(PROPERTY) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(PROPERTY, "2");
        }
    }
}
