package dev.switchboard.plugins.comfyui.selfstart;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * Stops a process and all its descendants: SIGINT to the process (ComfyUI's clean Ctrl+C path), then
 * SIGTERM, then SIGKILL to the whole tree, each step with its own deadline. Descendants are collected before
 * every signal and remembered, so a grandchild orphaned when its parent dies is still found and killed.
 */
final class ProcessTreeStopper {
    private final Duration step;
    private final Logger logger;

    /**
     * Creates a stopper.
     *
     * @param step how long each signal is given before the next, stronger one
     * @param logger where to report what did not work
     */
    ProcessTreeStopper(Duration step, Logger logger) {
        this.step = java.util.Objects.requireNonNull(step, "step is null");
        this.logger = java.util.Objects.requireNonNull(logger, "logger is null");
    }

    /**
     * Stops the tree; returns when every process of it has exited or the last deadline has passed.
     *
     * @param root the process Switchboard started
     * @return true when nothing of the tree is left alive
     */
    boolean stop(ProcessHandle root) {
        return stop(root, Set.of());
    }

    /**
     * Stops the tree, including descendants noted earlier that may have been orphaned since.
     *
     * @param root the process Switchboard started
     * @param known descendants noted while the root lived
     * @return true when nothing of the tree is left alive
     */
    boolean stop(ProcessHandle root, Set<ProcessHandle> known) {
        // Stopping must finish even when the calling thread was interrupted (e.g. by a host deadline):
        // clear the flag for the waits below and restore it at the end.
        boolean interrupted = Thread.interrupted();
        try {
            return stopTree(root, known);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean stopTree(ProcessHandle root, Set<ProcessHandle> known) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        tree.addAll(known);
        collect(root, tree);
        if (!anyAlive(tree)) {
            return true;
        }
        interrupt(root);
        if (awaitAll(tree, root)) {
            return true;
        }
        collect(root, tree);
        tree.forEach(ProcessHandle::destroy);
        if (awaitAll(tree, root)) {
            return true;
        }
        collect(root, tree);
        tree.forEach(ProcessHandle::destroyForcibly);
        boolean gone = awaitAll(tree, root);
        if (!gone) {
            logger.warn("Processes still alive after SIGKILL: {}", tree.stream().filter(ProcessHandle::isAlive)
                    .map(ProcessHandle::pid).toList());
        }
        return gone;
    }

    private static void collect(ProcessHandle root, Set<ProcessHandle> tree) {
        root.descendants().forEach(tree::add);
    }

    private void interrupt(ProcessHandle root) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(root.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // No kill command (e.g. Windows): the later steps still stop the process.
            logger.debug("Could not send SIGINT to {}", root.pid(), e);
        } catch (InterruptedException e) {
            // Only a later interrupt can land here; the later steps still stop the process.
            logger.debug("Interrupted while sending SIGINT to {}", root.pid());
        }
    }

    /** Waits until the whole tree is gone; also picks up descendants that appear meanwhile. */
    private boolean awaitAll(Set<ProcessHandle> tree, ProcessHandle root) {
        long deadline = System.nanoTime() + step.toNanos();
        while (System.nanoTime() < deadline) {
            collect(root, tree);
            if (!anyAlive(tree)) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return !anyAlive(tree);
    }

    private static boolean anyAlive(Set<ProcessHandle> tree) {
        return tree.stream().anyMatch(ProcessHandle::isAlive);
    }
}
