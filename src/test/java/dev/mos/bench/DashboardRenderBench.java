package dev.mos.bench;

import dev.mos.it.Chromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Time for the dashboard (headless Chromium) to show a 10,000-event session: from navigation start to the tree,
 * timeline and tool chart rendered (the page's own clock), and the DOM-building part alone. Start the server with MCP_MAX_EVENTS_PER_SESSION=10000:
 * {@code java -cp target/test-classes:$(cat target/cp.txt) dev.mos.bench.DashboardRenderBench http://127.0.0.1:3000}
 */
public final class DashboardRenderBench {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:3000";
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        HttpClient http = HttpClient.newHttpClient();
        String session = "render-" + System.currentTimeMillis();
        // Tasks of 50 tool calls each (pre + post), every 20th failing and every 7th slow.
        List<String> batch = new ArrayList<>();
        int sent = 0;
        int task = 0;
        while (sent < events) {
            String t = "task" + task++;
            batch.add(ev(session, "task_started", t, null, "Task " + t, ""));
            sent++;
            for (int i = 0; sent < events - 1 && i < 50; i++) {
                String c = t + "-c" + i;
                batch.add(ev(session, "tool_pre_call", c, t, i % 3 == 0 ? "Read" : i % 3 == 1 ? "Bash" : "Grep", ""));
                String end = i % 20 == 19 ? ev(session, "tool_error", c, null, i % 3 == 0 ? "Read" : i % 3 == 1
                        ? "Bash" : "Grep", ", \"error\": \"failed\"") : ev(session, "tool_post_call", c, null,
                        i % 3 == 0 ? "Read" : i % 3 == 1 ? "Bash" : "Grep", "");
                if (i % 7 == 0) {
                    end = end.replace("\"event_type\"", "\"duration_ms\": 900, \"event_type\"");
                }
                batch.add(end);
                sent += 2;
                if (batch.size() >= 900) {
                    post(http, base, batch);
                }
            }
            if (sent < events) {
                batch.add(ev(session, "task_complete", t, null, "Task " + t, ""));
                sent++;
            }
        }
        post(http, base, batch);
        ChromeDriver browser = Chromium.start();
        try {
            JavascriptExecutor js = browser;
            for (int run = 1; run <= 3; run++) {
                browser.get("about:blank");
                browser.get(base + "/#session=" + session);
                new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(10)).until(d ->
                        String.valueOf(events).equals(js.executeScript("return document.body.dataset.renderedSequence;")));
                Object total = js.executeScript("return performance.now();");
                Object dom = js.executeScript("return window.mosLastRenderMs;");
                Object ops = js.executeScript("return document.querySelectorAll('#tree .op').length;");
                System.out.printf("run %d: %d events, %s operations: page load to rendered %.0f ms (DOM build %.0f ms)%n",
                        run, events, ops, ((Number) total).doubleValue(), ((Number) dom).doubleValue());
            }
        } finally {
            browser.quit();
        }
    }

    private static String ev(String session, String type, String corr, String parent, String name, String extra) {
        return "{\"session_id\": \"" + session + "\", \"event_type\": \"" + type + "\", \"correlation_id\": \"" + corr
                + "\"" + (parent == null ? "" : ", \"parent_id\": \"" + parent + "\"") + ", \"details\": {\"name\": \""
                + name + "\"" + extra + "}}";
    }

    private static void post(HttpClient http, String base, List<String> batch) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        String body = "{\"method\": \"log_event\", \"params\": {\"events\": [" + String.join(",", batch) + "]}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/mcp"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"rejected\":0")) {
            throw new IllegalStateException("ingest failed: " + r.statusCode() + " " + r.body().substring(0,
                    Math.min(500, r.body().length())));
        }
        batch.clear();
    }
}
