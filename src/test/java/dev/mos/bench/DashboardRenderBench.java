package dev.mos.bench;

import dev.mos.it.Chromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Time for the dashboard (headless Chromium) to show a 10,000-event session: from navigation start until the
 * frame after the tree, timeline and tool chart were built has been laid out and painted (the page's own clock),
 * with where the time went (document ready, tree request, first byte, body received, parsed, DOM built) and how
 * many rows the DOM holds. Start the server with MCP_MAX_EVENTS_PER_SESSION=10000, then
 * {@code java -cp target/test-classes:$(cat target/cp.txt) dev.mos.bench.DashboardRenderBench http://127.0.0.1:3000 [events] [runs]}
 */
public final class DashboardRenderBench {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:3000";
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
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
        List<Double> painted = new ArrayList<>();
        try {
            JavascriptExecutor js = browser;
            for (int run = 1; run <= runs; run++) {
                browser.get("about:blank");
                browser.get(base + "/#session=" + session);
                new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(10)).until(d ->
                        String.valueOf(events).equals(js.executeScript("return document.body.dataset.paintedSequence;")));
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) js.executeScript("""
                        const t = window.mosTimings;
                        const tree = performance.getEntriesByType('resource').filter((e) => e.name.includes('/tree?')).pop();
                        const nav = performance.getEntriesByType('navigation')[0];
                        return {requested: t.requested, parsed: t.parsed, built: t.built, painted: t.painted,
                          domReady: nav.domContentLoadedEventEnd,
                          treeBytes: tree ? tree.encodedBodySize : -1, treeStart: tree ? tree.requestStart : -1,
                          treeFirstByte: tree ? tree.responseStart : -1, treeEnd: tree ? tree.responseEnd : -1,
                          ops: document.querySelectorAll('#tree .op').length,
                          wfRows: document.querySelectorAll('#waterfall .wf-row').length,
                          domNodes: document.getElementsByTagName('*').length};""");
                double p = num(t, "painted");
                painted.add(p);
                System.out.printf(Locale.ROOT, "run %d: %d events: page load to painted %.0f ms | DOM ready %.0f,"
                        + " tree requested %.0f, first byte %.0f, received %.0f (%,.0f bytes), parsed %.0f,"
                        + " built %.0f (DOM build %.0f ms), painted %.0f | tree rows in DOM %.0f, timeline rows"
                        + " %.0f, elements %.0f%n", run, events, p, num(t, "domReady"), num(t, "requested"),
                        num(t, "treeFirstByte"), num(t, "treeEnd"), num(t, "treeBytes"), num(t, "parsed"),
                        num(t, "built"), num(t, "built") - num(t, "parsed"), p, num(t, "ops"), num(t, "wfRows"),
                        num(t, "domNodes"));
            }
        } finally {
            browser.quit();
        }
        List<Double> sorted = painted.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "median page load to painted over %d runs: %.0f ms (runs: %s)%n", runs,
                sorted.get(sorted.size() / 2), painted.stream().map(d -> String.format(Locale.ROOT, "%.0f", d))
                        .toList());
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
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
