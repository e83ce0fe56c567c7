package dev.switchboard.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
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
 * backends are the packaged example-echo plugin (it draws real PNGs, as slowly as asked): images streamed over the
 * WebSocket with their progress, the server's refusals, interrupts, the queue in view, the gallery after a reload,
 * a server that goes away mid-generation. Every action goes through the page, as a user would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratePageIT {
    private static final String DISCONNECTED = "The connection to the server was lost before the images were finished.";

    private HeadlessChromium browser;
    private GeneratePage page;
    private WebTestServer server;
    private SwarmApiClient api;

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
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBackendAddedOnThePageGeneratesAndTheImageIsShown() throws Exception {
        BackendsPage backends = new BackendsPage(browser);
        backends.open(server.url());
        int id = backends.add("example_echo");
        backends.type(backends.setting(id, "StepMillis"), "40");
        backends.save(id);
        backends.awaitStatus(id, "running");

        page.showView("generate");
        page.awaitReady();
        assertThat(page.select("gen-model").getFirstSelectedOption().getText()).isEqualTo("echo/gradient.safetensors");
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
        // What the page shows is the file the server saved, which decodes to the size asked for.
        JsonObject listed = api.call("ListOutputs", "{}");
        assertThat(listed.get("total").getAsInt()).isEqualTo(1);
        String saved = listed.getAsJsonArray("files").get(0).getAsJsonObject().get("image").getAsString();
        String shown = (String) page.script("return document.querySelector('#results img.slot-image').src;");
        assertThat(URI.create(shown).getPath()).isEqualTo("/" + saved);
        BufferedImage file = ImageIO.read(new ByteArrayInputStream(get(shown).body()));
        assertThat(file.getWidth()).isEqualTo(96);
        assertThat(file.getHeight()).isEqualTo(64);
        // The model it ran is now loaded, and marked so.
        await().atMost(BackendsPage.PATIENCE).until(() -> page.select("gen-model").getFirstSelectedOption().getText()
                .equals("echo/gradient.safetensors — loaded"));
        page.screenshots("11-generated", "#results");
    }

    @Test
    void fourImagesOverTwoBackendsShowTheirProgressAsItMoves() {
        int first = echo("{\"StepMillis\":300,\"Slots\":1}");
        int second = echo("{\"StepMillis\":300,\"Slots\":1}");
        page.open(server.url());
        watchProgress();
        page.type("prompt", "four lighthouses");
        page.type("images", "4");
        page.type("steps", "10");
        page.type("width", "64");
        page.type("height", "64");
        page.type("seed", "1000");
        page.generate();

        // Two bars between 0 and 1 at once: both backends were working on an image at the same time.
        await().atMost(BackendsPage.PATIENCE).until(() -> ((Number) page.script("return window.seen.maxActive;"))
                .intValue() >= 2);
        page.screenshots("12-progress", "#results");
        List<WebElement> slots = page.awaitAllDone();

        // Every bar moved through values between 0 and 1, never back, before its image arrived.
        @SuppressWarnings("unchecked")
        Map<String, List<Number>> history = (Map<String, List<Number>>) page.script("return window.seen.values;");
        assertThat(history).hasSize(4);
        history.values().forEach(values -> {
            List<Double> moving = values.stream().map(Number::doubleValue).filter(v -> v > 0 && v < 1).toList();
            assertThat(moving).as("%s", values).hasSizeGreaterThanOrEqualTo(2).isSorted();
            assertThat(values.get(values.size() - 1).doubleValue()).isEqualTo(1.0);
        });
        assertThat(((Number) page.script("return window.seen.previews;")).intValue()).isPositive();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.decodedSizes().stream().allMatch(size -> size != null));
        assertThat(page.decodedSizes()).containsOnly(List.of(64L, 64L));
        assertThat(slots).extracting(GeneratePage::slotSeed)
                .containsExactly("Seed 1000", "Seed 1001", "Seed 1002", "Seed 1003");
        assertThat(view(first).get("current_model").getAsString()).isEqualTo("echo/gradient.safetensors");
        assertThat(view(second).get("current_model").getAsString()).isEqualTo("echo/gradient.safetensors");

        // "Run on" one backend: only that one runs the job (and loads its model).
        await().atMost(BackendsPage.PATIENCE).ignoreExceptions()
                .untilAsserted(() -> page.select("gen-backend").selectByValue(Integer.toString(second)));
        page.select("gen-model").selectByValue("echo/stripes.safetensors");
        page.type("images", "1");
        page.type("steps", "1");
        page.generate();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.runCount() == 2);
        page.awaitAllDone();
        assertThat(view(second).get("current_model").getAsString()).isEqualTo("echo/stripes.safetensors");
        assertThat(view(first).get("current_model").getAsString()).isEqualTo("echo/gradient.safetensors");
    }

    @Test
    void valuesThePageCanJudgeNeverLeaveItAndTheServersRefusalsAreShownInItsWords() {
        echo("{\"StepMillis\":0}");
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
        String expected = refusal("{\"images\":1,\"model\":\"echo/gradient\",\"prompt\":\"a fox <segment:face>\","
                + "\"steps\":3}");
        assertThat(page.awaitFormError()).isEqualTo(expected)
                .isEqualTo("Switchboard cannot use the prompt tag '<segment:...>' yet: resolve it in the client, or"
                        + " remove it.");
        assertThat(page.fieldError("steps")).isEmpty();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.latestRunStatus().equals("Failed: 0 of 1 made."));
        assertThat(page.latestRunError()).isEqualTo(expected);
        assertThat(GeneratePage.slotStatus(page.slots().get(0))).isEqualTo("Not made.");

        // A size within ListT2IParams' range that the backend cannot draw: the job fails with the reason.
        page.type("prompt", "a fox");
        page.type("width", "8192");
        page.type("height", "64");
        page.generate();
        String tooWide = refusal("{\"images\":1,\"model\":\"echo/gradient\",\"prompt\":\"a fox\",\"steps\":3,"
                + "\"width\":8192,\"height\":64}");
        await().atMost(BackendsPage.PATIENCE).until(() -> page.runCount() == 2
                && page.latestRunStatus().equals("Failed: 0 of 1 made."));
        assertThat(page.formError()).isEqualTo(tooWide).contains("8192x64");
        assertThat(page.latestRunError()).isEqualTo(tooWide);
        assertThat(GeneratePage.slotStatus(page.slots().get(0))).isEqualTo("Not made.");
        assertThat(api.call("ListOutputs", "{}").get("total").getAsInt()).isZero();
        page.screenshots("13-refused", "#generate-form .form-buttons");
    }

    @Test
    void theQueueIsInViewWhileJobsWaitAndInterruptStopsThem() {
        int id = echo("{\"StepMillis\":60000,\"Slots\":1}");
        page.open(server.url());
        assertThat(page.interruptEnabled()).isFalse();
        page.type("prompt", "a slow fox");
        page.type("images", "3");
        page.type("steps", "5");
        page.generate();

        await().atMost(BackendsPage.PATIENCE).until(() -> page.counter("running").equals("1")
                && page.counter("waiting").equals("2"));
        assertThat(page.counter("loading")).isEqualTo("0");
        assertThat(backendUsages(id)).isEqualTo(1);
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
        await().atMost(BackendsPage.PATIENCE).until(() -> page.counter("running").equals("0")
                && page.counter("waiting").equals("0"));
        await().atMost(BackendsPage.PATIENCE).until(() -> backendUsages(id) == 0);
        assertThat(page.interruptEnabled()).isFalse();
        page.screenshots("16-interrupted", "#results");
    }

    @Test
    void theGalleryListsSavedImagesAfterAReloadAndReusesTheirSettings() throws Exception {
        echo("{\"StepMillis\":0}");
        // Older images, to fill more than one page of the gallery.
        assertThat(api.call("GenerateText2Image", "{\"images\":25,\"model\":\"echo/gradient\",\"prompt\":\"filler\","
                + "\"steps\":1,\"width\":64,\"height\":64}").getAsJsonArray("images")).hasSize(25);
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
                .containsEntry("Model", "echo/gradient.safetensors");
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
        assertThat(page.select("gen-model").getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("echo/gradient.safetensors");
        assertThat(browser.driver().switchTo().activeElement()).isEqualTo(page.field("prompt"));
        // The same settings make the same picture again.
        page.type("images", "1");
        page.generate();
        List<WebElement> again = page.awaitAllDone();
        assertThat(GeneratePage.slotSeed(again.get(0))).isEqualTo("Seed " + seed);
        String first = newest.get(0).getAsJsonObject().get("image").getAsString();
        String remade = api.call("ListOutputs", "{\"limit\":1}").getAsJsonArray("files").get(0).getAsJsonObject()
                .get("image").getAsString();
        assertThat(pixels(get(server.url() + "/" + remade.replace(" ", "%20")).body()))
                .isEqualTo(pixels(get(server.url() + "/" + first.replace(" ", "%20")).body()));
    }

    @Test
    void aServerThatGoesAwayMidGenerationFailsTheJobAndShowsTheBanner() {
        int id = echo("{\"StepMillis\":60000,\"Slots\":1}");
        page.open(server.url());
        page.type("prompt", "never finished");
        page.type("images", "2");
        page.generate();
        await().atMost(BackendsPage.PATIENCE).until(() -> backendUsages(id) == 1);

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
        echo("{\"StepMillis\":0}");
        page.open(server.url());
        assertThat(browser.driver().findElement(By.id("gen-sampling")).isDisplayed()).isFalse();

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
        // The finished image opens by keyboard, and Escape closes it with focus back on the image.
        slots.get(0).findElement(By.cssSelector("button.slot-frame")).sendKeys(Keys.ENTER);
        await().atMost(BackendsPage.PATIENCE).until(page::dialogOpen);
        assertThat(activeId()).isEqualTo("image-dialog-use");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        await().atMost(BackendsPage.PATIENCE).until(() -> !page.dialogOpen());
        assertThat(browser.driver().switchTo().activeElement().getAttribute("class")).contains("slot-frame");

        // Every control of the form, the results and the header has an accessible name.
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

        // A backend that advertises ComfyUI's feature brings the sampler and scheduler choices.
        try (ComfyUiStandIn comfyUi = ComfyUiStandIn.start()) {
            int comfy = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
            api.call("EditBackend", "{\"backend_id\":" + comfy + ",\"title\":\"GPU box\",\"settings\":{\"Address\":\""
                    + comfyUi.baseUrl() + "\"}}");
            await().atMost(BackendsPage.PATIENCE).until(() -> browser.driver().findElement(By.id("gen-sampling"))
                    .isDisplayed());
            assertThat(page.select("gen-sampler").getOptions()).extracting(WebElement::getText)
                    .startsWith("Backend default", "euler");
            // "Run on" offers every backend with its status, updated as it changes.
            await().atMost(BackendsPage.PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(
                    page.select("gen-backend").getOptions()).extracting(WebElement::getText)
                    .containsExactly("Any backend", "#0 echo 0 (running)", "#" + comfy + " GPU box (running)"));
            page.screenshots("20-sampler-offered", "#gen-sampling");
            api.call("DeleteBackend", "{\"backend_id\":" + comfy + "}");
            await().atMost(BackendsPage.PATIENCE).until(() -> !browser.driver().findElement(By.id("gen-sampling"))
                    .isDisplayed());
        }
    }

    /** Adds an echo backend with these settings through the API and waits until it runs. */
    private int echo(String settings) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"example_echo\"}").get("id").getAsInt();
        JsonObject edited = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"echo " + id
                + "\",\"settings\":" + settings + "}");
        assertThat(edited.has("error")).as("%s", edited).isFalse();
        await().atMost(BackendsPage.PATIENCE).until(() -> "running".equals(view(id).get("status").getAsString()));
        return id;
    }

    private JsonObject view(int id) {
        return api.call("ListBackends", "{\"full_data\":true}").getAsJsonObject(Integer.toString(id));
    }

    private int backendUsages(int id) {
        return view(id).get("usages").getAsInt();
    }

    /** The server's answer to the same request over HTTP: its error text. */
    private String refusal(String request) {
        JsonObject answer = api.call("GenerateText2Image", request);
        assertThat(answer.has("error")).as("%s", answer).isTrue();
        return answer.get("error").getAsString();
    }

    /** Records, from the page's own DOM changes, every value each progress bar showed and previews seen. */
    private void watchProgress() {
        page.script("window.seen = {values: {}, maxActive: 0, previews: 0};"
                + "new MutationObserver(() => {"
                + "  const run = document.querySelector('#results > article.run:first-child');"
                + "  if (!run) { return; }"
                + "  const bars = [...run.querySelectorAll('li.slot progress')];"
                + "  bars.forEach((bar, i) => { const list = (window.seen.values[i] ||= []);"
                + "    if (list[list.length - 1] !== bar.value) { list.push(bar.value); } });"
                + "  window.seen.maxActive = Math.max(window.seen.maxActive,"
                + "    bars.filter(bar => bar.value > 0 && bar.value < 1).length);"
                + "  if (run.querySelector('img.slot-image.preview:not([hidden])')) { window.seen.previews++; }"
                + "}).observe(document.getElementById('results'),"
                + "  {subtree: true, childList: true, attributes: true});");
    }

    private String activeId() {
        return browser.driver().switchTo().activeElement().getAttribute("id");
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int[] pixels(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
