package dev.switchboard.plugins.comfyui.selfstart;

import java.util.function.Function;

/**
 * What one {@code comfyui_selfstart} backend has running, under one lock: the current ComfyUI process, whether
 * a process is being spawned right now, whether the backend was shut down, and the supervisor thread. A
 * shutdown waits for a spawn under way, so the process spawned is stopped by the shutdown itself, never by an
 * init thread after the shutdown returned. Thread-safe.
 */
final class LaunchState {
    private final Object lock = new Object();

    // All guarded by lock.
    private LaunchedComfyUi current;
    private Thread supervisor;
    private boolean shutDown;
    /** A process is being spawned and is not yet {@code current}; shutDown() waits for it to become so. */
    private boolean spawning;

    /**
     * Marks the start of a spawn, unless the backend is shut down.
     *
     * @return false when shut down: nothing may be spawned
     */
    boolean beginSpawn() {
        synchronized (lock) {
            if (shutDown) {
                return false;
            }
            spawning = true;
            return true;
        }
    }

    /**
     * Ends a spawn: the process (if one was started) becomes current in the same step, so a waiting
     * {@link #shutDown()} finds it as current.
     *
     * @param launched the spawned process, or null when the spawn failed
     */
    void endSpawn(LaunchedComfyUi launched) {
        synchronized (lock) {
            if (launched != null) {
                current = launched;
            }
            spawning = false;
            lock.notifyAll();
        }
    }

    boolean isShutDown() {
        synchronized (lock) {
            return shutDown;
        }
    }

    /** @return the current process, or null before the first spawn */
    LaunchedComfyUi current() {
        synchronized (lock) {
            return current;
        }
    }

    /** @return the current process, or null when there is none or the backend is shut down */
    LaunchedComfyUi running() {
        synchronized (lock) {
            return shutDown ? null : current;
        }
    }

    /**
     * Starts the supervisor thread for the current process, unless the backend is shut down.
     *
     * @param task makes the supervisor's work for the current process
     * @param name the thread's name
     */
    void startSupervisor(Function<LaunchedComfyUi, Runnable> task, String name) {
        synchronized (lock) {
            if (shutDown) {
                return;
            }
            Thread thread = new Thread(task.apply(current), name);
            thread.setDaemon(true);
            supervisor = thread;
            thread.start();
        }
    }

    /**
     * Marks the backend shut down, after any spawn under way has ended.
     *
     * @return the supervisor thread to stop, or null when none was started
     */
    Thread shutDown() {
        synchronized (lock) {
            shutDown = true;
            boolean interrupted = false;
            while (spawning) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return supervisor;
        }
    }
}
