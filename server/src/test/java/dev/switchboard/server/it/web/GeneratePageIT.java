package dev.switchboard.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.comfyui.ReceivedPrompt;
import dev.switchboard.testkit.comfyui.RecordedRequest;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The page's Generate and Gallery views in a real headless Chromium against a real server whose generating
 * backends are the packaged comfyui plugin's {@code comfyui_api} backends on testkit's ComfyUI stand-ins (real HTTP
 * and WebSocket, real PNGs whose pixels follow from the seed, as slowly as asked): images streamed over the WebSocket
 * with their progress and previews, the server's and ComfyUI's refusals, interrupts reaching ComfyUI, the queue in
 * view, the gallery after a reload, a server that goes away mid-generation. The example-echo plugin is loaded too,
 * only as a backend without ComfyUI's feature. Every action goes through the page, as a user would; what ComfyUI
 * received is read back from the stand-ins.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratePageIT {
    private static final String DISCONNECTED = "The connection to the server was lost before the images were finished.";

    private HeadlessChromium browser;
    private GeneratePage page;
    private WebTestServer server;
    private SwarmApiClient api;
    private ComfyUis comfyUis;

    @TempDir
    Path root;

    @BeforeAll
    void startBrowser(@TempDir Path profile) {
        browser = HeadlessChromium.start(profile);
        page = new GeneratePage(browser);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        server = WebTestServer.start(root.resolve("data"), WebTestServer.pluginsWithEcho(root));
        api = server.client();
        comfyUis = new ComfyUis(api);
    }

    @AfterEach
    void stopServer() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            comfyUis.close();
        }
    }

    @Test
    void aComfyUiAddedOnThePageGeneratesAndTheImageIsShown() {
        ComfyUiStandIn comfy = comfyUis.start(Duration.ofMillis(40));
        BackendsPage backends = new BackendsPage(browser);
        backends.open(server.url());
        int id = backends.add("comfyui_api");
        backends.type(backends.setting(id, "Address"), comfy.baseUrl());
        backends.save(id);
        backends.awaitStatus(id, "running");

        page.showView("generate");
        page.awaitReady();
        assertThat(page.select("gen-model").getFirstSelectedOption().getText()).isEqualTo(ComfyUis.BASE);
        page.watchProgress();
        page.type("prompt", "a red fox in the snow");
        page.type("width", "96");
        page.type("height", "64");
        page.type("steps", "4");
        page.type("seed", "42");
        page.generate();

        List<WebElement> slots = page.awaitAllDone();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.decodedSizes().get(0) != null);
        assertThat(page.decodedSizes()).containsExactly(List.of(96L, 64L));
        assertThat(GeneratePage.slotSeed(slots.get(0))).isEqualTo("Seed 42");
        await().atMost(BackendsPage.PATIENCE).until(() -> page.latestRunStatus().equals("Done: 1 of 1 made."));
        assertEveryBarMoved(1);
        // ComfyUI ran one graph with what the form said.
        assertThat(comfy.prompts()).hasSize(1);
        ReceivedPrompt ran = comfy.prompts().get(0);
        assertThat(ComfyUis.inputs(ran, "4").get("ckpt_name").getAsString()).isEqualTo(ComfyUis.BASE);
        assertThat(ComfyUis.inputs(ran, "6").get("text").getAsString()).isEqualTo("a red fox in the snow");
        assertThat(ComfyUis.inputs(ran, "5")).hasToString("{\"width\":96,\"height\":64,\"batch_size\":1}");
        assertThat(ComfyUis.inputs(ran, "10").get("steps").getAsInt()).isEqualTo(4);
        assertThat(ComfyUis.seed(ran)).isEqualTo(42L);
        // What the page shows is the file the server saved, which is the picture ComfyUI made.
        JsonObject listed = api.call("ListOutputs", "{}");
        assertThat(listed.get("total").getAsInt()).isEqualTo(1);
        String saved = listed.getAsJsonArray("files").get(0).getAsJsonObject().get("image").getAsString();
        String shown = (String) page.script("return document.querySelector('#results img.slot-image').src;");
        assertThat(URI.create(shown).getPath()).isEqualTo("/" + saved);
        BufferedImage file = ServedImages.decode(ServedImages.fetch(shown));
        assertThat(file.getWidth()).isEqualTo(96);
        assertThat(file.getHeight()).isEqualTo(64);
        RecordedRequest download = comfy.requests().stream().filter(request -> request.is("GET", "/view"))
                .findFirst().orElseThrow();
        assertThat(ServedImages.pixels(file)).isEqualTo(ServedImages.pixels(ServedImages.decode(
                ServedImages.fetch(comfy.baseUrl() + "/view?" + download.query()))));
        // The model it ran is now loaded, and marked so.
        await().atMost(BackendsPage.PATIENCE).until(() -> page.select("gen-model").getFirstSelectedOption().getText()
                .equals(ComfyUis.BASE + " — loaded"));
        page.screenshots("11-generated", "#results");
    }

    @Test
    void fourImagesOverTwoComfyUisShowTheirProgressAndPreviewsAsItMoves() {
        ComfyUiStandIn firstComfy = comfyUis.start(Duration.ofMillis(300));
        ComfyUiStandIn secondComfy = comfyUis.start(Duration.ofMillis(300));
        // OverQueue 0: each ComfyUI gets one job at a time, so the four images are shared between them.
        int first = comfyUis.backend("GPU A", firstComfy, 0);
        int second = comfyUis.backend("GPU B", secondComfy, 0);
        page.open(server.url());
        page.select("gen-model").selectByValue(ComfyUis.BASE);
        page.watchProgress();
        page.type("prompt", "four lighthouses");
        page.type("images", "4");
        page.type("steps", "10");
        page.type("width", "64");
        page.type("height", "64");
        page.type("seed", "1000");
        page.generate();

        // Two bars between 0 and 1 at once: both ComfyUIs were working on an image at the same time, and both
        // images show ComfyUI's previews while they are made.
        await().atMost(BackendsPage.PATIENCE).until(() -> page.mostMovingAtOnce() >= 2);
        await().atMost(BackendsPage.PATIENCE).until(() -> page.previewsShown() == 2);
        page.screenshots("12-progress", "#results");
        List<WebElement> slots = page.awaitAllDone();

        assertEveryBarMoved(4);
        await().atMost(BackendsPage.PATIENCE).until(() -> page.decodedSizes().stream().allMatch(size -> size != null));
        assertThat(page.decodedSizes()).containsOnly(List.of(64L, 64L));
        assertThat(slots).extracting(GeneratePage::slotSeed)
                .containsExactly("Seed 1000", "Seed 1001", "Seed 1002", "Seed 1003");
        // Each ComfyUI ran its share, never holding a second job, with the seeds the page shows.
        List<ReceivedPrompt> ran = new ArrayList<>(firstComfy.prompts());
        ran.addAll(secondComfy.prompts());
        assertThat(ran).extracting(ComfyUis::seed).containsExactlyInAnyOrder(1000L, 1001L, 1002L, 1003L);
        assertThat(firstComfy.prompts()).isNotEmpty();
        assertThat(secondComfy.prompts()).isNotEmpty();
        assertThat(firstComfy.mostPromptsAtOnce()).isEqualTo(1);
        assertThat(secondComfy.mostPromptsAtOnce()).isEqualTo(1);
        assertThat(comfyUis.view(first).get("current_model").getAsString()).isEqualTo(ComfyUis.BASE);
        assertThat(comfyUis.view(second).get("current_model").getAsString()).isEqualTo(ComfyUis.BASE);

        // "Run on" one backend: only its ComfyUI runs the job (and loads its model).
        int firstRan = firstComfy.prompts().size();
        int secondRan = secondComfy.prompts().size();
        await().atMost(BackendsPage.PATIENCE).ignoreExceptions()
                .untilAsserted(() -> page.select("gen-backend").selectByValue(Integer.toString(second)));
        page.select("gen-model").selectByValue(ComfyUis.OTHER);
        page.type("images", "1");
        page.type("steps", "1");
        page.generate();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.runCount() == 2);
        page.awaitAllDone();
        assertThat(secondComfy.prompts()).hasSize(secondRan + 1);
        assertThat(firstComfy.prompts()).hasSize(firstRan);
        assertThat(ComfyUis.inputs(secondComfy.prompts().get(secondRan), "4").get("ckpt_name").getAsString())
                .isEqualTo(ComfyUis.OTHER);
        assertThat(comfyUis.view(second).get("current_model").getAsString()).isEqualTo(ComfyUis.OTHER);
        assertThat(comfyUis.view(first).get("current_model").getAsString()).isEqualTo(ComfyUis.BASE);
    }

    @Test
    void valuesThePageCanJudgeNeverLeaveItAndTheRefusalsAreShownInTheServersWords() {
        ComfyUiStandIn comfy = comfyUis.start(Duration.ZERO);
        comfyUis.backend("GPU box", comfy, 1);
        page.open(server.url());

        page.type("steps", "900");
        page.type("cfgscale", "lots");
        page.generate();
        assertThat(page.formError()).isEqualTo("Please correct the marked fields.");
        assertThat(page.fieldError("steps")).isEqualTo("Steps must be a whole number from 0 to 500.");
        assertThat(page.fieldError("cfgscale")).isEqualTo("CFG scale must be a number from 0 to 100.");
        assertThat(browser.driver().switchTo().activeElement()).isEqualTo(page.field("steps"));
        assertThat(page.runCount()).isZero();

        // A prompt tag only the server judges: refused before anything is queued.
        page.type("steps", "3");
        page.type("cfgscale", "7");
        page.type("prompt", "a fox <segment:face>");
        page.generate();
        String expected = refusal("{\"images\":1,\"model\":\"" + ComfyUis.BASE + "\","
                + "\"prompt\":\"a fox <segment:face>\",\"steps\":3}");
        assertThat(page.awaitFormError()).isEqualTo(expected)
                .isEqualTo("Switchboard cannot use the prompt tag '<segment:...>' yet: resolve it in the client, or"
                        + " remove it.");
        assertThat(page.fieldError("steps")).isEmpty();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.latestRunStatus().equals("Failed: 0 of 1 made."));
        assertThat(page.latestRunError()).isEqualTo(expected);
        assertThat(GeneratePage.slotStatus(page.slots().get(0))).isEqualTo("Not made.");

        // Steps within ListT2IParams' range that ComfyUI's sampler does not take: ComfyUI refuses the prompt.
        page.type("prompt", "a fox");
        page.type("steps", "0");
        page.generate();
        String noSteps = refusal("{\"images\":1,\"model\":\"" + ComfyUis.BASE + "\",\"prompt\":\"a fox\","
                + "\"steps\":0}");
        await().atMost(BackendsPage.PATIENCE).until(() -> page.runCount() == 2
                && page.latestRunStatus().equals("Failed: 0 of 1 made."));
        assertThat(page.formError()).isEqualTo(noSteps).startsWith("ComfyUI errored: ")
                .contains("KSamplerAdvanced", "Value 0 smaller than min of 1");
        assertThat(page.latestRunError()).isEqualTo(noSteps);
        assertThat(GeneratePage.slotStatus(page.slots().get(0))).isEqualTo("Not made.");
        assertThat(comfy.prompts()).isEmpty();

        // A size within range that the GPU cannot draw: the job fails while sampling, with ComfyUI's reason.
        comfy.failExecutionAt("KSamplerAdvanced", "CUDA out of memory. Tried to allocate 32.00 GiB");
        page.type("steps", "3");
        page.type("width", "8192");
        page.type("height", "64");
        page.generate();
        String tooWide = refusal("{\"images\":1,\"model\":\"" + ComfyUis.BASE + "\",\"prompt\":\"a fox\","
                + "\"steps\":3,\"width\":8192,\"height\":64}");
        await().atMost(BackendsPage.PATIENCE).until(() -> page.runCount() == 3
                && page.latestRunStatus().equals("Failed: 0 of 1 made."));
        assertThat(page.formError()).isEqualTo(tooWide)
                .isEqualTo("ComfyUI execution error: CUDA out of memory. Tried to allocate 32.00 GiB");
        assertThat(page.latestRunError()).isEqualTo(tooWide);
        assertThat(GeneratePage.slotStatus(page.slots().get(0))).isEqualTo("Not made.");
        assertThat(comfy.prompts()).hasSize(2).allSatisfy(prompt -> assertThat(ComfyUis.inputs(prompt, "5"))
                .hasToString("{\"width\":8192,\"height\":64,\"batch_size\":1}"));
        assertThat(api.call("ListOutputs", "{}").get("total").getAsInt()).isZero();
        page.screenshots("13-refused", "#generate-form .form-buttons");
    }

    @Test
    void theQueueIsInViewWhileJobsWaitAndInterruptStopsThemOnComfyUi() {
        ComfyUiStandIn comfy = comfyUis.start(Duration.ZERO);
        // ComfyUI takes the job and holds it without a word, as one busy loading a model does.
        comfy.stallJobs();
        int id = comfyUis.backend("GPU box", comfy, 0);
        page.open(server.url());
        assertThat(page.interruptEnabled()).isFalse();
        page.type("prompt", "a slow fox");
        page.type("images", "3");
        page.type("steps", "5");
        page.generate();

        await().atMost(BackendsPage.PATIENCE).until(() -> comfy.prompts().size() == 1);
        await().atMost(BackendsPage.PATIENCE).until(() -> page.counter("running").equals("1")
                && page.counter("waiting").equals("2"));
        assertThat(page.counter("loading")).isEqualTo("0");
        assertThat(comfyUis.usages(id)).isEqualTo(1);
        assertThat(page.slots()).extracting(GeneratePage::slotStatus)
                .containsExactly("Pending", "Pending", "Pending");
        assertThat(page.latestRunStatus()).isEqualTo("Started: 0 of 3 made…");
        page.screenshots("14-queue-waiting", null);
        // The backend's card says how many of its slots are busy.
        page.showView("backends");
        By usages = By.cssSelector(".card[data-backend-id='" + id + "'] [data-role='usages']");
        await().atMost(BackendsPage.PATIENCE).until(() -> browser.driver().findElement(usages).getText()
                .equals("1 of 1 running"));
        page.screenshots("15-backend-busy", ".card[data-backend-id='" + id + "']");
        page.showView("generate");

        assertThat(page.interruptEnabled()).isTrue();
        page.interrupt();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.latestRunStatus().equals("Interrupted: 0 of 3 made."));
        assertThat(page.slots()).extracting(GeneratePage::slotStatus)
                .containsExactly("Interrupted.", "Interrupted.", "Interrupted.");
        assertThat(page.genStatus()).isEqualTo("Generation session interrupted.");
        assertThat(page.formError()).isEmpty();
        assertThat(page.latestRunError()).isEmpty();
        // ComfyUI was told to stop the prompt it held; the two waiting images never reached it.
        String promptId = comfy.prompts().get(0).promptId();
        await().atMost(BackendsPage.PATIENCE).untilAsserted(() -> assertThat(comfy.requests()).anySatisfy(request -> {
            assertThat(request.is("POST", "/interrupt")).isTrue();
            assertThat(request.body()).contains(promptId);
        }));
        comfy.runJobsNormally();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.counter("running").equals("0")
                && page.counter("waiting").equals("0"));
        await().atMost(BackendsPage.PATIENCE).until(() -> comfyUis.usages(id) == 0);
        assertThat(comfy.prompts()).hasSize(1);
        assertThat(comfy.mostPromptsAtOnce()).isEqualTo(1);
        assertThat(page.interruptEnabled()).isFalse();
        page.screenshots("16-interrupted", "#results");
    }

    @Test
    void theGalleryListsSavedImagesAfterAReloadAndReusesTheirSettings() {
        ComfyUiStandIn comfy = comfyUis.start(Duration.ZERO);
        comfyUis.backend("GPU box", comfy, 1);
        // Older images, to fill more than one page of the gallery.
        assertThat(api.call("GenerateText2Image", "{\"images\":25,\"model\":\"" + ComfyUis.BASE + "\","
                + "\"prompt\":\"filler\",\"steps\":1,\"width\":64,\"height\":64}").getAsJsonArray("images"))
                .hasSize(25);
        page.open(server.url());
        page.type("prompt", "gallery fox");
        page.type("negativeprompt", "blurry");
        page.type("seed", "7");
        page.type("steps", "2");
        page.type("width", "96");
        page.type("height", "64");
        page.type("images", "2");
        page.generate();
        page.awaitAllDone();

        browser.driver().navigate().refresh();
        page.awaitReady();
        assertThat(page.runCount()).isZero();
        page.showView("gallery");
        await().atMost(BackendsPage.PATIENCE).until(() -> page.galleryTiles().size() == 24);
        JsonArray newest = api.call("ListOutputs", "{\"limit\":24}").getAsJsonArray("files");
        List<String> expectedOrder = new ArrayList<>();
        newest.forEach(file -> expectedOrder.add(file.getAsJsonObject().get("image").getAsString()));
        assertThat(page.galleryTiles()).extracting(tile -> tile.getAttribute("data-image")).isEqualTo(expectedOrder);
        assertThat(page.galleryRange()).isEqualTo("Showing 1–24 of 27");
        assertThat(page.galleryTiles().get(0).getAccessibleName()).isEqualTo("Open image 1: “gallery fox”");
        page.screenshots("17-gallery", null);
        browser.driver().findElement(By.id("gallery-older")).click();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.galleryRange().equals("Showing 25–27 of 27"));
        assertThat(page.galleryTiles()).hasSize(3);
        browser.driver().findElement(By.id("gallery-newer")).click();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.galleryRange().equals("Showing 1–24 of 27"));

        JsonObject params = JsonParser.parseString(newest.get(0).getAsJsonObject().get("metadata").getAsString())
                .getAsJsonObject().getAsJsonObject("sui_image_params");
        String seed = params.get("seed").getAsString();
        assertThat(seed).isIn("7", "8");
        page.galleryTiles().get(0).click();
        await().atMost(BackendsPage.PATIENCE).until(page::dialogOpen);
        assertThat(page.dialogParams()).containsEntry("Prompt", "gallery fox")
                .containsEntry("Negative prompt", "blurry")
                .containsEntry("Seed", seed).containsEntry("Size", "96 × 64").containsEntry("Steps", "2")
                .containsEntry("Model", ComfyUis.BASE);
        assertThat((Boolean) page.script("const img = document.getElementById('image-dialog-img');"
                + " return img.complete && img.naturalWidth === 96 && img.naturalHeight === 64;")).isTrue();
        page.screenshots("18-image-dialog", null);

        browser.driver().findElement(By.id("image-dialog-use")).click();
        await().atMost(BackendsPage.PATIENCE).until(() -> browser.driver().findElement(By.id("view-generate"))
                .isDisplayed());
        assertThat(URI.create(browser.driver().getCurrentUrl()).getFragment()).isEqualTo("generate");
        assertThat(page.value("prompt")).isEqualTo("gallery fox");
        assertThat(page.value("negativeprompt")).isEqualTo("blurry");
        assertThat(page.value("seed")).isEqualTo(seed);
        assertThat(page.value("steps")).isEqualTo("2");
        assertThat(page.value("width")).isEqualTo("96");
        assertThat(page.value("height")).isEqualTo("64");
        assertThat(page.select("gen-model").getFirstSelectedOption().getAttribute("value")).isEqualTo(ComfyUis.BASE);
        assertThat(browser.driver().switchTo().activeElement()).isEqualTo(page.field("prompt"));
        // The same settings send ComfyUI the same graph, which makes the same picture again.
        page.type("images", "1");
        page.generate();
        List<WebElement> again = page.awaitAllDone();
        assertThat(GeneratePage.slotSeed(again.get(0))).isEqualTo("Seed " + seed);
        List<ReceivedPrompt> ran = comfy.prompts();
        assertThat(ran).hasSize(28);
        ReceivedPrompt original = ran.subList(25, 27).stream().filter(prompt -> ComfyUis.seed(prompt)
                == Long.parseLong(seed)).findFirst().orElseThrow();
        assertThat(ComfyUis.seed(ran.get(27))).isEqualTo(Long.parseLong(seed));
        assertThat(ComfyUis.withoutFilePrefix(ran.get(27))).isEqualTo(ComfyUis.withoutFilePrefix(original));
        String first = newest.get(0).getAsJsonObject().get("image").getAsString();
        String sibling = newest.get(1).getAsJsonObject().get("image").getAsString();
        String remade = api.call("ListOutputs", "{\"limit\":1}").getAsJsonArray("files").get(0).getAsJsonObject()
                .get("image").getAsString();
        int[] firstPixels = ServedImages.pixels(ServedImages.saved(server.url(), first));
        assertThat(ServedImages.pixels(ServedImages.saved(server.url(), remade))).isEqualTo(firstPixels);
        // Not because every picture looks alike: the other seed of that run drew another one.
        assertThat(ServedImages.pixels(ServedImages.saved(server.url(), sibling))).isNotEqualTo(firstPixels);
    }

    @Test
    void aServerThatGoesAwayMidGenerationFailsTheJobAndShowsTheBanner() {
        ComfyUiStandIn comfy = comfyUis.start(Duration.ZERO);
        comfy.stallJobs();
        int id = comfyUis.backend("GPU box", comfy, 0);
        page.open(server.url());
        page.type("prompt", "never finished");
        page.type("images", "2");
        page.generate();
        await().atMost(BackendsPage.PATIENCE).until(() -> comfyUis.usages(id) == 1 && comfy.prompts().size() == 1);

        server.close();
        server = null;
        await().atMost(BackendsPage.PATIENCE).until(page::bannerShown);
        await().atMost(BackendsPage.PATIENCE).until(() -> page.latestRunStatus().equals("Failed: 0 of 2 made."));
        assertThat(page.latestRunError()).isEqualTo(DISCONNECTED);
        assertThat(page.slots()).extracting(GeneratePage::slotStatus).containsExactly("Not made.", "Not made.");
        assertThat(page.formError()).isEqualTo(DISCONNECTED);
        assertThat(page.interruptEnabled()).isFalse();
        // Nothing keeps spinning: no progress bar or placeholder is left animating.
        assertThat((Number) page.script("return document.querySelectorAll('#results progress:not([hidden]),"
                + " #results li.slot:not(.failed):not(.done)').length;")).isEqualTo(0L);
        page.screenshots("19-server-gone-mid-generation", "#results");
    }

    @Test
    void isUsableByKeyboardAtPhoneWidthAndOffersSamplersOnlyWithComfyUi() {
        // A running backend without ComfyUI's feature (the example plugin's echo) brings no sampler choice.
        int echo = echo("{\"StepMillis\":0}");
        page.open(server.url());
        assertThat(browser.driver().findElement(By.id("gen-sampling")).isDisplayed()).isFalse();

        // A ComfyUI does: the sampler and scheduler choices appear, and "Run on" offers both backends.
        ComfyUiStandIn comfyUi = comfyUis.start(Duration.ofMillis(10));
        int comfy = comfyUis.backend("GPU box", comfyUi, 1);
        await().atMost(BackendsPage.PATIENCE).until(() -> browser.driver().findElement(By.id("gen-sampling"))
                .isDisplayed());
        assertThat(page.select("gen-sampler").getOptions()).extracting(WebElement::getText)
                .startsWith("Backend default", "euler");
        // "Run on" offers every backend with its status, updated as it changes.
        await().atMost(BackendsPage.PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(
                page.select("gen-backend").getOptions()).extracting(WebElement::getText)
                .containsExactly("Any backend", "#" + echo + " echo " + echo + " (running)",
                        "#" + comfy + " GPU box (running)"));
        page.screenshots("20-sampler-offered", "#gen-sampling");

        // From here on the ComfyUI is the only backend; the page, loaded afresh, picks its model.
        api.call("DeleteBackend", "{\"backend_id\":" + echo + "}");
        page.open(server.url());
        assertThat(page.select("gen-model").getFirstSelectedOption().getAttribute("value")).isEqualTo(ComfyUis.BASE);
        browser.driver().findElement(By.tagName("body")).sendKeys(Keys.TAB);
        List<String> order = new ArrayList<>();
        order.add(activeId());
        for (int i = 0; i < 3; i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
            order.add(activeId());
        }
        assertThat(order).containsExactly("nav-generate", "nav-gallery", "nav-backends", "gen-prompt");
        assertThat((String) page.script("return getComputedStyle(document.activeElement).outlineStyle;"))
                .isEqualTo("solid");
        browser.driver().switchTo().activeElement().sendKeys("typed by keyboard");
        for (int i = 0; i < 30 && !"gen-submit".equals(activeId()); i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(activeId()).isEqualTo("gen-submit");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        List<WebElement> slots = page.awaitAllDone();
        assertThat(page.value("prompt")).isEqualTo("typed by keyboard");
        assertThat(comfyUi.prompts()).singleElement().satisfies(prompt -> assertThat(ComfyUis.inputs(prompt, "6")
                .get("text").getAsString()).isEqualTo("typed by keyboard"));
        // The finished image opens by keyboard, and Escape closes it with focus back on the image.
        slots.get(0).findElement(By.cssSelector("button.slot-frame")).sendKeys(Keys.ENTER);
        await().atMost(BackendsPage.PATIENCE).until(page::dialogOpen);
        assertThat(activeId()).isEqualTo("image-dialog-use");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        await().atMost(BackendsPage.PATIENCE).until(() -> !page.dialogOpen());
        assertThat(browser.driver().switchTo().activeElement().getAttribute("class")).contains("slot-frame");

        // Every control of the form (sampler and scheduler included), the results and the header has an
        // accessible name.
        assertThat(browser.driver().findElement(By.id("gen-sampling")).isDisplayed()).isTrue();
        for (WebElement control : browser.driver().findElements(By.cssSelector(
                "header a, #view-generate button, #view-generate input, #view-generate select,"
                        + " #view-generate textarea, #view-generate progress"))) {
            if (control.isDisplayed()) {
                assertThat(control.getAccessibleName()).as(control.getAttribute("outerHTML")).isNotBlank();
            }
        }
        assertThat(page.overflowsAt(360)).isFalse();
        page.showView("gallery");
        await().atMost(BackendsPage.PATIENCE).until(() -> page.galleryTiles().size() == 1);
        for (WebElement control : browser.driver().findElements(By.cssSelector("#view-gallery button"))) {
            assertThat(control.getAccessibleName()).as(control.getAttribute("outerHTML")).isNotBlank();
        }
        assertThat(page.overflowsAt(360)).isFalse();
        page.showView("generate");

        // Without a backend that advertises ComfyUI's feature the choices go again.
        api.call("DeleteBackend", "{\"backend_id\":" + comfy + "}");
        await().atMost(BackendsPage.PATIENCE).until(() -> !browser.driver().findElement(By.id("gen-sampling"))
                .isDisplayed());
    }

    /** Adds an example-echo backend (no ComfyUI feature) with these settings through the API; waits until it runs. */
    private int echo(String settings) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"example_echo\"}").get("id").getAsInt();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"echo " + id
                + "\",\"settings\":" + settings + "}");
        assertThat(edited.has("error")).as("%s", edited).isFalse();
        await().atMost(BackendsPage.PATIENCE).until(() -> "running".equals(comfyUis.view(id).get("status")
                .getAsString()));
        return id;
    }

    /** The server's answer to the same request over HTTP: its error text. */
    private String refusal(String request) {
        JsonObject answer = api.call("GenerateText2Image", request);
        assertThat(answer.has("error")).as("%s", answer).isTrue();
        return answer.get("error").getAsString();
    }

    /**
     * Every bar of the newest run (there are {@code images}) moved through values between 0 and 1, never back,
     * before its image arrived, and previews were shown on the way.
     */
    private void assertEveryBarMoved(int images) {
        Map<String, List<Number>> history = page.progressSeen();
        assertThat(history).hasSize(images);
        history.values().forEach(values -> {
            List<Double> moving = values.stream().map(Number::doubleValue).filter(v -> v > 0 && v < 1).toList();
            assertThat(moving).as("%s", values).hasSizeGreaterThanOrEqualTo(2).isSorted();
            assertThat(values.get(values.size() - 1).doubleValue()).isEqualTo(1.0);
        });
        assertThat(page.previewsSeen()).isPositive();
    }

    private String activeId() {
        return browser.driver().switchTo().activeElement().getAttribute("id");
    }
}
