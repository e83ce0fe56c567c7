package dev.switchboard.server.it.swarm;

import static dev.switchboard.server.it.swarm.SwarmServers.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.server.SwarmApiClient;
import dev.switchboard.testkit.swarm.MasterChild;
import dev.switchboard.testkit.swarm.MasterGeneration;
import dev.switchboard.testkit.swarm.MasterMirror;
import dev.switchboard.testkit.swarm.MasterSimulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two tiers end to end (issue 17 item 4): a client generates on Switchboard A, whose swarmswarmbackend child
 * forwards the job to Switchboard B, where an example_echo backend draws it; the image comes back through A. Over
 * the WebSocket and over HTTP, interrupted across both tiers, with B restarted under a job, with B requiring an
 * Authorization, and with a model only B has. B's backends are echo backends here (the forwarding does not depend
 * on what B runs, and the echo's step time is set per test); {@link TwoTierComfyUiIT} runs B's jobs in a ComfyUI
 * stand-in behind B's comfyui_api backend.
 */
final class TwoTierIT {
    private static final String SECRET = "Bearer t13r-s3cret-7c1d";

    @TempDir
    Path temp;
    Tiers tiers;
    ListAppender<ILoggingEvent> logs;

    @AfterEach
    void stop() {
        if (tiers != null) {
            tiers.close();
        }
        if (logs != null) {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        }
    }

    @Test
    void aJobOnAGoesToBOverTheWebSocketAndItsImageAndProgressComeBack() throws Exception {
        tiers = Tiers.start(temp, null, "{\"StepMillis\":50}", "");
        int child = tiers.child();

        List<JsonObject> messages = generateOnA(request(Tiers.B_ONLY, 4));

        assertThat(messages).noneMatch(message -> message.has("error"));
        JsonObject image = messages.stream().filter(message -> message.has("image")).findFirst().orElseThrow();
        BufferedImage png = decode(image.get("image").getAsString());
        assertThat(png.getWidth()).isEqualTo(64);
        assertThat(png.getHeight()).isEqualTo(80);
        // B's echo reports progress with a preview; through the child they reach A's client.
        assertThat(messages).anyMatch(message -> message.has("gen_progress")
                && message.getAsJsonObject("gen_progress").has("preview"));
        assertThat(tiers.bView(tiers.bEcho()).get("current_model").getAsString()).isEqualTo(Tiers.B_ONLY);
        assertThat(tiers.aView(child).get("current_model").getAsString()).isEqualTo(Tiers.B_ONLY);
        assertThat(tiers.aView(tiers.aEcho()).get("current_model").isJsonNull()).isTrue();
    }

    @Test
    void withWebsocketsOffTheJobIsForwardedOverHttp() throws Exception {
        tiers = Tiers.start(temp, null, "{\"StepMillis\":50}", ",\"AllowWebsocket\":false");

        List<JsonObject> messages = generateOnA(request(Tiers.B_ONLY, 4));

        assertThat(messages).noneMatch(message -> message.has("error"));
        assertThat(messages).filteredOn(message -> message.has("image")).hasSize(1);
        // GenerateText2Image reports no progress: none reaches A's client (over the WebSocket some always does).
        assertThat(messages).noneMatch(message -> message.has("gen_progress"));
        assertThat(tiers.bView(tiers.bEcho()).get("current_model").getAsString()).isEqualTo(Tiers.B_ONLY);
        JsonObject answer = tiers.a().call("GenerateText2Image", "{\"images\":2,\"model\":\"b-only/deep\","
                + "\"width\":64,\"height\":64,\"steps\":1,\"donotsave\":true}");
        assertThat(answer.getAsJsonArray("images")).hasSize(2);
    }

    @Test
    void anInterruptOnACrossesBothTiersWithinTwoSeconds() throws Exception {
        tiers = Tiers.start(temp, null, "{\"StepMillis\":60000}", "");
        SwarmApiClient a = tiers.a();
        String request = withSession(a, request(Tiers.B_ONLY, 5));
        try (ClientSocket socket = ClientSocket.open(tiers.aUrl(), Map.of(), request)) {
            await().atMost(PATIENCE).until(() -> tiers.bView(tiers.bEcho()).get("usages").getAsInt() == 1);

            long interrupted = System.nanoTime();
            assertThat(a.call("InterruptAll", "{\"other_sessions\":false}").get("success").getAsBoolean()).isTrue();
            List<JsonObject> messages = socket.untilClosed(PATIENCE);
            Duration tookOnA = Duration.ofNanos(System.nanoTime() - interrupted);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                    .until(() -> tiers.bView(tiers.bEcho()).get("usages").getAsInt() == 0);
            Duration tookOnB = Duration.ofNanos(System.nanoTime() - interrupted);

            System.out.printf("Interrupt across two tiers: A's stream ended after %d ms, B's job after %d ms%n",
                    tookOnA.toMillis(), tookOnB.toMillis());
            assertThat(tookOnA).isLessThan(Duration.ofSeconds(2));
            assertThat(tookOnB).isLessThan(Duration.ofSeconds(2));
            assertThat(messages).contains(error("Generation session interrupted."));
            assertThat(socket.closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void bRestartedUnderAJobFailsItClearlyOnAAndTheNextJobSucceeds() throws Exception {
        tiers = Tiers.start(temp, null, "{\"StepMillis\":60000}", "");
        SwarmApiClient a = tiers.a();
        String bUrl = tiers.bUrl();
        CompletableFuture<JsonObject> running = CompletableFuture.supplyAsync(() -> a.call("GenerateText2Image",
                request(Tiers.B_ONLY, 5)));
        await().atMost(PATIENCE).until(() -> tiers.bView(tiers.bEcho()).get("usages").getAsInt() == 1);
        int port = tiers.bPort();

        tiers.stopB();
        JsonObject failed = running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        String reason = failed.get("error").getAsString();
        System.out.println("A's answer when B went away under the job: " + reason);
        assertThat(reason).containsAnyOf(bUrl, "Remote swarm gave error: ");
        tiers.startB(port);
        SwarmServers.edit(tiers.b(), tiers.bEcho(), "b echo", "{\"StepMillis\":20}");
        SwarmServers.awaitStatus(tiers.b(), tiers.bEcho(), "running");
        tiers.child();
        JsonObject next = a.call("GenerateText2Image", request(Tiers.B_ONLY, 2));
        assertThat(next.has("error")).as("%s", next).isFalse();
        assertThat(next.getAsJsonArray("images")).hasSize(1);
    }

    @Test
    void bRequiringAuthorizationGetsItOnEveryCallAndTheUpgradeAndASecretStaysHidden() throws Exception {
        logs = capture();
        tiers = Tiers.start(temp, SECRET, "{\"StepMillis\":20}", "");
        int child = tiers.child();

        // B refuses whatever lacks the value: that A's child mirrors B and generates over its WebSocket proves the
        // header was on each of A's calls (GetNewSession, ListBackends, ListModels, ...) and on the upgrade.
        assertThat(new SwarmApiClient(tiers.bUrl()).postRaw("GetNewSession", "{}").status()).isEqualTo(401);
        List<JsonObject> messages = generateOnA(request(Tiers.B_ONLY, 2));
        assertThat(messages).filteredOn(message -> message.has("image")).hasSize(1);
        assertThat(tiers.a().call("SelectModel", "{\"model\":\"" + Tiers.B_ONLY + "\",\"backendId\":" + child + "}")
                .get("success").getAsBoolean()).isTrue();
        assertThat(tiers.a().call("FreeBackendMemory", "{\"system_ram\":false,\"backend\":\"" + child + "\"}")
                .get("result").getAsBoolean()).isTrue();
        tiers.a().call("TriggerRefresh");

        String token = SECRET.substring("Bearer ".length());
        String answers = messages + " " + tiers.a().call("ListBackends", "{\"nonreal\":true,\"full_data\":true}")
                + tiers.a().call("GetBackendLogs", "{\"backend_id\":" + tiers.control() + "}")
                + tiers.a().call("GetBackendLogs", "{\"backend_id\":" + child + "}")
                + tiers.a().call("ListModels", "{\"path\":\"\",\"depth\":999}");
        assertThat(answers).doesNotContain(token);
        PatternLayout layout = layout();
        assertThat(logs.list).isNotEmpty().allSatisfy(event -> assertThat(layout.doLayout(event))
                .doesNotContain(token));
    }

    @Test
    void aModelOnlyBHasIsMatchedOnAToTheChildAndNowhereElse() throws Exception {
        tiers = Tiers.start(temp, null, "{\"StepMillis\":20}", "");
        SwarmApiClient a = tiers.a();
        int child = tiers.child();

        String listed = a.call("ListModels", "{\"path\":\"\",\"depth\":999}").getAsJsonArray("files").toString();
        assertThat(listed).contains(Tiers.B_ONLY, Tiers.A_ONLY, Tiers.SHARED);
        JsonObject answer = a.call("GenerateText2Image", request(Tiers.B_ONLY, 1).replace("\"images\":1",
                "\"images\":3"));
        assertThat(answer.getAsJsonArray("images")).hasSize(3);
        assertThat(tiers.bView(tiers.bEcho()).get("current_model").getAsString()).isEqualTo(Tiers.B_ONLY);
        assertThat(tiers.aView(tiers.aEcho()).get("current_model").isJsonNull()).isTrue();

        String pinnedToA = a.call("GenerateText2Image", request(Tiers.B_ONLY, 1).replace("{", "{\"exactbackendid\":"
                + tiers.aEcho() + ",")).get("error").getAsString();
        assertThat(pinnedToA).startsWith("No backends match the settings of the request given!")
                .contains("\n- Request requires model 'b-only/deep' but the backend does not have that model.");
        String aOnlyOnChild = a.call("GenerateText2Image", request(Tiers.A_ONLY, 1).replace("{", "{\"exactbackendid\":"
                + child + ",")).get("error").getAsString();
        assertThat(aOnlyOnChild).contains("Request requires model 'a-only/local' but the backend does not have that"
                + " model.");
        assertThat(a.call("GenerateText2Image", request(Tiers.A_ONLY, 1)).getAsJsonArray("images")).hasSize(1);
        assertThat(tiers.aView(tiers.aEcho()).get("current_model").getAsString()).isEqualTo(Tiers.A_ONLY);
    }

    @Test
    void aMasterGeneratesThroughBothTiersOnANegativeChildId() throws Exception {
        tiers = Tiers.start(temp, null, "{\"StepMillis\":20}", "");
        int child = tiers.child();

        // A SwarmUI master holding A as its remote mirrors A's child (a negative id) like any backend of A.
        MasterMirror mirror = MasterSimulator.cur(tiers.aUrl(), Map.of()).connect();
        MasterChild throughA = mirror.child(child);
        assertThat(throughA.canLoadModels()).isTrue();
        assertThat(mirror.child(tiers.control()).canLoadModels()).isFalse();
        assertThat(mirror.modelNames("Stable-Diffusion")).contains(Tiers.B_ONLY, Tiers.A_ONLY);
        MasterGeneration generation = throughA.generate(JsonParser.parseString("{\"prompt\":\"a fox\",\"seed\":3,"
                + "\"steps\":2,\"cfgscale\":7,\"width\":64,\"height\":64,\"model\":\"" + Tiers.B_ONLY + "\"}")
                .getAsJsonObject());

        assertThat(generation.error()).isEmpty();
        assertThat(generation.images()).hasSize(1);
        assertThat(generation.request().get("exactbackendid").getAsInt()).isEqualTo(child).isNegative();
        assertThat(tiers.bView(tiers.bEcho()).get("current_model").getAsString()).isEqualTo(Tiers.B_ONLY);
    }

    private List<JsonObject> generateOnA(String request) throws InterruptedException {
        try (ClientSocket socket = ClientSocket.open(tiers.aUrl(), Map.of(), withSession(tiers.a(), request))) {
            List<JsonObject> messages = socket.untilClosed(PATIENCE);
            assertThat(socket.closeCode()).isEqualTo(1000);
            return messages;
        }
    }

    /** A request on A's API for one 64x80 image of {@code model} (named without its extension, as clients do). */
    static String request(String model, int steps) {
        return "{\"images\":1,\"prompt\":\"a fox\",\"model\":\"" + model.replace(".safetensors", "")
                + "\",\"width\":64,"
                + "\"height\":80,\"steps\":" + steps + ",\"seed\":7,\"donotsave\":true}";
    }

    private static String withSession(SwarmApiClient api, String request) {
        return request.replaceFirst("\\{", "{\"session_id\":\"" + api.session() + "\",");
    }

    private static JsonObject error(String text) {
        JsonObject error = new JsonObject();
        error.addProperty("error", text);
        return error;
    }

    private static BufferedImage decode(String dataUrl) {
        try {
            return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                    dataUrl.substring(dataUrl.indexOf(',') + 1))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    /** Formats events as the shipped configuration does: %msg and %ex are the redacting converters. */
    private static PatternLayout layout() {
        PatternLayout layout = new PatternLayout();
        layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        layout.setPattern("%level %logger - %msg%n%ex");
        layout.start();
        return layout;
    }
}
