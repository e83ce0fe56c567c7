package dev.switchboard.server.it.web;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/** The page's login form, header and Users view as a user sees them. */
final class AccountsPage {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final HeadlessChromium browser;
    private final ChromeDriver driver;

    AccountsPage(HeadlessChromium browser) {
        this.browser = browser;
        this.driver = browser.driver();
    }

    /** Loads the page at a view and waits until the session is known: the login form or a view is shown. */
    AccountsPage open(String serverUrl, String view) {
        driver.get(serverUrl + "/#" + view);
        awaitStarted();
        return this;
    }

    /** Waits until the page knows its session: the login form or the logged-in header is shown. */
    void awaitStarted() {
        await().atMost(PATIENCE).ignoreExceptions().until(() -> loginFormShown() || shown("user-box")
                || !driver.findElement(By.id("server-info")).getText().isEmpty());
    }

    boolean loginFormShown() {
        return shown("login-form");
    }

    boolean shown(String id) {
        List<WebElement> found = driver.findElements(By.id(id));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    /** Types a name and password into the login form and submits it. */
    void submitLogin(String name, String password) {
        type(driver.findElement(By.id("login-name")), name);
        type(driver.findElement(By.id("login-password")), password);
        driver.findElement(By.id("login-submit")).click();
    }

    /** The login form's error, waiting until there is one. */
    String awaitLoginError() {
        return await().atMost(PATIENCE).until(() -> driver.findElement(By.id("login-error")).getText(),
                text -> !text.isEmpty());
    }

    String fieldValue(String id) {
        return driver.findElement(By.id(id)).getAttribute("value");
    }

    /** Logs in and waits until the page started again as that user. */
    void logIn(String name, String password) {
        submitLogin(name, password);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> shown("user-box") && name.equals(userName()));
    }

    String userName() {
        return driver.findElement(By.id("user-name")).getText();
    }

    /** Clicks Log out and waits for the login form. */
    void logOut() {
        driver.findElement(By.id("logout")).click();
        await().atMost(PATIENCE).ignoreExceptions().until(this::loginFormShown);
    }

    /** The navigation's visible links, by text. */
    List<String> navigation() {
        return driver.findElements(By.cssSelector("nav.views a")).stream().filter(WebElement::isDisplayed)
                .map(WebElement::getText).toList();
    }

    /** The view shown now (e.g. {@code users}), or null when none is. */
    String currentView() {
        return driver.findElements(By.cssSelector("main > section.view")).stream().filter(WebElement::isDisplayed)
                .map(view -> view.getAttribute("id").substring("view-".length())).findFirst().orElse(null);
    }

    /** Waits until the Users table lists this user and returns the row's roles cell. */
    String awaitUserRow(String name) {
        By roles = By.cssSelector("#users-table tr[data-user='" + name + "'] [data-role='roles']");
        return await().atMost(PATIENCE).ignoreExceptions().until(() -> driver.findElement(roles).getText(),
                text -> !text.isEmpty());
    }

    /** Fills the Add a user form and submits it. */
    void submitAddUser(String name, String password, String role) {
        type(driver.findElement(By.id("add-user-name")), name);
        type(driver.findElement(By.id("add-user-password")), password);
        new Select(driver.findElement(By.id("add-user-role"))).selectByValue(role);
        driver.findElement(By.id("add-user-submit")).click();
    }

    List<String> roleChoices() {
        return new Select(driver.findElement(By.id("add-user-role"))).getOptions().stream()
                .map(option -> option.getAttribute("value")).toList();
    }

    String awaitAddUserError() {
        return await().atMost(PATIENCE).until(() -> driver.findElement(By.id("add-user-error")).getText(),
                text -> !text.isEmpty());
    }

    String usersStatus() {
        return driver.findElement(By.id("users-status")).getText();
    }

    boolean displayed(By by) {
        return driver.findElements(by).stream().anyMatch(WebElement::isDisplayed);
    }

    void go(String view) {
        driver.findElement(By.id("nav-" + view)).click();
        await().atMost(PATIENCE).until(() -> view.equals(currentView()));
    }

    /** Creates an API key on My account and returns the key its dialog shows, leaving the dialog open. */
    String createKey(String label) {
        go("account");
        type(driver.findElement(By.id("key-label")), label);
        driver.findElement(By.id("key-submit")).click();
        await().atMost(PATIENCE).until(() -> shown("key-dialog"));
        return fieldValue("key-dialog-value");
    }

    /** Closes the new key's dialog (Done) and waits until the key is listed. */
    void closeKeyDialog(String label) {
        driver.findElement(By.id("key-dialog-close")).click();
        await().atMost(PATIENCE).ignoreExceptions().until(() -> !shown("key-dialog")
                && driver.findElement(By.id("keys-table")).getText().contains(label));
    }

    /** Opens a role in the Users view, ticks or unticks one permission and saves; returns the status shown. */
    String togglePermissionAndSave(String role, String permission) {
        go("users");
        By details = By.cssSelector("details.role[data-role-name='" + role + "']");
        await().atMost(PATIENCE).ignoreExceptions().until(() -> driver.findElement(details).isDisplayed());
        if (driver.findElement(details).getAttribute("open") == null) {
            driver.findElement(details).findElement(By.tagName("summary")).click();
        }
        driver.findElement(By.id("role-" + role + "-" + permission)).click();
        driver.findElement(details).findElement(By.cssSelector("button[type='submit']")).click();
        return await().atMost(PATIENCE).until(() -> driver.findElement(By.id("roles-status")).getText(),
                text -> !text.isEmpty());
    }

    /** The audit log's rows as shown, waiting until there is one. */
    String auditLog() {
        go("audit");
        return await().atMost(PATIENCE).until(() -> driver.findElement(By.cssSelector("#audit-table tbody")).getText(),
                text -> !text.isEmpty());
    }

    Object script(String code, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(code, args);
    }

    Object asyncScript(String code, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(code, args);
    }

    /** Every text a script could read from the page: its markup and the current value of every field. */
    String everythingInThePage() {
        return (String) script("return document.documentElement.outerHTML + '\\n'"
                + " + [...document.querySelectorAll('input, textarea, select')].map(e => e.value).join('\\n');");
    }

    void screenshots(String state) {
        browser.screenshots(state, null);
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }
}
