package dev.mos.it;

import static dev.mos.it.ClaudeCodeHooksIT.awaitTree;
import static dev.mos.it.ClaudeCodeHooksIT.findTask;
import static dev.mos.it.ClaudeCodeHooksIT.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import dev.mos.it.MessagesApiStandIn.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The walk a person takes after a real Claude Code run, with nothing but the dashboard: set up with {@code mos
 * setup claude-code --write --otlp} (hooks and OpenTelemetry), Claude Code runs a prompt with a Bash call that
 * fails; in headless Chromium the person searches a word of that Bash command, opens the hit, reads its command
 * and error, then clicks the model call and reads its tokens and cost.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClaudeCodeDashboardIT {

    private static final String COMMAND = "ls /srv/zebra-release-notes";

    @TempDir
    Path tmp;

    private MosProcess mos;
    private MessagesApiStandIn api;
    private ChromeDriver browser;

    @AfterEach
    void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (api != null) {
            api.close();
        }
        if (mos != null) {
            mos.close();
        }
    }

    @Test
    void aPersonFindsTheFailingBashByAWordOfItsCommandAndReadsItsErrorThenTheModelCallsTokensAndCost()
            throws Exception {
        mos = MosProcess.serve(Map.of());
        api = new MessagesApiStandIn().script("walk", "Could not find the notes.",
                Step.of("Bash", Map.of("command", "echo preparing", "description", "Prepare")),
                Step.of("Bash", Map.of("command", COMMAND, "description", "List the release notes")));
        ClaudeRunner runner = new ClaudeRunner("ClaudeCodeDashboardIT", tmp);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        assertThat(new ProcessBuilder("git", "init", "-q", "-b", "release/zebra", work.toString()).inheritIO().start()
                .waitFor()).isZero();
        Proc.Result setup = runner.setup(Map.of("HOME", home.toString()), List.of(), work, "--write", "--otlp",
                "--url", mos.baseUrl());
        assertThat(setup.exitCode()).as(setup.toString()).isZero();
        Proc.Result run = runner.claude(home, work, api, Map.of(), "-p", "[[sc:walk]] Publish the release notes",
                "--permission-mode", "bypassPermissions");
        assertThat(run.exitCode()).as("claude -p: %s\nstand-in: %s", run, api.requestLog).isZero();
        JsonNode tree = awaitTree(mos, t -> findTask(t) != null
                && "success".equals(findTask(t).path("status").asString())
                && list(findTask(t).path("children")).stream().anyMatch(n -> n.path("kind").asString().equals("llm")
                        && n.path("attributes").has("cost_usd"))
                && list(findTask(t).path("children")).stream().anyMatch(n -> n.path("status").asString()
                        .equals("error")));
        String sessionId = tree.path("session_id").asString();
        // the agent is a field of its own: listed, filtered, and rolled up with its models' tokens and cost
        JsonNode usage = Http.get(mos.baseUrl() + "/api/v1/analytics/usage").json();
        JsonNode claude = usage.path("by_agent").path("claude-code");
        assertThat(claude.path("sessions").asInt()).as("%s", usage).isEqualTo(1);
        assertThat(claude.path("cost_usd").asDouble()).isPositive();
        assertThat(claude.path("by_model").properties()).isNotEmpty();
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions?agent=claude-code").json().path("total").asInt())
                .isEqualTo(1);
        assertThat(Http.get(mos.baseUrl() + "/api/v1/sessions?agent=codex").json().path("total").asInt()).isZero();

        browser = Chromium.start();
        browser.manage().window().setSize(new Dimension(1400, 1000));
        browser.get(mos.baseUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> !d.findElements(By.cssSelector("#sessions .session")).isEmpty());
        assertThat(text("#sessions .session .stitle")).isEqualTo("[[sc:walk]] Publish the release notes");
        assertThat(text("#sessions .session .branch")).isEqualToIgnoringWhitespace("release/zebra");
        assertThat(text("#sessions .session .agent")).isEqualTo("claude-code");

        // a word of the Bash command finds it
        browser.findElement(By.id("search-q")).sendKeys("zebra", Keys.ENTER);
        wait.until(d -> !d.findElements(By.cssSelector("#search-results .hit a")).isEmpty());
        WebElement hit = browser.findElements(By.cssSelector("#search-results .hit a")).stream()
                .filter(a -> a.getText().contains("Bash · " + COMMAND)).findFirst().orElseThrow(() ->
                        new AssertionError("no hit for the Bash command: " + text("#search-results")));
        assertThat(hit.getText()).contains("error");
        assertThat(text("#search-results")).as("the SessionStart record (its branch) is the header's, not a hit")
                .doesNotContain("SessionStart");
        String bash = hit.getAttribute("data-op");
        hit.click();
        wait.until(d -> bash.equals(d.findElement(By.id("details")).getAttribute("data-loaded")));
        shot("claude-code-failing-bash.png");
        assertThat(browser.getCurrentUrl()).contains(sessionId).endsWith("/op/" + bash);
        assertThat(text("#details-title")).isEqualTo("Bash · " + COMMAND);
        assertThat(text("#details-status")).isEqualTo("error");
        assertThat(text("#details [data-key='input.command']")).contains(COMMAND);
        assertThat(text("#details [data-key=error]")).as("Claude Code's own error text")
                .containsIgnoringCase("no such file");

        // the model call: click its row in the tree
        String llm = (String) js("const li = document.querySelector('#tree .op.kind-llm');"
                + " return li ? li.dataset.id : null;");
        assertThat(llm).as("a model call in the tree").isNotNull();
        browser.findElement(By.cssSelector("#tree .op[data-id='" + llm + "'] > .row .name")).click();
        wait.until(d -> llm.equals(d.findElement(By.id("details")).getAttribute("data-loaded")));
        shot("claude-code-model-call.png");
        assertThat(text("#details [data-key='tokens.input']")).contains("120");
        assertThat(text("#details [data-key=cost_usd]")).containsPattern("\\$0\\.\\d{4}");
        assertThat(text("#session-cost")).startsWith("$");
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private String text(String css) {
        return (String) js("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    }

    private void shot(String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
