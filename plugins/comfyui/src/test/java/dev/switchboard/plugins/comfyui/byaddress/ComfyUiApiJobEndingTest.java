package dev.switchboard.plugins.comfyui.byaddress;

import static dev.switchboard.plugins.comfyui.byaddress.GenerationFixture.PATIENCE;
import static dev.switchboard.plugins.comfyui.byaddress.GenerationFixture.job;
import static dev.switchboard.plugins.comfyui.byaddress.GenerationFixture.parameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.generation.GenerationException;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.plugins.comfyui.RecordingOutput;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@code comfyui_api} jobs end other than with their images: cancelled while running, while waiting in ComfyUI's
 * queue or while ComfyUI stalls; ComfyUI's socket dropping, ComfyUI dying, ComfyUI interrupted by someone else;
 * and no thread left behind.
 */
final class ComfyUiApiJobEndingTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private final GenerationFixture fixture = new GenerationFixture();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void cancellingARunningJobInterruptsOurPromptAndEndsTheJobWithinTwoSeconds() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        SlowJob slow = startSlowJob(backend);
        String promptId = fixture.standIn.prompts().get(0).promptId();

        slow.job().cancellation().cancel("Generation session interrupted.");

        slow.done().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(PATIENCE).until(() -> fixture.calls("POST", "/history").size() == 1);
        assertThat(fixture.calls("POST", "/queue")).containsExactly("POST /queue {\"delete\":[\"" + promptId + "\"]}");
        assertThat(fixture.calls("POST", "/interrupt")).containsExactly("POST /interrupt {\"prompt_id\":\""
                + promptId + "\"}");
        assertThat(fixture.calls("POST", "/history")).containsExactly("POST /history {\"delete\":[\"" + promptId
                + "\"]}");
        // The entry is deleted after the interrupted prompt ended, so it does not come back.
        assertThat(get("/history/" + promptId)).isEqualTo("{}");
        assertThat(get("/queue")).isEqualTo("{\"queue_running\":[],\"queue_pending\":[]}");
        assertThat(slow.output().images()).isEmpty();
    }

    @Test
    void cancellingAJobStillInComfyUisQueueDeletesItThereAndInterruptsNothing() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        SlowJob first = startSlowJob(backend);
        GenerationJob waiting = job(parameters().build());
        CompletableFuture<Void> second = fixture.start(backend, waiting, new RecordingOutput());
        await().atMost(PATIENCE).until(() -> fixture.standIn.prompts().size() == 2);
        String waitingId = fixture.standIn.prompts().get(1).promptId();

        waiting.cancellation().cancel("Generation session interrupted.");

        second.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(PATIENCE).until(() -> fixture.calls("POST", "/history").size() == 1);
        assertThat(fixture.calls("POST", "/queue")).containsExactly("POST /queue {\"delete\":[\"" + waitingId
                + "\"]}");
        assertThat(fixture.calls("POST", "/interrupt")).isEmpty();
        assertThat(get("/queue")).doesNotContain(waitingId);
        assertThat(first.done()).isNotDone();
        first.job().cancellation().cancel("done");
        first.done().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void cancellingBeforeComfyUiAnsweredThePromptStillTakesItOffOnceItAnswers() throws Exception {
        ComfyUiApiBackend backend = fixture.running();
        fixture.standIn.delay(Duration.ofMillis(1500));
        GenerationJob job = job(parameters().build());
        CompletableFuture<Void> running = fixture.start(backend, job, new RecordingOutput());
        await().atMost(PATIENCE).until(() -> !fixture.calls("POST", "/prompt").isEmpty());

        job.cancellation().cancel("Generation session interrupted.");

        running.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
        String promptId = fixture.standIn.prompts().get(0).promptId();
        await().atMost(PATIENCE).until(() -> fixture.calls("POST", "/history")
                .contains("POST /history {\"delete\":[\"" + promptId + "\"]}"));
        fixture.standIn.resume();
        assertThat(fixture.calls("POST", "/queue")).containsExactly("POST /queue {\"delete\":[\"" + promptId
                + "\"]}");
        assertThat(get("/history/" + promptId)).isEqualTo("{}");
    }

    @Test
    void aStalledComfyUiIsCancelledPromptly() throws Exception {
        fixture.standIn.stallJobs();
        ComfyUiApiBackend backend = fixture.running();
        GenerationJob job = job(parameters().build());
        CompletableFuture<Void> running = fixture.start(backend, job, new RecordingOutput());
        await().atMost(PATIENCE).until(() -> !fixture.standIn.prompts().isEmpty());
        // Past the quiet spell: the job asked ComfyUI, which still lists the prompt as running, and waits on.
        await().atMost(PATIENCE).until(() -> !fixture.calls("GET", "/queue").isEmpty());
        assertThat(running).isNotDone();

        job.cancellation().cancel("Generation session interrupted.");

        running.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(PATIENCE).until(() -> fixture.calls("POST", "/history").size() == 1);
        assertThat(fixture.calls("POST", "/interrupt")).hasSize(1);
    }

    @Test
    void aSocketThatDropsMidJobFailsItWithAReasonNamingComfyUi() throws Exception {
        fixture.standIn.dropSocketsAfterSteps(1);
        fixture.standIn.setStepTime(Duration.ofMillis(100));
        ComfyUiApiBackend backend = fixture.running();

        // Either the JDK reports the cut at once, or the job notices it at its next check (a ping goes unanswered
        // while ComfyUI still runs the prompt): the JDK's client does not always report a cut connection.
        assertThatThrownBy(() -> backend.generate(job(parameters().steps(200).build()), new RecordingOutput()))
                .isInstanceOf(GenerationException.class)
                .hasMessageStartingWith("Lost the connection to ComfyUI at " + fixture.standIn.baseUrl()
                        + " while it ran prompt " + fixture.standIn.prompts().get(0).promptId() + ": ")
                .hasMessageContaining("WebSocket");
    }

    @Test
    void comfyUiDyingMidJobFailsItPromptly() throws Exception {
        SlowJob slow = startSlowJob(fixture.running());

        fixture.standIn.refuse();

        assertThatThrownBy(() -> slow.done().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(GenerationException.class)
                .hasMessageStartingWith("Lost the connection to ComfyUI at " + fixture.standIn.baseUrl());
    }

    @Test
    void aPromptInterruptedOnComfyUiItselfFailsTheJobSayingSo() throws Exception {
        SlowJob slow = startSlowJob(fixture.running());
        String promptId = fixture.standIn.prompts().get(0).promptId();

        post("/interrupt", "");

        assertThatThrownBy(() -> slow.done().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(GenerationException.class)
                .hasMessage("ComfyUI at " + fixture.standIn.baseUrl() + " interrupted prompt " + promptId
                        + " (someone interrupted it on ComfyUI itself).");
    }

    @Test
    void noThreadIsLeftBehindAfterJobsAndShutdown() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ComfyUiApiBackend backend = fixture.running();
        backend.generate(job(parameters().build()), new RecordingOutput());
        SlowJob cancelled = startSlowJob(backend);
        cancelled.job().cancellation().cancel("stop");
        cancelled.done().get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);

        backend.shutdown();
        fixture.lastContext().close();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet()
                .stream().filter(thread -> !before.contains(thread) && thread.isAlive() && !mayOutlive(thread))
                .map(Thread::getName).collect(Collectors.toSet())).isEmpty());
    }

    /** A job of 200 steps of 100 ms each, started on its own thread and seen sampling. */
    private record SlowJob(GenerationJob job, CompletableFuture<Void> done, RecordingOutput output) {
    }

    private SlowJob startSlowJob(ComfyUiApiBackend backend) {
        fixture.standIn.setStepTime(Duration.ofMillis(100));
        RecordingOutput output = new RecordingOutput();
        GenerationJob job = job(parameters().steps(200).build());
        CompletableFuture<Void> done = fixture.start(backend, job, output);
        await().atMost(PATIENCE).until(() -> !output.previews().isEmpty());
        return new SlowJob(job, done, output);
    }

    /** The threads the backend-type contract test allows to outlive a backend, and the test's own. */
    private static boolean mayOutlive(Thread thread) {
        String name = thread.getName();
        return (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager"))
                || name.startsWith("ForkJoinPool.commonPool-worker-") || name.startsWith("comfyui-stand-in-")
                || name.equals("CompletableFutureDelayScheduler") || name.startsWith("pool-")
                || name.startsWith("awaitility");
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.standIn.baseUrl() + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void post(String path, String body) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.standIn.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
