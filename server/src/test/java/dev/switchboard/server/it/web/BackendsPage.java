package dev.switchboard.server.it.web;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The Backends page as a user sees it: finds cards and controls the way a person would use them. */
final class BackendsPage {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final HeadlessChromium browser;
    private final ChromeDriver driver;

    BackendsPage(HeadlessChromium browser) {
        this.browser = browser;
        this.driver = browser.driver();
    }

    /** Loads the page's Backends view from the server and waits until the first list of backends is shown. */
    BackendsPage open(String serverUrl) {
        driver.get(serverUrl + "/#backends");
        await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> !driver.findElement(By.id("loading-note")).isDisplayed());
        return this;
    }

    /** Opens the add chooser, picks a type and returns the id of the new backend (shown in edit mode). */
    int add(String typeId) {
        openAddChooser();
        WebElement choice = driver.findElement(By.cssSelector("button.type-choice[data-type-id='" + typeId + "']"));
        if (!choice.isDisplayed()) {
            showAdvancedTypes();
        }
        choice.click();
        WebElement editing = await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> driver.findElement(By.cssSelector("article.card.editing")), e -> e != null);
        return Integer.parseInt(editing.getAttribute("data-backend-id"));
    }

    void openAddChooser() {
        if (!driver.findElement(By.id("add-panel")).isDisplayed()) {
            driver.findElement(By.id("add-backend")).click();
        }
        await().atMost(PATIENCE).until(() -> driver.findElement(By.id("add-panel")).isDisplayed());
    }

    /** Ticks "Show advanced types" in the add chooser. */
    void showAdvancedTypes() {
        WebElement toggle = driver.findElement(By.id("show-advanced"));
        if (!toggle.isSelected()) {
            toggle.click();
        }
    }

    WebElement card(int id) {
        return driver.findElement(cardSelector(id));
    }

    static By cardSelector(int id) {
        return By.cssSelector("article.card[data-backend-id='" + id + "']");
    }

    boolean hasCard(int id) {
        return !driver.findElements(cardSelector(id)).isEmpty();
    }

    /** The status text on a card, e.g. {@code running}. */
    String status(int id) {
        return card(id).findElement(By.cssSelector(":scope > .card-head [data-role='status']")).getText();
    }

    String statusMessage(int id) {
        return card(id).findElement(By.cssSelector(":scope > [data-role='status-message']")).getText();
    }

    String title(int id) {
        return card(id).findElement(By.cssSelector(":scope > .card-head .card-title")).getText();
    }

    /** Waits until the card shows this status; returns how long that took. */
    Duration awaitStatus(int id, String status) {
        long start = System.nanoTime();
        await().atMost(PATIENCE).ignoreException(StaleElementReferenceException.class)
                .until(() -> hasCard(id) && status.equals(status(id)));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    void edit(int id) {
        cardButton(id, "edit").click();
        await().atMost(PATIENCE).until(() -> card(id).getAttribute("class").contains("editing"));
    }

    /** The input of one setting in the card's open editor. */
    WebElement setting(int id, String name) {
        return card(id).findElement(By.cssSelector(":scope > .editor-slot [data-setting='" + name + "']"));
    }

    WebElement titleInput(int id) {
        return card(id).findElement(By.cssSelector(":scope > .editor-slot input[id$='-title']"));
    }

    void type(WebElement input, String text) {
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        input.sendKeys(text);
    }

    void clickSave(int id) {
        card(id).findElement(By.cssSelector(":scope > .editor-slot [data-action='save']")).click();
    }

    /** Saves and waits until the editor closed (the server accepted the change). */
    void save(int id) {
        clickSave(id);
        await().atMost(PATIENCE).until(() -> !card(id).getAttribute("class").contains("editing"));
    }

    void cancelEdit(int id) {
        card(id).findElement(By.cssSelector(":scope > .editor-slot [data-action='cancel']")).click();
    }

    boolean isEditing(int id) {
        return card(id).getAttribute("class").contains("editing");
    }

    /** The message shown next to the form, waiting until there is one. */
    String awaitFormError(int id) {
        By error = By.cssSelector(":scope > .editor-slot [data-role='form-error']");
        return await().atMost(PATIENCE).until(() -> card(id).findElement(error).getText(), text -> !text.isEmpty());
    }

    String fieldError(int id, String setting) {
        String inputId = setting(id, setting).getAttribute("id");
        return driver.findElement(By.id(inputId + "-error")).getText();
    }

    void clickToggle(int id) {
        card(id).findElement(By.cssSelector(":scope > .card-actions label.switch")).click();
    }

    boolean toggleChecked(int id) {
        return card(id).findElement(By.cssSelector(":scope > .card-actions input[role='switch']")).isSelected();
    }

    WebElement cardButton(int id, String action) {
        return card(id).findElement(By.cssSelector(":scope > .card-actions [data-action='" + action + "']"));
    }

    /** Clicks Delete and returns the question the confirmation asks, leaving it open. */
    String askToDelete(int id) {
        cardButton(id, "delete").click();
        WebElement dialog = driver.findElement(By.id("confirm-dialog"));
        await().atMost(PATIENCE).until(dialog::isDisplayed);
        return driver.findElement(By.id("confirm-text")).getText();
    }

    void confirm() {
        driver.findElement(By.id("confirm-ok")).click();
    }

    void click(String elementId) {
        driver.findElement(By.id(elementId)).click();
    }

    String toolbarStatus() {
        return driver.findElement(By.id("toolbar-status")).getText();
    }

    boolean bannerShown() {
        return driver.findElement(By.id("network-banner")).isDisplayed();
    }

    String bannerText() {
        return driver.findElement(By.id("network-banner")).getText();
    }

    List<WebElement> childCards(int parentId) {
        return card(parentId).findElements(By.cssSelector(":scope > details.children .child-list > article.card"));
    }

    Object script(String code) {
        return ((JavascriptExecutor) driver).executeScript(code);
    }

    /** Saves the current state in the four looks reviewed by hand: desktop and 360 px, light and dark. */
    void screenshots(String state) {
        browser.screenshots(state, null);
    }

    /** Whether the page is wider than the viewport (it should never need horizontal scrolling). */
    boolean overflowsAt(int width) {
        browser.useViewport(width, 780);
        try {
            Number scrollWidth = (Number) script("return document.documentElement.scrollWidth;");
            return scrollWidth.intValue() > width;
        } finally {
            browser.useViewport(1280, 900);
        }
    }
}
