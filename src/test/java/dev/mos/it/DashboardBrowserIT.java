package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard in a real headless Chromium against the packaged server with auth on: the token prompt, then
 * a session unfolding live (no reload) with a running operation, a slow one and a failing one marked in the tree,
 * the timeline and the tool chart. Keeps target/dashboard-live.png.
 */
class DashboardBrowserIT {

    private static final String TOKEN = "dash-token";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    private static MosProcess mos;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        mos = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", TOKEN));
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        mos.close();
    }

    private static void log(String... events) throws Exception {
        Http.Response r = Http.call(mos.baseUrl(), "log_event", "{\"events\": [" + String.join(",", events) + "]}",
                AUTH);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("rejected").asInt()).as(r.body()).isZero();
    }

    private static String ev(String type, String corr, String name, String extra) {
        return "{\"session_id\": \"dash-1\", \"event_type\": \"" + type + "\", \"correlation_id\": \"" + corr
                + "\", \"details\": {\"name\": \"" + name + "\"" + extra + "}}";
    }

    private static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50));
        // Live updates re-render the tree under the test's feet: a vanished element is simply looked up again.
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** One operation of the tree as the page shows it right now, read atomically in the page. */
    record Op(String cls, String text, boolean visible) {
    }

    @SuppressWarnings("unchecked")
    private static Op op(String name) {
        Map<String, Object> found = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                for (const li of document.querySelectorAll('#tree .op')) {
                  if (li.querySelector(':scope > .row .name').textContent === arguments[0]) {
                    return {cls: li.className, text: li.querySelector(':scope > .row').innerText,
                            visible: li.offsetParent !== null};
                  }
                }
                return null;""", name);
        return found == null ? null : new Op((String) found.get("cls"), (String) found.get("text"),
                (Boolean) found.get("visible"));
    }

    /** innerText of the first element matching a CSS selector right now, or null. */
    private static String text(String css) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    }

    private static long count(String css) {
        return (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll(arguments[0]).length;", css);
    }

    private static boolean opHas(String name, String cls) {
        Op op = op(name);
        return op != null && List.of(op.cls().split(" ")).contains(cls);
    }

    @Test
    void tokenPromptThenASessionUnfoldsLiveWithSlowAndFailingOperationsMarked() throws Exception {
        log(ev("task_started", "t", "Fix the build", ""));
        browser.get(mos.baseUrl() + "/");
        WebElement form = waiting().until(d -> {
            WebElement f = d.findElement(By.id("token-form"));
            return f.isDisplayed() ? f : null;
        });
        assertThat(browser.findElements(By.cssSelector("#sessions .session"))).as("no data before the token")
                .isEmpty();
        browser.findElement(By.id("token-input")).sendKeys("wrong-token");
        form.submit();
        waiting().until(d -> d.findElement(By.id("token-error")).getText().contains("refused"));
        browser.findElement(By.id("token-input")).clear();
        browser.findElement(By.id("token-input")).sendKeys(TOKEN);
        browser.findElement(By.cssSelector("#token-form button")).click();

        waiting().until(d -> d.findElement(By.id("conn")).getText().equals("live"));
        waiting().until(d -> op("Fix the build") != null);
        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = 'yes';");
        assertThat(opHas("Fix the build", "running")).isTrue();

        // Live: a running tool appears, then finishes slow; another fails. No reload in between.
        log(ev("tool_pre_call", "r", "Read", "").replace("}}", "}, \"parent_id\": \"t\"}"));
        waiting().until(d -> opHas("Read", "running"));
        log("{\"session_id\": \"dash-1\", \"event_type\": \"tool_post_call\", \"correlation_id\": \"r\", "
                + "\"duration_ms\": 1200, \"details\": {\"name\": \"Read\"}}",
                ev("tool_pre_call", "b", "Bash", "").replace("}}", "}, \"parent_id\": \"t\"}"),
                "{\"session_id\": \"dash-1\", \"event_type\": \"tool_error\", \"correlation_id\": \"b\", "
                        + "\"details\": {\"name\": \"Bash\", \"error\": \"exit code 2\"}}");
        waiting().until(d -> opHas("Bash", "error"));
        waiting().until(d -> opHas("Read", "success"));
        Op read = op("Read");
        assertThat(read.cls().split(" ")).contains("slow", "success").doesNotContain("running");
        assertThat(read.text()).contains("SLOW").contains("1.2s");
        assertThat(op("Bash").text()).contains("ERROR: exit code 2");

        waiting().until(d -> count("#waterfall .wf-row") == 3);
        assertThat(count("#waterfall .wf-bar.error")).isEqualTo(1);
        assertThat(count("#waterfall .wf-bar.slow")).isPositive();
        waiting().until(d -> text(".tool-stats[data-tool='Bash']") != null);
        assertThat(text(".tool-stats[data-tool='Bash']")).contains("1 calls").contains("1 err");
        waiting().until(d -> count("#alerts .alert") == 2);
        assertThat(text("#alerts")).contains("exit code 2").contains("took 1.2s");
        waiting().until(d -> "1 errors".equals(text("#sessions .session[data-id='dash-1'] .errors")));
        assertThat(text("#sessions .session[data-id='dash-1'] .tools")).isEqualTo("2 tool calls");
        waiting().until(d -> text("#health-status") != null);
        assertThat(text("#health-status")).containsAnyOf("healthy", "warning");

        // Collapsing hides the children and survives the next live update.
        waiting().until(d -> {
            d.findElement(By.cssSelector("#tree > ul > .op > .row > .toggle")).click();
            return true;
        });
        waiting().until(d -> !op("Read").visible());
        log(ev("task_progress", "t", "Fix the build", ""));
        waiting().until(d -> "6".equals(d.findElement(By.tagName("body")).getAttribute("data-rendered-sequence")));
        log(ev("task_complete", "t", "Fix the build", ""));
        waiting().until(d -> opHas("Fix the build", "success"));
        assertThat(opHas("Fix the build", "collapsed")).as("collapse kept across live updates").isTrue();
        assertThat(op("Read").visible()).isFalse();

        assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument;"))
                .as("updated in place, never reloaded").isEqualTo("yes");
        Path shot = Path.of("target", "dashboard-live.png");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isPositive();
    }
}
