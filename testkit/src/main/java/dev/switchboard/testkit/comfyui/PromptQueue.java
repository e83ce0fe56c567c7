package dev.switchboard.testkit.comfyui;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ComfyUI's prompt queue: accepted prompts wait here and one thread runs them one at a time ({@link PromptRun}),
 * like ComfyUI's prompt worker. It also holds what tests set about running (time per sampling step, how late the
 * history entry appears, previews as PNG, the {@link JobFault}) and every prompt it accepted. Thread-safe.
 */
final class PromptQueue implements AutoCloseable {

    /** A prompt in the queue, as {@code GET /queue} and {@code /history} list it. */
    record Queued(int number, String promptId, JsonObject prompt, String clientId, List<String> outputs) {
        JsonArray asJson() {
            JsonArray item = new JsonArray();
            item.add(number);
            item.add(promptId);
            item.add(prompt.deepCopy());
            JsonObject extra = new JsonObject();
            extra.addProperty("client_id", clientId);
            item.add(extra);
            item.add(StandInMessages.strings(outputs));
            return item;
        }
    }

    private final NodeCatalog nodes;
    private final ClientSockets sockets;
    private final HistoryStore history;
    private final OutputFiles files;
    private final Object lock = new Object();
    /**
     * Held while a status is broadcast, and by {@link #submit} from before its prompt is queued until its status is
     * sent, so a submitted prompt's status always goes out before its run's own; taken before {@link #lock}, never
     * after it (a socket's I/O thread takes {@code lock} to greet a new client, so no send happens under it).
     */
    private final Object statusOrder = new Object();

    // All guarded by lock.
    private final Deque<Queued> pending = new ArrayDeque<>();
    private final List<ReceivedPrompt> received = new ArrayList<>();
    private Queued running;
    /** Whether the running prompt's history entry is written: it has ended, only its last messages are due. */
    private boolean runningFinished;
    private int nextNumber;
    private int mostAtOnce;
    private int mostUnfinished;
    private boolean interruptRequested;
    private JobFault fault = new JobFault.None();
    private Duration stepTime = Duration.ofMillis(10);
    private Duration historyDelay = Duration.ZERO;
    private boolean pngPreviews;
    private Thread worker;
    private boolean closed;

    PromptQueue(NodeCatalog nodes, HistoryStore history, OutputFiles files) {
        this.nodes = requireNonNull(nodes, "nodes is null");
        // A new socket is told how many prompts are queued, so the sockets ask the queue.
        this.sockets = new ClientSockets(this::remaining);
        this.history = requireNonNull(history, "history is null");
        this.files = requireNonNull(files, "files is null");
    }

    /** Queues an accepted prompt and returns its queue number. */
    int submit(String promptId, JsonObject prompt, String clientId, List<String> outputs) {
        synchronized (statusOrder) {
            int count;
            boolean stalled;
            int number;
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("the stand-in is closed");
                }
                number = nextNumber++;
                received.add(new ReceivedPrompt(promptId, clientId, prompt));
                pending.add(new Queued(number, promptId, prompt.deepCopy(), clientId, List.copyOf(outputs)));
                count = remaining();
                mostAtOnce = Math.max(mostAtOnce, count);
                mostUnfinished = Math.max(mostUnfinished,
                        pending.size() + (running == null || runningFinished ? 0 : 1));
                stalled = fault instanceof JobFault.Stall;
                if (worker == null) {
                    worker = new Thread(this::work, "comfyui-stand-in-prompts");
                    worker.setDaemon(true);
                    worker.start();
                }
                lock.notifyAll();
            }
            if (!stalled) {
                broadcastStatus(count);
            }
            return number;
        }
    }

    /** Tells every socket how many prompts are queued or running, after any status a submission still has to send. */
    void broadcastStatus(int remaining) {
        synchronized (statusOrder) {
            sockets.broadcast(StandInMessages.message("status", StandInMessages.status(remaining)));
        }
    }

    /** @return the {@code GET /queue} body */
    JsonObject asJson() {
        JsonArray runningJson = new JsonArray();
        JsonArray pendingJson = new JsonArray();
        synchronized (lock) {
            if (running != null) {
                runningJson.add(running.asJson());
            }
            pending.forEach(item -> pendingJson.add(item.asJson()));
        }
        JsonObject answer = new JsonObject();
        answer.add("queue_running", runningJson);
        answer.add("queue_pending", pendingJson);
        return answer;
    }

    /** Removes waiting prompts ({@code POST /queue {"delete": [...]}}); a running one is not affected. */
    void delete(Collection<String> promptIds) {
        synchronized (lock) {
            pending.removeIf(item -> promptIds.contains(item.promptId()));
        }
    }

    void clear() {
        synchronized (lock) {
            pending.clear();
        }
    }

    /** Interrupts the running prompt: any, or only the one with this id (ComfyUI 0.3.64's targeted interrupt). */
    void interrupt(String promptId) {
        synchronized (lock) {
            if (running != null && (promptId == null || promptId.equals(running.promptId()))) {
                interruptRequested = true;
                lock.notifyAll();
            }
        }
    }

    int remaining() {
        synchronized (lock) {
            return pending.size() + (running == null ? 0 : 1);
        }
    }

    /** @return the most prompts that were queued or running at once since the stand-in started */
    int mostAtOnce() {
        synchronized (lock) {
            return mostAtOnce;
        }
    }

    /** @return like {@link #mostAtOnce()}, but a running prompt counts only until {@link #finished()} */
    int mostUnfinished() {
        synchronized (lock) {
            return mostUnfinished;
        }
    }

    /** Tells that the running prompt's history entry is written (ComfyUI's task_done); it no longer counts as held. */
    void finished() {
        synchronized (lock) {
            runningFinished = true;
        }
    }

    List<ReceivedPrompt> received() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    void setFault(JobFault next) {
        synchronized (lock) {
            fault = requireNonNull(next, "next is null");
            lock.notifyAll();
        }
    }

    JobFault fault() {
        synchronized (lock) {
            return fault;
        }
    }

    void setStepTime(Duration value) {
        synchronized (lock) {
            stepTime = requireNonNull(value, "value is null");
        }
    }

    void setHistoryDelay(Duration value) {
        synchronized (lock) {
            historyDelay = requireNonNull(value, "value is null");
        }
    }

    Duration historyDelay() {
        synchronized (lock) {
            return historyDelay;
        }
    }

    void setPngPreviews(boolean value) {
        synchronized (lock) {
            pngPreviews = value;
        }
    }

    boolean pngPreviews() {
        synchronized (lock) {
            return pngPreviews;
        }
    }

    NodeCatalog nodes() {
        return nodes;
    }

    ClientSockets sockets() {
        return sockets;
    }

    HistoryStore history() {
        return history;
    }

    OutputFiles files() {
        return files;
    }

    /** Waits while prompts are stalled; returns false when the stand-in closed meanwhile. */
    boolean awaitUnstalled() throws InterruptedException {
        synchronized (lock) {
            while (!closed && fault instanceof JobFault.Stall) {
                lock.wait();
            }
            return !closed;
        }
    }

    /** Sleeps one sampling step; returns false when the running prompt was interrupted (or the stand-in closed). */
    boolean sleepStep() throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + stepTime.toNanos();
            while (!closed && !interruptRequested) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return false;
        }
    }

    /** Sleeps, unless the stand-in closes first. */
    void sleep(Duration wait) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    boolean interruptRequested() {
        synchronized (lock) {
            return interruptRequested || closed;
        }
    }

    /** @return how many prompts wait behind the running one */
    int waiting() {
        synchronized (lock) {
            return pending.size();
        }
    }

    @Override
    public void close() {
        Thread stopping;
        synchronized (lock) {
            closed = true;
            stopping = worker;
            lock.notifyAll();
        }
        if (stopping != null) {
            stopping.interrupt();
        }
    }

    private void work() {
        while (true) {
            Queued next;
            synchronized (lock) {
                while (!closed && pending.isEmpty()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                next = pending.poll();
                running = next;
                runningFinished = false;
                interruptRequested = false;
            }
            try {
                new PromptRun(this, next).run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug in the stand-in must not end the worker; the prompt just ends without messages.
                System.err.println("ComfyUI stand-in: prompt " + next.promptId() + " failed: " + e);
            } finally {
                synchronized (lock) {
                    running = null;
                    lock.notifyAll();
                }
            }
        }
    }
}
