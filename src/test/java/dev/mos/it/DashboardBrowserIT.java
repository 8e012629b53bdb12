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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard in a real headless Chromium against the packaged server with auth on: the token prompt, then
 * a session unfolding live (no reload) with a running operation, a slow one and a failing one marked in the tree,
 * the timeline and the tool chart; then a session's project and cost (from its LLM operations) in the list and the
 * header, and the project filter. Keeps target/dashboard-live.png and target/dashboard-usage.png. The first test
 * enters the token, which the tab then keeps: the order matters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final String TOKEN = "dash-token";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    private static MosProcess mos;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        mos = MosProcess.serve(Map.of("MCP_AUTH_TOKEN", TOKEN, "MCP_MAX_EVENTS_PER_SESSION", "5000"));
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

    /** Not shown: hidden under a closed parent, or (a closed subtree is not drawn at all) not in the page. */
    private static boolean hidden(String name) {
        Op op = op(name);
        return op == null || !op.visible();
    }

    private static boolean opHas(String name, String cls) {
        Op op = op(name);
        return op != null && List.of(op.cls().split(" ")).contains(cls);
    }

    @Test
    @Order(1)
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
        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = 'yes'; window.__csp = [];"
                + "document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));");
        assertThat(opHas("Fix the build", "running")).isTrue();
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return [document.cookie, sessionStorage.length + localStorage.length, location.href].join(' ')"))
                .as("signed in by an HttpOnly cookie: no token in script reach, storage or the address")
                .asString().doesNotContain(TOKEN).doesNotContain("mos_session").contains(" 0 ");

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
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('#waterfall .wf-bar.error').getBoundingClientRect().width"))
                .as("bars are placed through the CSSOM under the strict CSP").asString().isNotEqualTo("0");
        assertThat(count("#waterfall .wf-bar.slow")).isPositive();
        waiting().until(d -> text(".tool-stats[data-tool='Bash']") != null);
        assertThat(text(".tool-stats[data-tool='Bash']")).contains("1 call ·").contains("1 err");
        waiting().until(d -> count("#alerts .alert") == 2);
        assertThat(text("#alerts")).contains("exit code 2").contains("took 1.2s");
        waiting().until(d -> "1 error".equals(text("#sessions .session[data-id='dash-1'] .errors")));
        assertThat(text("#sessions .session[data-id='dash-1'] .tools")).isEqualTo("2 tool calls");
        waiting().until(d -> text("#health-status") != null);
        assertThat(text("#health-status")).containsAnyOf("healthy", "warning");

        // Collapsing hides the children and survives the next live update.
        waiting().until(d -> {
            d.findElement(By.cssSelector("#tree > ul > .op > .row > .toggle")).click();
            return true;
        });
        waiting().until(d -> hidden("Read"));
        log(ev("task_progress", "t", "Fix the build", ""));
        waiting().until(d -> "6".equals(d.findElement(By.tagName("body")).getAttribute("data-rendered-sequence")));
        log(ev("task_complete", "t", "Fix the build", ""));
        waiting().until(d -> opHas("Fix the build", "success"));
        assertThat(opHas("Fix the build", "collapsed")).as("collapse kept across live updates").isTrue();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__csp.join(',')"))
                .as("nothing the page does is blocked by its Content-Security-Policy").isEqualTo("");
        assertThat(hidden("Read")).isTrue();

        assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument;"))
                .as("updated in place, never reloaded").isEqualTo("yes");
        Path shot = Path.of("target", "dashboard-live.png");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isPositive();
    }

    /** An LLM call as the OTLP mapper records Claude Code's api_request (attribute values as strings). */
    private static String llm(String session, String id, String parent, String model, String in, String out,
            String cost) {
        String details = "\"name\": \"" + model + "\", \"model\": \"" + model + "\", \"input_tokens\": \"" + in
                + "\", \"output_tokens\": \"" + out + "\", \"cache_read_tokens\": \"0\", \"cache_creation_tokens\": \"0\","
                + " \"cost_usd\": \"" + cost + "\"";
        String head = "{\"session_id\": \"" + session + "\", \"correlation_id\": \"" + id + "\", \"parent_id\": \""
                + parent + "\", \"event_type\": ";
        return head + "\"llm_request\", \"details\": {" + details + "}}, " + head + "\"llm_response\", \"details\": {"
                + details + "}}";
    }

    private static String task(String session, String cwd) {
        return "{\"session_id\": \"" + session + "\", \"event_type\": \"task_started\", \"correlation_id\": \"p\","
                + " \"details\": {\"name\": \"Prompt of " + session + "\", \"cwd\": \"" + cwd + "\"}}";
    }

    @SuppressWarnings("unchecked")
    private static List<String> listed() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#sessions .session')].map((li) => li.dataset.id);");
    }

    @Test
    @Order(2)
    void aSessionsProjectAndCostShowInTheListAndHeaderAndTheProjectFilterKeepsOnlyItsSessions() throws Exception {
        log(task("dash-shop", "/srv/projects/shop"), llm("dash-shop", "req1", "p", "claude-sonnet-4-5", "1200",
                "300", "0.0125"), "{\"session_id\": \"dash-shop\", \"event_type\": \"subagent_spawn\","
                + " \"correlation_id\": \"agent\", \"parent_id\": \"p\", \"details\": {\"name\": \"Explore\"}}",
                llm("dash-shop", "req2", "agent", "claude-haiku-4-5", "100", "50", "0.0004"));
        log(task("dash-blog", "/srv/projects/blog"));
        browser.get(mos.baseUrl() + "/#session=dash-shop");
        browser.navigate().refresh(); // a new hash alone would not reload the page

        waiting().until(d -> "$0.0129".equals(text("#session-cost")));
        assertThat(text("#current-session")).isEqualToIgnoringCase("dash-shop");
        assertThat(text("#session-project")).contains("/srv/projects/shop");
        assertThat(text("#session-tokens")).contains("1,300 in").contains("350 out");
        assertThat(text("#session-header .model[data-model='claude-sonnet-4-5']")).contains("$0.0125")
                .contains("1,200 in");
        assertThat(text("#session-header .model[data-model='claude-haiku-4-5']")).contains("$0.0004");
        waiting().until(d -> "$0.0129".equals(text("#sessions .session[data-id='dash-shop'] .cost")));
        assertThat(text("#sessions .session[data-id='dash-shop'] .project")).contains("shop");
        assertThat(text("#sessions .session[data-id='dash-blog'] .project")).contains("blog");
        assertThat(text("#sessions .session[data-id='dash-blog'] .cost")).as("nothing reported").isEqualTo("—");
        assertThat(text("#sessions .session[data-id='dash-1'] .project")).isEqualTo("no project");

        // Live: another LLM call raises the cost in the list and the header without a reload.
        ((JavascriptExecutor) browser).executeScript("window.__usageDocument = 'yes';");
        log(llm("dash-shop", "req3", "p", "claude-sonnet-4-5", "10", "10", "0.0071"));
        waiting().until(d -> "$0.0200".equals(text("#session-cost")));
        waiting().until(d -> "$0.0200".equals(text("#sessions .session[data-id='dash-shop'] .cost")));

        Select project = new Select(browser.findElement(By.id("project-filter")));
        waiting().until(d -> project.getOptions().size() == 3);
        project.selectByValue("/srv/projects/blog");
        waiting().until(d -> listed().equals(List.of("dash-blog")));
        project.selectByValue("/srv/projects/shop");
        waiting().until(d -> listed().equals(List.of("dash-shop")));
        project.selectByValue("");
        waiting().until(d -> listed().size() == 3);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__usageDocument;")).isEqualTo("yes");

        Path shot = Path.of("target", "dashboard-usage.png");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isPositive();
    }

    @Test
    @Order(3)
    void aBigSessionDrawsClosedSubtreesAndOnlyTheTimelineRowsInView() throws Exception {
        // 3 tasks of 400 tool calls each: 1,203 operations, above the dashboard's 1,000-operation threshold
        for (int t = 0; t < 3; t++) {
            List<String> batch = new java.util.ArrayList<>();
            batch.add("{\"session_id\": \"dash-big\", \"event_type\": \"task_started\", \"correlation_id\": \"T" + t
                    + "\", \"details\": {\"name\": \"Task " + t + "\"}}");
            for (int i = 0; i < 400; i++) {
                String c = "T" + t + "-" + i;
                batch.add("{\"session_id\": \"dash-big\", \"event_type\": \"tool_pre_call\", \"correlation_id\": \"" + c
                        + "\", \"parent_id\": \"T" + t + "\", \"details\": {\"name\": \"Read\"}}");
                batch.add("{\"session_id\": \"dash-big\", \"event_type\": \"tool_post_call\", \"correlation_id\": \""
                        + c + "\", \"details\": {\"name\": \"Read\"}}");
            }
            if (t < 2) {
                batch.add("{\"session_id\": \"dash-big\", \"event_type\": \"task_complete\", \"correlation_id\": \"T"
                        + t + "\", \"details\": {\"name\": \"Task " + t + "\"}}");
            }
            log(batch.toArray(String[]::new));
        }
        browser.get(mos.baseUrl() + "/#session=dash-big");
        browser.navigate().refresh();
        waiting().until(d -> "2405".equals(d.findElement(By.tagName("body")).getAttribute("data-rendered-sequence")));

        assertThat(opHas("Task 0", "collapsed")).as("finished subtrees start closed in a big tree").isTrue();
        assertThat(text("#tree .op[data-id='T0'] > .row .kids")).isEqualTo("400 inside");
        assertThat(opHas("Task 2", "collapsed")).as("a subtree with running work stays open").isFalse();
        assertThat(count("#tree .op")).as("Task 0 and 1 closed, Task 2 open with its 400 calls").isEqualTo(403);
        long timelineRows = count("#waterfall .wf-row");
        assertThat(timelineRows).as("only the rows in view exist").isBetween(10L, 200L);

        browser.findElement(By.cssSelector("#tree .op[data-id='T0'] > .row > .toggle")).click();
        waiting().until(d -> count("#tree .op[data-id='T0'] > ul > .op") == 400);
        assertThat(opHas("Task 0", "collapsed")).isFalse();

        Object firstRow = ((JavascriptExecutor) browser).executeScript("""
                const box = document.getElementById('waterfall');
                box.scrollTop = box.scrollHeight;
                return new Promise((done) => requestAnimationFrame(() => setTimeout(() =>
                  done(document.querySelector('#waterfall .wf-row:last-child').dataset.id), 50)));""");
        assertThat(firstRow).as("scrolled to the end, the last operation is drawn").isEqualTo("T2-399");
    }
}
