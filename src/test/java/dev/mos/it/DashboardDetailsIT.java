package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operation details panel, keyboard selection, the waterfall's zoom and a phone-width window, in a real
 * headless Chromium against the packaged server, fed with hook posts shaped as Claude Code sends them (POST /hooks)
 * and an LLM call as the OTLP mapper records it. Screenshots under target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardDetailsIT {

    private static final String S = "look-1";
    private static MosProcess mos;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        mos = MosProcess.serve(Map.of());
        browser = Chromium.start();
        Files.createDirectories(Path.of("target", "screenshots"));
        hook("{\"hook_event_name\":\"SessionStart\",\"source\":\"startup\",\"git_branch\":\"fix/build\"}");
        hook("{\"prompt_id\":\"p1\",\"permission_mode\":\"bypassPermissions\",\"hook_event_name\":\"UserPromptSubmit\","
                + "\"prompt\":\"Find the TODOs and run the build\"}");
        hook("{\"prompt_id\":\"p1\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":"
                + "\"make build-all\",\"description\":\"Build\"},\"tool_use_id\":\"toolu_bash_1\"}");
        hook("{\"prompt_id\":\"p1\",\"hook_event_name\":\"PostToolUseFailure\",\"tool_name\":\"Bash\",\"tool_input\":"
                + "{\"command\":\"make build-all\"},\"tool_use_id\":\"toolu_bash_1\",\"error\":\"make: *** No rule to make"
                + " target 'build-all'.  Stop.\",\"is_interrupt\":false,\"duration_ms\":41}");
        hook("{\"prompt_id\":\"p1\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Grep\",\"tool_input\":{\"pattern\":"
                + "\"TODO\",\"path\":\"src\"},\"tool_use_id\":\"toolu_grep_1\"}");
        hook("{\"prompt_id\":\"p1\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Grep\",\"tool_input\":{\"pattern\":"
                + "\"TODO\",\"path\":\"src\"},\"tool_use_id\":\"toolu_grep_1\",\"tool_response\":{\"numFiles\":2},"
                + "\"duration_ms\":12}");
        String details = "\"name\": \"claude-sonnet-4-5\", \"model\": \"claude-sonnet-4-5\", \"input_tokens\": \"1200\","
                + " \"output_tokens\": \"345\", \"cache_read_tokens\": \"0\", \"cache_creation_tokens\": \"0\","
                + " \"cost_usd\": \"0.0125\", \"ttft_ms\": \"420\"";
        String head = "{\"session_id\": \"" + S + "\", \"correlation_id\": \"req_1\", \"event_type\": ";
        Http.Response r = Http.call(mos.baseUrl(), "log_event", "{\"events\": [" + head + "\"llm_request\", \"details\": {"
                + details + "}}, " + head + "\"llm_response\", \"details\": {" + details + "}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        mos.close();
    }

    private static void hook(String body) throws Exception {
        String full = "{\"session_id\":\"" + S + "\",\"cwd\":\"/home/dev/project\"," + body.substring(1);
        Http.Response r = Http.post(mos.baseUrl() + "/hooks", full, "Content-Type", "application/json");
        assertThat(r.status()).as(r.body()).isBetween(200, 204);
    }

    /**
     * Clicks the name of a tree row. Found and clicked again if the tree was redrawn in between: the session has a
     * running operation, so live refreshes redraw it (a found row went stale once in CI).
     */
    private static void clickRow(String opId) {
        waiting().until(d -> {
            d.findElement(By.cssSelector("#tree .op[data-id='" + opId + "'] > .row .name")).click();
            return true;
        });
    }

    private static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static String text(String css) {
        return (String) js("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    }

    private static void shot(String name) throws Exception {
        Path p = Path.of("target", "screenshots", name);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), p, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(p)).isPositive();
    }

    /** The id of the tree row whose raw name is `name`. */
    private static String opId(String name) {
        return (String) js("const li = [...document.querySelectorAll('#tree .op')].find((l) => l.dataset.name === arguments[0]);"
                + " return li ? li.dataset.id : null;", name);
    }

    private static void open() {
        browser.manage().window().setSize(new Dimension(1400, 1000));
        browser.get(mos.baseUrl() + "/#/sessions/" + S);
        waiting().until(d -> opId("Bash") != null && opId("claude-sonnet-4-5") != null);
    }

    @Test
    @Order(1)
    void clickingTheFailingBashShowsItsCommandAndError() throws Exception {
        open();
        String bash = opId("Bash");
        clickRow(bash);
        waiting().until(d -> bash.equals(d.findElement(By.id("details")).getAttribute("data-loaded")));
        shot("details-bash.png");
        assertThat(browser.getCurrentUrl()).endsWith("/op/" + bash);
        assertThat(text("#session-title")).isEqualTo("Find the TODOs and run the build");
        assertThat(text("#session-lifecycle")).contains("startup").contains("bypassPermissions");
        assertThat(text("#session-branch")).isEqualToIgnoringWhitespace("fix/build");
        assertThat(text("#sessions .session.selected .branch")).isEqualToIgnoringWhitespace("fix/build");
        assertThat(opId("SessionStart")).as("the lifecycle is the header's, not the tree's").isNull();
        assertThat(text("#details-title")).isEqualTo("Bash · make build-all");
        assertThat(text("#details-status")).isEqualTo("error");
        assertThat(text("#details [data-key=error]")).contains("No rule to make target 'build-all'");
        assertThat(text("#details [data-key='input.command']")).contains("make build-all");
        assertThat(js("return document.querySelector('#waterfall .wf-row.selected')?.dataset.id")).isEqualTo(bash);
        assertThat(js("return document.querySelectorAll('#details table.events tbody tr').length")).isNotEqualTo(0L);
        assertThat((String) js("return document.body.innerHTML")).as("no emoji in the dashboard")
                .doesNotContainPattern("[\\x{1F300}-\\x{1FAFF}\\x{2600}-\\x{27BF}]");
    }

    @Test
    @Order(2)
    void theKeyboardMovesTheSelectionAndEnterOpensAModelCallsTokensAndCost() throws Exception {
        open();
        js("document.querySelector('#details') && (document.querySelector('#details').hidden = true)");
        browser.findElement(By.id("tree")).click();
        String llm = opId("claude-sonnet-4-5");
        // move down until the model call is selected, then Enter
        for (int i = 0; i < 10 && !llm.equals(js("return document.querySelector('#tree .op.selected')?.dataset.id")); i++) {
            new Actions(browser).sendKeys(Keys.ARROW_DOWN).perform();
        }
        assertThat(js("return document.querySelector('#tree .op.selected')?.dataset.id")).isEqualTo(llm);
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        waiting().until(d -> llm.equals(d.findElement(By.id("details")).getAttribute("data-loaded")));
        shot("details-llm-keyboard.png");
        assertThat(text("#details [data-key='tokens.input']")).contains("1,200");
        assertThat(text("#details [data-key='tokens.output']")).contains("345");
        assertThat(text("#details [data-key=cost_usd]")).contains("$0.0125");
        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        waiting().until(d -> !d.findElement(By.id("details")).isDisplayed());
    }

    @Test
    @Order(3)
    void aWordOfTheBashCommandFindsItAcrossSessionsAndTheHitOpensItsDetails() throws Exception {
        open();
        browser.findElement(By.id("search-q")).sendKeys("build-all", Keys.ENTER);
        waiting().until(d -> !d.findElements(By.cssSelector("#search-results .hit a")).isEmpty());
        shot("search.png");
        String bash = opId("Bash");
        org.openqa.selenium.WebElement hit = browser.findElement(By.cssSelector("#search-results .hit a[data-op='"
                + bash + "']"));
        assertThat(hit.getText()).contains("Bash · make build-all").contains("error");
        hit.click();
        waiting().until(d -> bash.equals(d.findElement(By.id("details")).getAttribute("data-loaded")));
        assertThat(text("#details [data-key=error]")).contains("No rule to make target");
        assertThat(browser.getCurrentUrl()).endsWith("/op/" + bash);

        // filters written in the box: the error is found with status:error, not with status:success
        search("make status:error tool:bash since:1h");
        assertThat(browser.findElements(By.cssSelector("#search-results .hit a[data-op='" + bash + "']"))).hasSize(1);
        search("make status:success");
        assertThat(text("#search-results")).contains("Nothing captured matches");
        search("make cost>1");
        assertThat(text("#search-results")).contains("Nothing captured matches");
    }

    private static void search(String text) {
        org.openqa.selenium.WebElement box = browser.findElement(By.id("search-q"));
        box.clear();
        box.sendKeys(text, Keys.ENTER);
        waiting().until(d -> text.equals(d.findElement(By.tagName("body")).getAttribute("data-searched")));
    }

    @Test
    @Order(4)
    void theWaterfallZoomsWithKeysAndButtonsAndResets() throws Exception {
        open();
        browser.findElement(By.id("waterfall")).click();
        // A running operation makes the whole grow with the clock (each live refresh), while a zoom step scales the
        // window shown: so the steps are checked on the window, and the window against the whole only as a bound.
        new Actions(browser).sendKeys("+").perform();
        double first = ((Number) js("const v = window.mosWaterfallView(); return v.end - v.start")).doubleValue();
        double whole = ((Number) js("return window.mosWaterfallView().span")).doubleValue();
        assertThat(first / whole).as("one zoom step of 1.5 shows at most 1/1.5 of the session")
                .isBetween(0.5, 1 / 1.5 + 0.01);
        new Actions(browser).sendKeys("+").perform();
        double second = ((Number) js("const v = window.mosWaterfallView(); return v.end - v.start")).doubleValue();
        assertThat(second / first).as("the second step shows 1/1.5 of the first's window")
                .isCloseTo(1 / 1.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(text("#wf-range")).contains("showing");
        assertThat(js("return document.querySelectorAll('#waterfall .wf-tick').length")).isNotEqualTo(0L);
        shot("waterfall-zoomed.png");
        new Actions(browser).sendKeys("0").perform();
        assertThat(js("return window.mosWaterfallView().zoomed")).isEqualTo(false);
    }

    @Test
    @Order(5)
    void aPhoneWidthWindowStacksThePanelsAndCutsNothingOff() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(mos.baseUrl() + "/#/sessions/" + S);
        waiting().until(d -> opId("Bash") != null);
        long overflow = (Long) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow).as("no horizontal overflow").isLessThanOrEqualTo(0L);
        shot("narrow.png");
        String bash = opId("Bash");
        clickRow(bash);
        waiting().until(d -> bash.equals(d.findElement(By.id("details")).getAttribute("data-loaded")));
        long panelRight = (Long) js("return Math.round(document.getElementById('details').getBoundingClientRect().right)");
        assertThat(panelRight).isLessThanOrEqualTo(390L);
        shot("narrow-details.png");
    }
}
