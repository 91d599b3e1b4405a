package io.breakwater.samples.browser;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The chat page in its own headless Chromium: what a user types and clicks, and what they see. */
final class ChatPage implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final WebDriver browser;

    private ChatPage(WebDriver browser) {
        this.browser = browser;
    }

    /**
     * Starts a browser with an empty profile in {@code profile} and opens {@code page}; the browser and its
     * driver are found as {@link ChromiumInstallation} says.
     */
    static ChatPage open(URI page, Path profile) {
        ChromiumInstallation chromium = ChromiumInstallation.find(System.getenv());
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromium.driver().toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.browser().toFile());
        // As root on a machine with no outside network: no sandbox, and none of Chromium's own traffic.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath());
        ChatPage chat = new ChatPage(new ChromeDriver(driver, options));
        chat.browser.get(page.toString());
        return chat;
    }

    void join(String name) {
        WebElement nameField = browser.findElement(By.id("name"));
        nameField.clear();
        nameField.sendKeys(name);
        browser.findElement(By.id("join")).click();
    }

    String roomField() {
        return browser.findElement(By.id("room")).getDomProperty("value");
    }

    /** Types {@code text} into the message field and presses Enter. */
    void sayWithEnter(String text) {
        browser.findElement(By.id("text")).sendKeys(text, Keys.ENTER);
    }

    /** Types {@code text} into the message field and clicks Send. */
    void sayWithButton(String text) {
        browser.findElement(By.id("text")).sendKeys(text);
        browser.findElement(By.id("send")).click();
    }

    void leave() {
        browser.findElement(By.id("leave")).click();
    }

    /** Whether the Send button can be clicked. */
    boolean canSend() {
        return browser.findElement(By.id("send")).isEnabled();
    }

    String status() {
        return browser.findElement(By.id("status")).getText();
    }

    WebElement compressionBadge() {
        return browser.findElement(By.id("compression"));
    }

    List<String> members() {
        return texts(By.cssSelector("#members li"));
    }

    /** The conversation as shown, one entry per line: "Alice: hello", or a notice such as "Bob joined". */
    List<String> conversation() {
        return browser.findElements(By.cssSelector("#messages > li")).stream().map(ChatPage::shown).toList();
    }

    /** The conversation's last line, as {@link #conversation()} shows it; empty when there is none. */
    String lastLine() {
        List<String> lines = conversation();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The lines shown dimmed as history from before this user came. */
    List<String> history() {
        return browser.findElements(By.cssSelector("#messages > li.history")).stream().map(ChatPage::shown).toList();
    }

    /** Elements inside message texts: a member's markup must show as text, never become elements. */
    int elementsInsideMessageTexts() {
        return browser.findElements(By.cssSelector("#messages .text *")).size();
    }

    private static String shown(WebElement line) {
        if (line.getDomAttribute("class").contains("message")) {
            return line.findElement(By.className("from")).getText() + ": " + line.findElement(By.className("text")).getText();
        }
        return line.getText();
    }

    private List<String> texts(By selector) {
        return browser.findElements(selector).stream().map(WebElement::getText).toList();
    }

    /** Waits until {@code what} shows {@code expected}, and says what it showed instead if it never does. */
    <T> void awaitShows(String what, Supplier<T> shown, T expected) {
        // The page rebuilds a list when a message comes: an element read just then is gone (stale), and
        // the next look sees the new list.
        new WebDriverWait(browser, PATIENCE)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what + " should show " + expected + " but shows " + shownNow(shown))
                .until(ignored -> expected.equals(shown.get()));
    }

    /** Waits until what {@code shown} shows passes {@code test}, described by {@code expected} if it never does. */
    <T> void awaitThat(String what, Supplier<T> shown, Predicate<T> test, String expected) {
        new WebDriverWait(browser, PATIENCE)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> what + " should show " + expected + " but shows " + shownNow(shown))
                .until(ignored -> test.test(shown.get()));
    }

    private static String shownNow(Supplier<?> shown) {
        try {
            return String.valueOf(shown.get());
        } catch (StaleElementReferenceException changing) {
            return "a list being rebuilt";
        }
    }

    @Override
    public void close() {
        browser.quit();
    }
}
