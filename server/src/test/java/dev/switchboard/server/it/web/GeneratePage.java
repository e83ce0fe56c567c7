package dev.switchboard.server.it.web;

import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/** The page's Generate and Gallery views as a user sees them: the form, the runs with their images, the gallery. */
final class GeneratePage {
    private final HeadlessChromium browser;
    private final ChromeDriver driver;

    GeneratePage(HeadlessChromium browser) {
        this.browser = browser;
        this.driver = browser.driver();
    }

    /** Loads the page's Generate view and waits until the form has its defaults and the models are listed. */
    GeneratePage open(String serverUrl) {
        driver.get("about:blank");
        driver.get(serverUrl + "/#generate");
        awaitReady();
        return this;
    }

    /** Waits until the form took ListT2IParams' defaults and ListModels' models. */
    void awaitReady() {
        await().atMost(BackendsPage.PATIENCE).ignoreExceptions().until(() -> !value("steps").isEmpty()
                && !new Select(field("model")).getOptions().isEmpty());
    }

    /** The input of a form field by its parameter id, e.g. {@code steps}. */
    WebElement field(String param) {
        return driver.findElement(By.cssSelector("#generate-form [data-param='" + param + "']"));
    }

    void type(String param, String text) {
        WebElement input = field(param);
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        input.sendKeys(text);
    }

    String value(String param) {
        return field(param).getAttribute("value");
    }

    Select select(String id) {
        return new Select(driver.findElement(By.id(id)));
    }

    void generate() {
        driver.findElement(By.id("gen-submit")).click();
    }

    void interrupt() {
        driver.findElement(By.id("gen-interrupt")).click();
    }

    boolean interruptEnabled() {
        return driver.findElement(By.id("gen-interrupt")).isEnabled();
    }

    String formError() {
        return driver.findElement(By.id("gen-error")).getText();
    }

    String awaitFormError() {
        return await().atMost(BackendsPage.PATIENCE).until(this::formError, text -> !text.isEmpty());
    }

    String fieldError(String param) {
        return driver.findElement(By.id(field(param).getAttribute("id") + "-error")).getText();
    }

    String genStatus() {
        return driver.findElement(By.id("gen-status")).getText();
    }

    int runCount() {
        return driver.findElements(By.cssSelector("#results > article.run")).size();
    }

    /** The newest run's element. */
    WebElement latestRun() {
        return driver.findElement(By.cssSelector("#results > article.run:first-child"));
    }

    String latestRunStatus() {
        return latestRun().findElement(By.cssSelector("[data-role='run-status']")).getText();
    }

    /** The reason the newest run failed, as the server gave it (empty when none). */
    String latestRunError() {
        return latestRun().findElement(By.cssSelector("[data-role='run-error']")).getText();
    }

    /** The slots of the newest run, in order. */
    List<WebElement> slots() {
        return latestRun().findElements(By.cssSelector("li.slot"));
    }

    static String slotStatus(WebElement slot) {
        return slot.findElement(By.cssSelector("[data-role='slot-status']")).getText();
    }

    static String slotSeed(WebElement slot) {
        return slot.findElement(By.cssSelector("[data-role='slot-seed']")).getText();
    }

    /** The progress bars' values of the newest run's slots (1 once an image arrived). */
    @SuppressWarnings("unchecked")
    List<Number> progressValues() {
        return (List<Number>) script("return [...document.querySelectorAll('#results > article.run:first-child li.slot"
                + " progress')].map(bar => bar.value);");
    }

    /**
     * The decoded sizes of the newest run's finished images: {@code [naturalWidth, naturalHeight]} once the browser
     * decoded each (null for a slot without a decoded image yet).
     */
    @SuppressWarnings("unchecked")
    List<List<Number>> decodedSizes() {
        return (List<List<Number>>) script("return [...document.querySelectorAll('#results > article.run:first-child"
                + " li.slot')].map(slot => { const img = slot.querySelector('img.slot-image');"
                + " return slot.classList.contains('done') && img.complete && img.naturalWidth > 0"
                + " ? [img.naturalWidth, img.naturalHeight] : null; });");
    }

    /** Waits until every slot of the newest run is done (an image arrived) and returns them. */
    List<WebElement> awaitAllDone() {
        await().atMost(BackendsPage.PATIENCE).until(() -> slots().stream()
                .allMatch(slot -> slot.getAttribute("class").contains("done")));
        return slots();
    }

    /**
     * Records, from the page's own DOM changes, every value each progress bar of the newest run showed
     * ({@code window.seen.values}), the most bars between 0 and 1 at once ({@code maxActive}) and how often a preview
     * was shown ({@code previews}). Call it before the run starts.
     */
    void watchProgress() {
        script("window.seen = {values: {}, maxActive: 0, previews: 0};"
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

    /** How many slots of the newest run show a preview right now. */
    int previewsShown() {
        return ((Number) script("return document.querySelectorAll('#results > article.run:first-child"
                + " li.slot img.slot-image.preview:not([hidden])').length;")).intValue();
    }

    /** What {@link #watchProgress} saw each bar show, by the slot's index. */
    @SuppressWarnings("unchecked")
    Map<String, List<Number>> progressSeen() {
        return (Map<String, List<Number>>) script("return window.seen.values;");
    }

    /** How many bars {@link #watchProgress} saw between 0 and 1 at once, at most. */
    int mostMovingAtOnce() {
        return ((Number) script("return window.seen.maxActive;")).intValue();
    }

    /** How many DOM changes {@link #watchProgress} saw with a preview shown. */
    int previewsSeen() {
        return ((Number) script("return window.seen.previews;")).intValue();
    }

    /** The header's counter: {@code waiting}, {@code running} or {@code loading}. */
    String counter(String name) {
        return driver.findElement(By.cssSelector("#queue [data-role='queue-" + name + "']")).getText();
    }

    void showView(String name) {
        driver.findElement(By.id("nav-" + name)).click();
        await().atMost(BackendsPage.PATIENCE).until(() -> driver.findElement(By.id("view-" + name)).isDisplayed());
    }

    List<WebElement> galleryTiles() {
        return driver.findElements(By.cssSelector("#gallery-grid button.tile"));
    }

    String galleryRange() {
        return driver.findElement(By.id("gallery-range")).getText();
    }

    /** The image dialog's parameter list as label to value. */
    Map<String, String> dialogParams() {
        List<WebElement> terms = driver.findElements(By.cssSelector("#image-dialog-params dt"));
        List<WebElement> values = driver.findElements(By.cssSelector("#image-dialog-params dd"));
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < terms.size(); i++) {
            params.put(terms.get(i).getText(), values.get(i).getText());
        }
        return params;
    }

    boolean dialogOpen() {
        return driver.findElement(By.id("image-dialog")).isDisplayed();
    }

    boolean bannerShown() {
        return driver.findElement(By.id("network-banner")).isDisplayed();
    }

    Object script(String code, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(code, args);
    }

    /** Saves the four reviewed looks of the current state, with the element it is about in view. */
    void screenshots(String state, String scrollToSelector) {
        browser.screenshots(state, scrollToSelector);
    }

    /** Whether the page is wider than the viewport at this width (it should never need horizontal scrolling). */
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
