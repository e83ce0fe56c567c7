package dev.switchboard.server.it.swarm;

import static dev.switchboard.server.it.swarm.SwarmServers.PATIENCE;
import static dev.switchboard.server.it.swarm.SwarmServers.add;
import static dev.switchboard.server.it.swarm.SwarmServers.awaitStatus;
import static dev.switchboard.server.it.swarm.SwarmServers.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.server.bootstrap.SwitchboardServer;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.swarm.OldSwarmStandIn;
import dev.switchboard.testkit.swarm.SwarmRemoteStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A remote that quotes the credentials it was sent back in its error answers: the host removes every secret
 * setting's value (and the values of {@code OtherHeaders}) from that text before it becomes a status message,
 * an API answer or a log line, so no plugin has to remember to.
 */
final class SecretEchoIT {
    private static final String AUTHORIZATION = "Bearer ech0-s3cret-4f2b";
    private static final String TOKEN = "ech0-s3cret-4f2b";
    private static final String API_KEY = "k3y-v4lue-77aa";

    @TempDir
    Path data;
    SwitchboardServer local;
    SwarmApiClient api;
    OldSwarmStandIn remote;
    ListAppender<ILoggingEvent> logs;
    PatternLayout layout;

    @BeforeEach
    void start() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs = new ListAppender<>();
        logs.setContext(context);
        logs.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
        // Formats the kept events as the shipped configuration does: %msg and %ex are the redacting converters.
        layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%level %logger - %msg%n%ex");
        layout.start();
        local = SwarmServers.start(data, 0);
        api = new SwarmApiClient(local.url());
        remote = OldSwarmStandIn.start();
    }

    @AfterEach
    void stop() {
        local.close();
        remote.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void aRemoteQuotingItsCredentialsNeverGetsThemShownOrLogged() {
        remote.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "gpu", List.of("comfyui"), 1, null));
        int control = add(api, "swarmswarmbackend", "echoing box", "{\"Address\":\"" + remote.baseUrl()
                + "\",\"AuthorizationHeader\":\"" + AUTHORIZATION + "\",\"OtherHeaders\":\"X-Api-Key: " + API_KEY
                + "\\nX-Team: blue\"}");
        awaitStatus(api, control, "running");

        remote.failRoute("ListBackends", "denied for " + AUTHORIZATION + " (token " + TOKEN + ", key " + API_KEY + ")");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(view(api, control).get("status_message").getAsString())
                .contains("answered: denied for [redacted] (token [redacted], key [redacted])"));

        String everything = api.call("ListBackends", "{\"nonreal\":true,\"full_data\":true}") + " "
                + api.call("GetBackendLogs", "{\"backend_id\":" + control + "}");
        assertThat(everything).doesNotContain(TOKEN).doesNotContain(API_KEY);
        assertThat(view(api, control).getAsJsonObject("settings").get("OtherHeaders").getAsString())
                .isEqualTo("X-Api-Key: \t<secret>\nX-Team: \t<secret>");

        List<String> lines = logs.list.stream().map(layout::doLayout).toList();
        assertThat(lines).as("the echo was logged").anyMatch(line -> line.contains("denied for [redacted]"));
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(TOKEN).doesNotContain(API_KEY));
    }

    @Test
    void aGenerationErrorQuotingTheCredentialsReachesTheClientRedacted() {
        try (SwarmRemoteStandIn generating = SwarmRemoteStandIn.start()) {
            generating.putBackend(new SwarmRemoteStandIn.Backend(0, "comfyui_api", "running", "gpu", List.of(), 1,
                    null));
            generating.models("Stable-Diffusion", List.of("sdxl/base.safetensors"));
            int control = add(api, "swarmswarmbackend", "echoing box", "{\"Address\":\"" + generating.baseUrl()
                    + "\",\"AuthorizationHeader\":\"" + AUTHORIZATION + "\",\"OtherHeaders\":\"X-Api-Key: "
                    + API_KEY + "\"}");
            awaitStatus(api, control, "running");
            await().atMost(PATIENCE).until(() -> SwarmServers.children(api, control).stream()
                    .anyMatch(child -> child.get("status").getAsString().equals("running")));
            generating.generations(SwarmRemoteStandIn.Behaviour.FAIL, "denied for " + AUTHORIZATION + " (key "
                    + API_KEY + ")", Duration.ZERO);

            String error = api.call("GenerateText2Image", "{\"images\":1,\"model\":\"sdxl/base\",\"donotsave\":true}")
                    .get("error").getAsString();

            assertThat(error).isEqualTo("Remote swarm gave error: denied for [redacted] (key [redacted])");
            List<String> lines = logs.list.stream().map(layout::doLayout).toList();
            assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(TOKEN).doesNotContain(API_KEY));
        }
    }

    @Test
    void anEditThatSendsTheMaskedHeadersBackKeepsTheirValues() {
        remote.putBackend(new OldSwarmStandIn.Backend(0, "comfyui_api", "running", "gpu", List.of("comfyui"), 1, null));
        int control = add(api, "swarmswarmbackend", "box", "{\"Address\":\"" + remote.baseUrl()
                + "\",\"OtherHeaders\":\"X-Api-Key: " + API_KEY + "\\nX-Team: blue\"}");
        awaitStatus(api, control, "running");
        String masked = view(api, control).getAsJsonObject("settings").get("OtherHeaders").getAsString();

        SwarmServers.edit(api, control, "box", "{\"OtherHeaders\":\"" + masked.replace("\t", "\\t").replace("\n", "\\n")
                + "\\nX-Extra: new\"}");
        awaitStatus(api, control, "running");
        int before = remote.calls().size();
        await().atMost(PATIENCE).until(() -> remote.calls().size() > before);
        assertThat(remote.calls().get(remote.calls().size() - 1).headers())
                .containsEntry("x-api-key", API_KEY).containsEntry("x-team", "blue").containsEntry("x-extra", "new");
    }
}
