package dev.switchboard.server.it.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import dev.switchboard.server.it.TestPlugins;
import dev.switchboard.testkit.comfyui.ComfyUiStandIn;
import dev.switchboard.testkit.server.SwarmApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.openqa.selenium.support.ui.Select;

/**
 * The Backends page in a real headless Chromium against a real server that loads the packaged comfyui
 * plugin, with the ComfyUI stand-in as the engine. Every action goes through the page, as a user would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsPageIT {
    private HeadlessChromium browser;
    private BackendsPage page;
    private ComfyUiStandIn comfyUi;
    private WebTestServer server;

    @BeforeAll
    void startBrowser(@TempDir Path profile) {
        browser = HeadlessChromium.start(profile);
        page = new BackendsPage(browser);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startStandIn() {
        comfyUi = ComfyUiStandIn.start();
    }

    @AfterEach
    void stopServerAndStandIn() {
        if (server != null) {
            server.close();
            server = null;
        }
        comfyUi.close();
    }

    @Test
    void managesAComfyUiBackendFromAddToDelete(@TempDir Path data) throws Exception {
        server = WebTestServer.start(data, WebTestServer.shippedPlugins());
        SwarmApiClient api = server.client();
        page.open(server.url());
        page.screenshots("01-empty");

        page.openAddChooser();
        // comfyui_api is an advanced type: hidden until asked for.
        assertThat(browser.driver().findElement(By.id("type-list")).getText()).doesNotContain(typeName(api, "comfyui_api"));
        page.showAdvancedTypes();
        assertThat(browser.driver().findElement(By.id("type-list")).getText()).contains(typeName(api, "comfyui_api"));
        page.screenshots("02-add-chooser");
        int id = page.add("comfyui_api");
        WebElement address = page.setting(id, "Address");
        assertThat(browser.driver().switchTo().activeElement()).isEqualTo(address);
        page.type(address, comfyUi.baseUrl());
        page.type(page.titleInput(id), "GPU box");
        page.screenshots("03-new-backend-editing");
        page.save(id);

        page.awaitStatus(id, "running");
        assertThat(page.title(id)).isEqualTo("GPU box");
        assertThat(view(api, id).getAsJsonObject("settings").get("Address").getAsString()).isEqualTo(comfyUi.baseUrl());
        page.screenshots("04-running");

        // Edit a setting.
        page.edit(id);
        page.type(page.setting(id, "OverQueue"), "3");
        page.save(id);
        await().atMost(BackendsPage.PATIENCE).until(() ->
                view(api, id).getAsJsonObject("settings").get("OverQueue").getAsInt() == 3);
        page.awaitStatus(id, "running");

        // A value only the server can judge: its error is shown next to the form and nothing changes.
        page.edit(id);
        page.type(page.setting(id, "OverQueue"), "5000");
        page.clickSave(id);
        String shownError = page.awaitFormError(id);
        JsonObject serverAnswer = api.call("EditBackend", "{\"backend_id\":" + id
                + ",\"title\":\"GPU box\",\"settings\":{\"OverQueue\":5000}}");
        assertThat(shownError).isEqualTo(serverAnswer.get("error").getAsString()).contains("OverQueue");
        assertThat(page.isEditing(id)).isTrue();
        page.screenshots("05-server-error");
        // A value the page can judge itself never reaches the server.
        int modcount = view(api, id).get("modcount").getAsInt();
        page.type(page.setting(id, "OverQueue"), "lots");
        page.clickSave(id);
        assertThat(page.awaitFormError(id)).isEqualTo("Please correct the marked fields.");
        assertThat(page.fieldError(id, "OverQueue")).isEqualTo("OverQueue must be a whole number.");
        assertThat(view(api, id).get("modcount").getAsInt()).isEqualTo(modcount);
        page.cancelEdit(id);
        assertThat(view(api, id).getAsJsonObject("settings").get("OverQueue").getAsInt()).isEqualTo(3);

        // Toggle off and on.
        page.clickToggle(id);
        page.awaitStatus(id, "disabled");
        assertThat(view(api, id).get("enabled").getAsBoolean()).isFalse();
        assertThat(page.cardButton(id, "restart").isEnabled()).isFalse();
        page.screenshots("06-disabled");
        page.clickToggle(id);
        page.awaitStatus(id, "running");
        assertThat(view(api, id).get("enabled").getAsBoolean()).isTrue();

        // Restart: the plugin connects to ComfyUI again.
        comfyUi.clearRequests();
        page.cardButton(id, "restart").click();
        await().atMost(BackendsPage.PATIENCE).until(() -> page.toolbarStatus().equals("Restarting GPU box."));
        await().atMost(BackendsPage.PATIENCE).until(() -> !comfyUi.requests().isEmpty());
        page.awaitStatus(id, "running");

        // Free memory, both kinds.
        comfyUi.clearRequests();
        page.click("free-vram");
        await().atMost(BackendsPage.PATIENCE).until(() -> comfyUi.requests().stream().anyMatch(r -> r.is("POST", "/free")));
        await().atMost(BackendsPage.PATIENCE).until(() -> page.toolbarStatus().equals("Freed GPU memory on 1 backend."));
        page.click("free-ram");
        await().atMost(BackendsPage.PATIENCE)
                .until(() -> page.toolbarStatus().equals("Freed GPU and system memory on 1 backend."));

        // Logs: what GetBackendLogs has for this backend.
        page.cardButton(id, "logs").click();
        await().atMost(BackendsPage.PATIENCE).until(() -> browser.driver().findElement(By.id("logs-dialog")).isDisplayed());
        assertThat(browser.driver().findElement(By.id("logs-title")).getText()).isEqualTo("Logs of GPU box (#" + id + ")");
        var lines = api.call("GetBackendLogs", "{\"backend_id\":" + id + "}").getAsJsonArray("lines");
        if (lines.isEmpty()) {
            await().atMost(BackendsPage.PATIENCE).until(() -> browser.driver().findElement(By.id("logs-note")).getText()
                    .equals("This backend has not written any output yet."));
        } else {
            String first = lines.get(0).getAsString();
            await().atMost(BackendsPage.PATIENCE).until(() -> browser.driver().findElement(By.id("logs-text")).getText()
                    .contains(first));
        }
        browser.driver().findElement(By.id("logs-close")).click();
        await().atMost(BackendsPage.PATIENCE).until(() -> !browser.driver().findElement(By.id("logs-dialog")).isDisplayed());

        // Delete, after a confirmation that names the backend; cancelling keeps it.
        assertThat(page.askToDelete(id)).contains("#" + id, "GPU box");
        page.screenshots("07-delete-confirmation");
        browser.driver().findElement(By.id("confirm-cancel")).click();
        assertThat(page.hasCard(id)).isTrue();
        page.askToDelete(id);
        page.confirm();
        await().atMost(BackendsPage.PATIENCE).until(() -> !page.hasCard(id));
        assertThat(api.call("ListBackends").keySet()).isEmpty();
        assertThat(browser.driver().findElement(By.id("empty-note")).isDisplayed()).isTrue();
    }

    @Test
    void statusChangesMadeElsewhereShowWithinThePollingInterval(@TempDir Path data) throws Exception {
        server = WebTestServer.start(data, WebTestServer.shippedPlugins());
        SwarmApiClient api = server.client();
        int id = addRunningComfyUi(api, "Watched");
        page.open(server.url());
        page.awaitStatus(id, "running");

        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            // ToggleBackend answers once the backend is shut down, so the status is already "disabled" here.
            assertThat(api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":false}").toString())
                    .contains("Success.");
            millis.add(page.awaitStatus(id, "disabled").toMillis());
            api.call("ToggleBackend", "{\"backend_id\":" + id + ",\"enabled\":true}");
            page.awaitStatus(id, "running");
        }

        Files.createDirectories(HeadlessChromium.SCREENSHOTS);
        Files.writeString(HeadlessChromium.SCREENSHOTS.resolve("status-latency.txt"),
                "ms from ToggleBackend's answer to the page showing 'disabled': " + millis + "\n");
        System.out.println("Status change shown on the page after (ms): " + millis);
        // Polling every second; generous margin for a loaded two-core machine.
        assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
    }

    @Test
    void aSecretStaysMaskedAndSurvivesSaving(@TempDir Path root) throws Exception {
        Path data = root.resolve("data");
        server = WebTestServer.start(data, TestPlugins.withFake(root));
        SwarmApiClient api = server.client();
        page.open(server.url());

        int id = page.add("fake_parent");
        WebElement token = page.setting(id, "Token");
        assertThat(token.getAttribute("type")).isEqualTo("password");
        token.sendKeys("hunter2-very-secret");
        page.type(page.setting(id, "Children"), "2");
        Select mode = new Select(page.setting(id, "Mode"));
        assertThat(mode.getOptions()).extracting(WebElement::getText).containsExactly("Fast", "Slow");
        mode.selectByVisibleText("Slow");
        page.save(id);
        page.awaitStatus(id, "running");
        assertThat(page.title(id)).isEqualTo("Fake parent");
        await().atMost(BackendsPage.PATIENCE).until(() -> page.childCards(id).size() == 2);
        page.screenshots("08-parent-with-children");

        page.edit(id);
        // Editing the parent leaves its children's cards as they are.
        assertThat(page.childCards(id).get(0).findElement(By.cssSelector(":scope > .card-actions")).isDisplayed())
                .isTrue();
        WebElement storedToken = page.setting(id, "Token");
        assertThat(storedToken.getAttribute("type")).isEqualTo("password");
        assertThat(storedToken.getAttribute("value")).isEmpty();
        assertThat(storedToken.getAttribute("placeholder")).contains("Stored secret kept");
        assertThat(browser.driver().getPageSource()).doesNotContain("hunter2");
        page.screenshots("09-secret-kept");
        page.type(page.titleInput(id), "Renamed parent");
        page.save(id);
        await().atMost(BackendsPage.PATIENCE).until(() -> page.title(id).equals("Renamed parent"));

        JsonObject settings = view(api, id).getAsJsonObject("settings");
        assertThat(settings.get("Token").getAsString()).isEqualTo("\t<secret>");
        assertThat(settings.get("Mode").getAsString()).isEqualTo("slow");
        assertThat(backendsFile(data)).contains("hunter2-very-secret").contains("Renamed parent");
        assertThat(browser.driver().getPageSource()).doesNotContain("hunter2");

        // The collapsible children: closing the group hides them.
        WebElement group = page.card(id).findElement(By.cssSelector(":scope > details.children"));
        group.findElement(By.tagName("summary")).click();
        assertThat(page.childCards(id).get(0).isDisplayed()).isFalse();
    }

    @Test
    void thePageRecoversAfterTheServerRestarts(@TempDir Path data) throws Exception {
        server = WebTestServer.start(data, WebTestServer.shippedPlugins());
        int id = addRunningComfyUi(server.client(), "Survivor");
        page.open(server.url());
        page.awaitStatus(id, "running");
        assertThat(page.bannerShown()).isFalse();

        server.close();
        await().atMost(BackendsPage.PATIENCE).until(page::bannerShown);
        assertThat(page.bannerText()).contains("Cannot reach the Switchboard server");
        page.screenshots("10-server-gone");

        WebTestServer stopped = server;
        server = null;
        server = stopped.restart();
        await().atMost(BackendsPage.PATIENCE).until(() -> !page.bannerShown());
        page.awaitStatus(id, "running");
        assertThat(page.title(id)).isEqualTo("Survivor");
        // The page works on with the new server: a change made through it arrives.
        page.clickToggle(id);
        page.awaitStatus(id, "disabled");
        assertThat(view(server.client(), id).get("enabled").getAsBoolean()).isFalse();
    }

    @Test
    void isUsableByKeyboardAndAtPhoneWidth(@TempDir Path data) throws Exception {
        server = WebTestServer.start(data, WebTestServer.shippedPlugins());
        int id = addRunningComfyUi(server.client(), "A backend with a rather long title to wrap at phone width");
        page.open(server.url());
        page.awaitStatus(id, "running");

        assertThat(page.overflowsAt(360)).isFalse();

        // The views' links come first, then the Backends view's own controls.
        browser.driver().findElement(By.tagName("body")).sendKeys(Keys.TAB);
        List<String> order = new ArrayList<>(List.of(activeId()));
        for (int i = 0; i < 3; i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
            order.add(activeId());
        }
        assertThat(order).containsExactly("nav-generate", "nav-gallery", "nav-backends", "add-backend");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        // Focus moves into the chooser: onto the first standard type (swarmswarmbackend is one) or, when there is
        // none, onto "Show advanced types". comfyui_api is an advanced type: reach the switch, turn it on, and
        // tab to the type, all by keyboard.
        await().atMost(BackendsPage.PATIENCE).until(() -> {
            WebElement active = browser.driver().switchTo().activeElement();
            return "show-advanced".equals(active.getAttribute("id")) || active.getAttribute("data-type-id") != null;
        });
        for (int i = 0; i < 10 && !"show-advanced".equals(activeId()); i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        }
        assertThat(activeId()).isEqualTo("show-advanced");
        browser.driver().switchTo().activeElement().sendKeys(Keys.SPACE);
        for (int i = 0; i < 10 && !"comfyui_api".equals(activeTypeId()); i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(activeTypeId()).isEqualTo("comfyui_api");
        String outline = (String) page.script(
                "return getComputedStyle(document.activeElement).outlineStyle;");
        assertThat(outline).isEqualTo("solid");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        assertThat(browser.driver().findElement(By.id("add-panel")).isDisplayed()).isFalse();

        // Every control on a card has an accessible name.
        for (WebElement control : page.card(id).findElements(By.cssSelector("button, input"))) {
            String name = control.getAccessibleName();
            assertThat(name).as(control.getAttribute("outerHTML")).isNotBlank();
        }
    }

    private int addRunningComfyUi(SwarmApiClient api, String title) {
        int id = api.call("AddNewBackend", "{\"type_id\":\"comfyui_api\"}").get("id").getAsInt();
        JsonObject edit = api.call("EditBackend", "{\"backend_id\":" + id + ",\"title\":\"" + title
                + "\",\"settings\":{\"Address\":\"" + comfyUi.baseUrl() + "\"}}");
        assertThat(edit.has("error")).as(edit.toString()).isFalse();
        await().atMost(BackendsPage.PATIENCE).until(() -> "running".equals(view(api, id).get("status").getAsString()));
        return id;
    }

    private static JsonObject view(SwarmApiClient api, int id) {
        return api.call("ListBackends", "{\"nonreal\":true}").getAsJsonObject(String.valueOf(id));
    }

    private static String typeName(SwarmApiClient api, String typeId) {
        for (var type : api.call("ListBackendTypes").getAsJsonArray("list")) {
            if (type.getAsJsonObject().get("id").getAsString().equals(typeId)) {
                return type.getAsJsonObject().get("name").getAsString();
            }
        }
        throw new AssertionError("no type " + typeId);
    }

    private static String backendsFile(Path data) throws IOException {
        return Files.readString(data.resolve("backends.json"));
    }

    private String activeId() {
        return browser.driver().switchTo().activeElement().getAttribute("id");
    }

    private String activeTypeId() {
        return browser.driver().switchTo().activeElement().getAttribute("data-type-id");
    }
}
