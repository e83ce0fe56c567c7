package dev.switchboard.distribution.durability;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one client thread's generated steps against a running server: changes of its own backends (recorded
 * in the model when acknowledged), and restarts, memory frees and listings that also touch the other
 * threads' backends. Checks what it can check at once: no step is stuck (longer than {@link #STEP_LIMIT}), no
 * change is refused, a listing shows this thread's backends as acknowledged, and a deleted self-started
 * backend's process is gone. How long steps take is reported, not judged: that is the benchmarks' job.
 */
final class StepRunner implements Runnable {
    /**
     * A step that takes longer is stuck, not slow. Every wait inside an operation is bounded by the server's
     * deadlines (stopping a launched process: SIGINT, 3 s, SIGTERM, 3 s, SIGKILL; no job holds a slot here, so
     * no drain waits), but a RestartBackends of every backend stops them one after another, which on a loaded
     * two-core machine took 6 s; a bound of 5 s failed runs for no fault of the server.
     */
    static final Duration STEP_LIMIT = Duration.ofSeconds(60);
    private static final Duration PROCESS_GONE = Duration.ofSeconds(10);
    /** Self-started backends launch one at a time; more than one per thread only makes the run slower. */
    private static final int MAX_SELF_STARTED = 1;

    private final int index;
    private final List<OperationStep> steps;
    private final ApiSession api;
    private final ReferenceModel model;
    private final Path fakeComfyUi;
    private final String tokenPrefix;
    private final AtomicLong tokens;
    private final List<String> problems;
    private final List<Long> stepMillis = new ArrayList<>();

    StepRunner(int index, List<OperationStep> steps, ApiSession api, ReferenceModel model, Path fakeComfyUi,
               String tokenPrefix, AtomicLong tokens, CopyOnWriteArrayList<String> problems) {
        this.index = index;
        this.steps = List.copyOf(steps);
        this.api = requireNonNull(api, "api is null");
        this.model = requireNonNull(model, "model is null");
        this.fakeComfyUi = requireNonNull(fakeComfyUi, "fakeComfyUi is null");
        this.tokenPrefix = requireNonNull(tokenPrefix, "tokenPrefix is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.problems = requireNonNull(problems, "problems is null");
    }

    @Override
    public void run() {
        try {
            for (OperationStep step : steps) {
                run(step);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("thread " + index + " was interrupted");
        } catch (Exception | AssertionError e) {
            problems.add("thread " + index + " failed: " + e);
        }
    }

    /** How long each call took, in milliseconds. */
    List<Long> stepMillis() {
        return List.copyOf(stepMillis);
    }

    private void run(OperationStep step) throws Exception {
        Map<Integer, ExpectedBackend> owned = model.ownedBy(index);
        MutationPicker values = new MutationPicker(new Random(step.valueSeed()));
        List<Integer> ids = new ArrayList<>(owned.keySet());
        Integer chosen = ids.isEmpty() ? null : ids.get(Math.floorMod(step.selector(), ids.size()));
        switch (step.kind()) {
            case ADD -> change(new BackendMutation.Add(values.nextBoolean() ? MutationPicker.COMFYUI_API
                    : MutationPicker.SWARM));
            case ADD_SELF_START -> addSelfStarted(owned);
            case EDIT -> {
                if (chosen != null) {
                    change(values.edit(chosen, owned.get(chosen), model.vacatedBy(index)));
                }
            }
            case TOGGLE -> {
                if (chosen != null) {
                    change(new BackendMutation.Toggle(chosen, !owned.get(chosen).enabled()));
                }
            }
            case DELETE -> {
                if (chosen != null) {
                    change(new BackendMutation.Delete(chosen));
                    checkProcessGone(owned.get(chosen));
                }
            }
            case RESTART_OWN -> {
                if (chosen != null) {
                    call("RestartBackends", parameters("backend", Integer.toString(chosen)));
                }
            }
            case RESTART_ALL -> call("RestartBackends", parameters("backend", "all"));
            case FREE_MEMORY -> {
                JsonObject parameters = parameters("backend", "all");
                parameters.addProperty("system_ram", values.nextBoolean());
                call("FreeBackendMemory", parameters);
            }
            case LIST -> {
                // Another thread may change its own backends meanwhile; ours are changed only by us.
                JsonObject list = call("ListBackends", new JsonObject());
                Map<Integer, ExpectedBackend> mine = model.ownedBy(index);
                problems.addAll(ModelComparison.withList(mine, list, model.facts(), false));
                for (Integer gone : model.vacatedBy(index)) {
                    if (list.has(Integer.toString(gone))) {
                        problems.add("thread " + index + ": ListBackends still shows backend " + gone
                                + " after it was deleted or moved");
                    }
                }
            }
            default -> throw new IllegalStateException("unknown step " + step);
        }
    }

    private void addSelfStarted(Map<Integer, ExpectedBackend> owned) throws Exception {
        long running = owned.values().stream().filter(backend -> MutationPicker.SELF_START.equals(backend.type()))
                .count();
        if (running >= MAX_SELF_STARTED) {
            return;
        }
        JsonObject added = change(new BackendMutation.Add(MutationPicker.SELF_START));
        if (added == null) {
            return;
        }
        JsonObject settings = new JsonObject();
        settings.addProperty("StartScript", fakeComfyUi.toString());
        settings.addProperty("ExtraArgs", ProcessCensus.TOKEN_FLAG + " " + tokenPrefix + tokens.incrementAndGet());
        settings.addProperty("AutoRestart", true);
        change(new BackendMutation.Edit(added.get("id").getAsInt(), "fake ComfyUI " + index, settings, -1));
    }

    private JsonObject change(BackendMutation mutation) throws Exception {
        JsonObject answer = call(mutation.route(), mutation.parameters());
        if (answer.has("error")) {
            problems.add("thread " + index + ": " + mutation + " was refused: " + answer);
            return null;
        }
        model.acknowledge(index, mutation, answer);
        return answer;
    }

    private JsonObject call(String route, JsonObject parameters) throws Exception {
        long started = System.nanoTime();
        JsonObject answer = api.call(route, parameters);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        stepMillis.add(millis);
        if (millis > STEP_LIMIT.toMillis()) {
            problems.add("thread " + index + ": " + route + " " + parameters + " took " + millis + " ms");
        }
        return answer;
    }

    /** After an acknowledged delete, a self-started backend's process must be gone within 10 s. */
    private void checkProcessGone(ExpectedBackend deleted) throws InterruptedException {
        String token = token(deleted);
        if (token == null) {
            return;
        }
        long deadline = System.nanoTime() + PROCESS_GONE.toNanos();
        while (!ProcessCensus.processesOf(token).isEmpty()) {
            if (System.nanoTime() > deadline) {
                problems.add("thread " + index + ": the process of deleted backend " + token + " still runs: "
                        + ProcessCensus.processesOf(token));
                return;
            }
            Thread.sleep(50);
        }
    }

    /** The token a self-started backend's ExtraArgs carry, or null. */
    static String token(ExpectedBackend backend) {
        if (!MutationPicker.SELF_START.equals(backend.type())) {
            return null;
        }
        String[] words = backend.settings().get("ExtraArgs").getAsString().split(" ");
        return words.length == 2 && ProcessCensus.TOKEN_FLAG.equals(words[0]) ? words[1] : null;
    }

    private static JsonObject parameters(String name, String value) {
        JsonObject parameters = new JsonObject();
        parameters.addProperty(name, value);
        return parameters;
    }
}
