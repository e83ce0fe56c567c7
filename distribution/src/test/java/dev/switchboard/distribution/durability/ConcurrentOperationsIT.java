package dev.switchboard.distribution.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.switchboard.testkit.comfyui.FakeComfyUiScript;
import dev.switchboard.testkit.server.SwitchboardProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * R11: random sequences of concurrent operations from several client threads on a running server (the
 * distribution's {@code bin/switchboard}, real sockets), after which {@code ListBackends}, {@code backends.json} and the reference model agree; no step
 * takes more than 5 s; a self-started backend never has more than one live process, and none is left after
 * its deletion or the server's shutdown.
 *
 * <p>Each thread changes only its own backends (and moves them only to ids it vacated), so the acknowledged
 * order of the changes of one backend is the order they took effect and the model is exact; the threads still
 * contend for the store, the id counter and every backend through {@code RestartBackends all},
 * {@code FreeBackendMemory all} and {@code ListBackends}, which change no configuration. Concurrent changes of
 * one backend by several clients are left out on purpose: a client cannot observe the order in which the server
 * applied them, so no model could say which outcome is right.
 *
 * <p>{@code -Dswitchboard.concurrency.tries=N} sets the number of tries (8 by default, each a fresh server
 * with four threads of 5 to 60 steps); {@code -Dswitchboard.concurrency.seed=S} replays a run's step lists.
 */
final class ConcurrentOperationsIT {
    private static final int THREADS = 4;
    private static final Duration SHUTDOWN_GONE = Duration.ofSeconds(10);
    private static final Duration READY = Duration.ofSeconds(60);

    @Test
    void concurrentOperationSequencesLeaveTheApiTheFileAndTheModelInAgreement() throws Exception {
        int tries = Integer.getInteger("switchboard.concurrency.tries", 8);
        long seed = Long.getLong("switchboard.concurrency.seed", new Random().nextLong());
        System.out.printf("ConcurrentOperationsIT: %d tries, seed %d (replay with -Dswitchboard.concurrency.seed=%d)%n",
                tries, seed, seed);
        Random random = new Random(seed);
        long steps = 0;
        long slowest = 0;
        for (int attempt = 1; attempt <= tries; attempt++) {
            List<List<OperationStep>> plans = OperationPlans.random(random, THREADS);
            TryResult result = runTry(plans);
            steps += result.stepMillis().size();
            slowest = Math.max(slowest, result.stepMillis().stream().max(Comparator.naturalOrder()).orElse(0L));
            assertThat(result.problems()).as("try %d of seed %d, plans %s", attempt, seed, plans).isEmpty();
        }
        System.out.printf("ConcurrentOperationsIT figures (seed %d): %d tries, %d steps from %d threads, slowest step "
                + "%d ms (limit %d ms), 0 problems%n", seed, tries, steps, THREADS, slowest,
                StepRunner.STEP_LIMIT.toMillis());
    }

    /** What one try found: its problems in words, and how long each step took. */
    private record TryResult(List<String> problems, List<Long> stepMillis) {
    }

    private TryResult runTry(List<List<OperationStep>> plans) throws Exception {
        Path temp = Files.createTempDirectory("concurrent-operations");
        Path data = temp.resolve("data");
        Path fakeComfyUi = FakeComfyUiScript.install(Files.createDirectories(temp.resolve("comfy")));
        String tokenPrefix = "sbt-" + Long.toHexString(System.nanoTime()) + "-";
        CopyOnWriteArrayList<String> problems = new CopyOnWriteArrayList<>();
        List<Long> stepMillis = new ArrayList<>();
        Set<String> tokensSeen = new TreeSet<>();
        ReferenceModel model;
        SwitchboardProcess server = ServerJvm.start(temp, data, "--start-timeout-minutes", "1");
        try (ProcessCensus census = new ProcessCensus(server.process().toHandle())) {
            try {
                HttpClient http = ApiSession.newHttpClient();
                ApiSession api = ApiSession.open(http, server.awaitReady(READY), Duration.ofSeconds(60));
                Map<Integer, ExpectedBackend> first = new TreeMap<>();
                model = new ReferenceModel(BackendTypeFacts.learn(api, List.of(MutationPicker.COMFYUI_API,
                        MutationPicker.SWARM, MutationPicker.SELF_START), first));
                for (Map.Entry<Integer, ExpectedBackend> backend : first.entrySet()) {
                    model.adopt(0, backend.getKey(), backend.getValue());
                }
                AtomicLong tokens = new AtomicLong();
                List<StepRunner> runners = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int index = 0; index < THREADS; index++) {
                    StepRunner runner = new StepRunner(index, plans.get(index), api, model, fakeComfyUi, tokenPrefix,
                            tokens, problems);
                    runners.add(runner);
                    threads.add(new Thread(runner, "concurrent-operations-" + index));
                }
                threads.forEach(Thread::start);
                for (Thread thread : threads) {
                    thread.join(Duration.ofMinutes(5).toMillis());
                    if (thread.isAlive()) {
                        problems.add(thread.getName() + " did not finish within 5 minutes: a deadlock?");
                    }
                }
                runners.forEach(runner -> stepMillis.addAll(runner.stepMillis()));

                problems.addAll(ModelComparison.withList(model, api.call("ListBackends", new JsonObject())));
                BackendsFileContent file = BackendsFileContent.read(data.resolve("backends.json"));
                problems.addAll(ModelComparison.withFile(model, file));
                for (ExpectedBackend backend : model.backends().values()) {
                    String token = StepRunner.token(backend);
                    if (token != null) {
                        tokensSeen.add(token);
                    }
                }
            } finally {
                server.terminate();
                int exitCode = server.awaitExit(READY);
                if (exitCode != 0) {
                    problems.add("the server exited with " + exitCode + " after SIGTERM: " + server.output());
                }
                server.close();
            }
            awaitNoProcessOf(tokenPrefix, problems);
            problems.addAll(census.violations());
            System.out.printf("ConcurrentOperationsIT try: %d steps, slowest %d ms, %d self-started backends at "
                            + "shutdown, %d process censuses%n", stepMillis.size(),
                    stepMillis.stream().max(Comparator.naturalOrder()).orElse(0L), tokensSeen.size(),
                    census.samples());
        } finally {
            deleteRecursively(temp);
        }
        return new TryResult(problems, stepMillis);
    }

    /** After shutdown no process of any self-started backend of this try may be left, within 10 s. */
    private static void awaitNoProcessOf(String tokenPrefix, List<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + SHUTDOWN_GONE.toNanos();
        while (true) {
            Map<String, List<Long>> left = new TreeMap<>(ProcessCensus.processesByToken());
            left.keySet().removeIf(token -> !token.startsWith(tokenPrefix));
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                problems.add("processes of self-started backends outlived the server's shutdown: " + left);
                left.values().forEach(pids -> pids.forEach(pid -> ProcessHandle.of(pid)
                        .ifPresent(ProcessHandle::destroyForcibly)));
                return;
            }
            Thread.sleep(50);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
