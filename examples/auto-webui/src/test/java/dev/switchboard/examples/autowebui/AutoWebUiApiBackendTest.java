package dev.switchboard.examples.autowebui;

import static dev.switchboard.examples.autowebui.AutoWebUiApiContractTest.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.switchboard.api.BackendStatus;
import dev.switchboard.api.generation.ModelType;
import dev.switchboard.testkit.backends.TestingBackendContext;
import dev.switchboard.testkit.remote.StallingServer;
import dev.switchboard.testkit.sdwebui.SdWebUiModel;
import dev.switchboard.testkit.sdwebui.SdWebUiRequest;
import dev.switchboard.testkit.sdwebui.SdWebUiStandIn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AutoWebUiApiBackendTest {
    private final SdWebUiStandIn webUi = SdWebUiStandIn.start();

    @AfterEach
    void stopStandIn() {
        webUi.close();
    }

    @Test
    void runsWithTheWebUisCheckpointSamplersAndFeatures() throws Exception {
        try (TestingBackendContext context = new TestingBackendContext(address(webUi.address()))) {
            AutoWebUiApiBackend backend = new AutoWebUiApiBackend(context);

            backend.init();

            assertThat(context.status()).isEqualTo(BackendStatus.RUNNING);
            assertThat(context.statusMessage()).isEqualTo("Running: SD-WebUI at " + webUi.address()
                    + " with model v1-5-pruned-emaonly.safetensors, 4 samplers");
            assertThat(context.currentModel()).hasValue("v1-5-pruned-emaonly.safetensors");
            assertThat(context.features()).containsExactlyInAnyOrder("variation_seed", "autowebui");
            assertThat(context.maxUsages()).isEqualTo(1);
            assertThat(context.canLoadModels()).isTrue();
            assertThat(context.output()).anySatisfy(line -> assertThat(line)
                    .endsWith("offers 4 samplers: DPM++ 2M, Euler a, Euler, DDIM"));
            assertThat(context.models()).isEqualTo(Map.of(ModelType.STABLE_DIFFUSION,
                    List.of("v1-5-pruned-emaonly.safetensors")));
            assertThat(context.output()).anySatisfy(line -> assertThat(line)
                    .endsWith("offers 4 schedulers: automatic, uniform, karras, exponential"));
            assertThat(webUi.requests()).extracting(SdWebUiRequest::method, SdWebUiRequest::path).containsExactly(
                    tuple("GET", "/sdapi/v1/options"),
                    tuple("GET", "/sdapi/v1/samplers"),
                    tuple("GET", "/sdapi/v1/sd-models"),
                    tuple("GET", "/sdapi/v1/schedulers"));
            backend.shutdown();
        }
    }

    @Test
    void aCheckpointOutsideTheListIsMatchedByFileNameIgnoringCase() throws Exception {
        webUi.setModels(List.of(SdWebUiModel.of("SDXL/Juggernaut_XL.safetensors", "1234567890")));
        webUi.setCheckpoint("juggernaut_xl.ckpt [0000000000]");
        try (TestingBackendContext context = new TestingBackendContext(address(webUi.address() + "/"))) {
            AutoWebUiApiBackend backend = new AutoWebUiApiBackend(context);

            backend.init();

            assertThat(context.currentModel()).hasValue("SDXL/Juggernaut_XL.safetensors");
            backend.shutdown();
        }
    }

    @Test
    void anEmptyAddressDisablesTheBackendWithoutAnyRequest() throws Exception {
        try (TestingBackendContext context = new TestingBackendContext(address(""))) {
            new AutoWebUiApiBackend(context).init();

            assertThat(context.status()).isEqualTo(BackendStatus.DISABLED);
            assertThat(context.statusMessage())
                    .isEqualTo("Set Address to the WebUI's address (e.g. http://localhost:7860) to use this backend.");
            assertThat(webUi.requests()).isEmpty();
        }
    }

    @Test
    void aWebUiStartedWithoutApiIsRefusedWithTheFix() {
        webUi.setApiEnabled(false);
        try (TestingBackendContext context = new TestingBackendContext(address(webUi.address()))) {
            AutoWebUiApiBackend backend = new AutoWebUiApiBackend(context);

            assertThatThrownBy(backend::init).isInstanceOf(WebUiException.class).hasMessage("SD-WebUI at "
                    + webUi.address() + " answered 404 Not Found for /sdapi/v1/options: start it with --api (add"
                    + " --api to COMMANDLINE_ARGS in webui-user.sh or webui-user.bat), and check that the address"
                    + " is the WebUI's.");
            backend.shutdown();
        }
    }

    @Test
    void nothingListeningIsReportedAsConnectionRefused() throws IOException {
        String closedAddress;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedAddress = "http://127.0.0.1:" + socket.getLocalPort();
        }
        try (TestingBackendContext context = new TestingBackendContext(address(closedAddress))) {
            AutoWebUiApiBackend backend = new AutoWebUiApiBackend(context);

            assertThatThrownBy(backend::init).hasMessage("Could not connect to SD-WebUI at " + closedAddress
                    + ": connection refused. Is it running, and is the address (host and port) right?");
            backend.shutdown();
        }
    }

    @Test
    void validationRefusesAddressesThatAreNotHttpUrls() {
        AutoWebUiApiBackendType type = new AutoWebUiApiBackendType();

        assertThat(type.validate(address(""))).isEmpty();
        assertThat(type.validate(address("http://gpu-box:7860"))).isEmpty();
        assertThat(type.validate(address("gpu-box:7860"))).singleElement().satisfies(issue -> {
            assertThat(issue.setting()).isEqualTo(AutoWebUiSettings.ADDRESS);
            assertThat(issue.message()).isEqualTo("Address 'gpu-box:7860' must start with http:// or https://,"
                    + " e.g. http://localhost:7860.");
        });
        assertThat(type.validate(address("http://gpu-box:7860/?x=1"))).singleElement()
                .satisfies(issue -> assertThat(issue.message()).contains("must not have a query"));
    }

    @Test
    void checkpointsOfAWebUiOnWindowsAreReportedWithSlashes() throws Exception {
        webUi.setModels(List.of(new SdWebUiModel("sdxl\\base.safetensors [31e35c80fc]", "sdxl\\base", "31e35c80fc",
                null, "C:\\webui\\models\\Stable-diffusion\\sdxl\\base.safetensors")));
        webUi.setCheckpoint("sdxl\\base.safetensors [31e35c80fc]");
        try (TestingBackendContext context = new TestingBackendContext(address(webUi.address()))) {
            AutoWebUiApiBackend backend = new AutoWebUiApiBackend(context);

            backend.init();

            assertThat(context.models()).isEqualTo(Map.of(ModelType.STABLE_DIFFUSION, List.of("sdxl/base.safetensors")));
            assertThat(context.currentModel()).hasValue("sdxl/base.safetensors");
            backend.shutdown();
        }
    }

    @Test
    void anAnswerThatIsNotStrictJsonIsRefusedWithWhatCameBack() {
        // Gson's lenient parser would take this for the JSON string "Unauthorized".
        try (StallingServer proxy = StallingServer.start()) {
            proxy.answer("text/plain", "Unauthorized");
            try (TestingBackendContext context = new TestingBackendContext(address(proxy.baseUrl()))) {
                AutoWebUiApiBackend backend = new AutoWebUiApiBackend(context);

                assertThatThrownBy(backend::init).isInstanceOf(WebUiException.class).hasMessage("SD-WebUI at "
                        + proxy.baseUrl() + " answered /sdapi/v1/options (HTTP 200) with something that is not JSON"
                        + " (Unauthorized): is the address the WebUI's?");
                backend.shutdown();
            }
        }
    }
}
