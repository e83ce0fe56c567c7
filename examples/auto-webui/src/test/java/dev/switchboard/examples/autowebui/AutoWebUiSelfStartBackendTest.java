package dev.switchboard.examples.autowebui;

import static dev.switchboard.examples.autowebui.AutoWebUiSelfStartContractTest.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.Cancellation;
import dev.switchboard.api.generation.GenerationJob;
import dev.switchboard.api.generation.GenerationParameters;
import dev.switchboard.testkit.backends.RecordingGenerationOutput;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.sdwebui.FakeSdWebUiScript;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AutoWebUiSelfStartBackendTest {
    @TempDir
    Path folder;

    @Test
    void launchesTheWebUiWithApiPortAndGpuAndRunsOnceItAnswers() throws Exception {
        Path script = FakeSdWebUiScript.install(folder);
        try (TestingBackendContext context = new TestingBackendContext(settings(script, "--xformers  --lowvram"))) {
            AutoWebUiSelfStartBackend backend = new AutoWebUiSelfStartBackend(context);
            try {
                backend.init();

                assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
                assertThat(context.currentModel()).hasValue("v1-5-pruned-emaonly.safetensors");
                assertThat(context.features()).containsExactlyInAnyOrder("variation_seed", "autowebui");
                assertThat(context.output()).anySatisfy(line -> assertThat(line)
                        .matches("fake webui arguments: --xformers --lowvram --api --port=\\d+"));
                assertThat(context.output()).contains("fake webui CUDA_VISIBLE_DEVICES=1");
            } finally {
                backend.shutdown();
            }
        }
    }

    @Test
    void aWebUiThatExitsDuringStartUpIsErroredWithItsExitCodeAndLastLines() throws Exception {
        Path script = FakeSdWebUiScript.install(folder);
        try (TestingBackendContext context = new TestingBackendContext(settings(script, "--mode exit"))) {
            AutoWebUiSelfStartBackend backend = new AutoWebUiSelfStartBackend(context);

            backend.init();

            assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
            assertThat(context.statusMessage()).startsWith("SD-WebUI exited with code 1 during start-up; last lines:")
                    .endsWith("fake webui: failing on purpose");
            backend.shutdown();
        }
    }

    @Test
    void aWebUiThatExitsWhileRunningIsErrored() throws Exception {
        Path script = FakeSdWebUiScript.install(folder);
        try (TestingBackendContext context = new TestingBackendContext(settings(script, ""))) {
            AutoWebUiSelfStartBackend backend = new AutoWebUiSelfStartBackend(context);
            backend.init();
            assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);

            // The WebUI dies on its own (killed from outside): the backend must not stay running.
            String program = folder.resolve("fake_webui.py").toString();
            ProcessHandle.current().descendants()
                    .filter(process -> process.info().commandLine().orElse("").contains(program))
                    .forEach(ProcessHandle::destroyForcibly);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
                assertThat(context.statusMessage()).startsWith("SD-WebUI exited with code ");
            });
            backend.shutdown();
        }
    }

    @Test
    void webUiUserShIsRefusedWithTheFix() throws Exception {
        Path userScript = Files.writeString(folder.resolve("webui-user.sh"), "export COMMANDLINE_ARGS=\"\"\n");
        try (TestingBackendContext context = new TestingBackendContext(settings(userScript, ""))) {
            new AutoWebUiSelfStartBackend(context).init();

            assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
            assertThat(context.statusMessage()).isEqualTo("StartScript " + userScript + " is webui-user.sh, which"
                    + " only sets variables: point it at webui.sh in the same folder and put your options in"
                    + " ExtraArgs.");
        }
    }

    @Test
    void aWebUiUserBatThatDropsItsArgumentsIsRefused() throws Exception {
        Path bat = Files.writeString(folder.resolve("webui-user.bat"), "set COMMANDLINE_ARGS=\r\ncall webui.bat\r\n");
        try (TestingBackendContext context = new TestingBackendContext(settings(bat, ""))) {
            new AutoWebUiSelfStartBackend(context).init();

            assertThat(context.status()).isEqualTo(BackendStatus.ERRORED);
            assertThat(context.statusMessage()).contains("does not pass its arguments on");
        }
    }

    @Test
    void anEmptyStartScriptDisablesTheBackend() throws Exception {
        try (TestingBackendContext context = new TestingBackendContext(settings(Path.of(""), ""))) {
            new AutoWebUiSelfStartBackend(context).init();

            assertThat(context.status()).isEqualTo(BackendStatus.DISABLED);
        }
    }

    @Test
    void generatesThroughTheWebUiItLaunched() throws Exception {
        Path script = FakeSdWebUiScript.install(folder);
        try (TestingBackendContext context = new TestingBackendContext(settings(script, ""))) {
            AutoWebUiSelfStartBackend backend = new AutoWebUiSelfStartBackend(context);
            try {
                backend.init();
                RecordingGenerationOutput output = new RecordingGenerationOutput();

                backend.generate(new GenerationJob("job", GenerationParameters.builder()
                        .model("v1-5-pruned-emaonly.safetensors").steps(2).size(40, 24).batchSize(2).build(),
                        Cancellation.create()), output);

                assertThat(output.progress()).isNotEmpty();
                assertThat(output.images()).hasSize(2).allSatisfy(image -> {
                    BufferedImage picture = ImageIO.read(new ByteArrayInputStream(image.data()));
                    assertThat(picture.getWidth()).isEqualTo(40);
                    assertThat(picture.getHeight()).isEqualTo(24);
                });
            } finally {
                backend.shutdown();
            }
        }
    }
}
