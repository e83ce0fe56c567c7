package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * One client thread of a crash trial: sends random changes of its own backends one after another until
 * stopped or until the server is gone, records each acknowledged change in the model, and remembers the
 * change that was in flight when the connection broke.
 */
final class MutationWorker implements Runnable {
    private final int index;
    private final ApiSession api;
    private final ReferenceModel model;
    private final MutationPicker picker;
    private final LongSupplier killedAtNanos;
    private final List<String> problems;
    private volatile boolean stopped;
    private volatile BackendMutation inFlight;

    /**
     * @param killedAtNanos {@link System#nanoTime()} when the kill was sent, or {@link Long#MAX_VALUE} before
     * @param problems where findings go (shared, thread-safe)
     */
    MutationWorker(int index, ApiSession api, ReferenceModel model, MutationPicker picker, LongSupplier killedAtNanos,
                   CopyOnWriteArrayList<String> problems) {
        this.index = index;
        this.api = requireNonNull(api, "api is null");
        this.model = requireNonNull(model, "model is null");
        this.picker = requireNonNull(picker, "picker is null");
        this.killedAtNanos = requireNonNull(killedAtNanos, "killedAtNanos is null");
        this.problems = requireNonNull(problems, "problems is null");
    }

    @Override
    public void run() {
        while (!stopped) {
            BackendMutation mutation = picker.next(model.ownedBy(index), model.vacatedBy(index));
            inFlight = mutation;
            JsonObject answer;
            try {
                answer = api.call(mutation.route(), mutation.parameters());
            } catch (IOException e) {
                if (System.nanoTime() < killedAtNanos.getAsLong()) {
                    problems.add("worker " + index + ": " + mutation + " failed before the kill: " + e);
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                problems.add("worker " + index + ": " + mutation + ": " + e);
                return;
            }
            if (answer.has("error")) {
                problems.add("worker " + index + ": " + mutation + " was refused: " + answer);
            } else {
                model.acknowledge(index, mutation, answer);
            }
            inFlight = null;
        }
    }

    /** Sends no further change after the one in flight. */
    void stop() {
        stopped = true;
    }

    int index() {
        return index;
    }

    /** The change sent but never answered (the server died first); read after the thread ended. */
    Optional<BackendMutation> inFlight() {
        return Optional.ofNullable(inFlight);
    }
}
