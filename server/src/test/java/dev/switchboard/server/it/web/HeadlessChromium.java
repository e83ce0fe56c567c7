package dev.switchboard.server.it.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both paths are given explicitly so
 * Selenium never looks for (or downloads) a driver or browser, and Chromium's own background traffic is off.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /**
     * Starts the browser with a fresh profile.
     *
     * @throws IllegalStateException when Chromium or its driver is not installed (a failure, not a skip: CI
     *     installs them)
     */
    static HeadlessChromium start(Path profileDirectory) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The web page's end-to-end tests need Debian's Chromium: " + BROWSER
                    + " and " + DRIVER + " must exist. Install them with "
                    + "'apt-get install -y chromium chromium-driver' (.ci/run does this).");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--user-data-dir=" + profileDirectory.toAbsolutePath(),
                "--window-size=1280,900");
        try {
            return new HeadlessChromium(service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Emulates a viewport of this size (a phone when narrower than 600 px). */
    void useViewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    }

    /** Emulates the operating system's colour scheme: {@code light} or {@code dark}. */
    void useColorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of(
                "features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /**
     * Saves the current state in the four looks reviewed by hand: desktop and 360 px, light and dark, each with the
     * element the state is about (when given) scrolled into view.
     */
    void screenshots(String state, String scrollToSelector) {
        for (String scheme : List.of("light", "dark")) {
            useColorScheme(scheme);
            for (int[] size : List.of(new int[] {1280, 900}, new int[] {360, 780})) {
                useViewport(size[0], size[1]);
                if (scrollToSelector != null) {
                    driver.executeScript("document.querySelector(arguments[0])?.scrollIntoView({block: 'start'});",
                            scrollToSelector);
                }
                screenshot(state + (size[0] == 360 ? "-360px-" : "-desktop-") + scheme);
            }
        }
        useColorScheme("light");
        useViewport(1280, 900);
    }

    /** Saves what the viewport shows as {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
