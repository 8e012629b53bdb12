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
 * Time for the dashboard (headless Chromium) to show a list of 1,000 sessions: from navigation start until the
 * list is drawn (page clock), with the request's share. Logs the sessions first (a prompt and a tool call each).
 * {@code java -cp target/test-classes:$(cat target/cp.txt) dev.mos.bench.DashboardListBench http://127.0.0.1:3000 [sessions] [runs]}
 */
public final class DashboardListBench {

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:3000";
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        HttpClient http = HttpClient.newHttpClient();
        String prefix = "list-" + System.currentTimeMillis() + "-";
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            String s = prefix + i;
            batch.add("{\"session_id\": \"" + s + "\", \"event_type\": \"task_started\", \"correlation_id\": \"p\", \"details\": {\"name\": \"Prompt " + i + "\", \"cwd\": \"/srv/p" + (i % 7) + "\"}}");
            batch.add("{\"session_id\": \"" + s + "\", \"event_type\": \"tool_pre_call\", \"correlation_id\": \"t\", \"parent_id\": \"p\", \"details\": {\"name\": \"Bash\"}}");
            batch.add("{\"session_id\": \"" + s + "\", \"event_type\": \"tool_post_call\", \"correlation_id\": \"t\", \"details\": {\"name\": \"Bash\"}}");
            if (batch.size() >= 900) {
                post(http, base, batch);
            }
        }
        post(http, base, batch);
        ChromeDriver browser = Chromium.start();
        List<Double> drawn = new ArrayList<>();
        try {
            JavascriptExecutor js = browser;
            for (int run = 1; run <= runs; run++) {
                browser.get("about:blank");
                browser.get(base + "/");
                new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(10)).until(d ->
                        js.executeScript("return window.mosListTimings && window.mosListTimings.count >= " + sessions) == Boolean.TRUE);
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) js.executeScript("""
                        return new Promise((done) => requestAnimationFrame(() => setTimeout(() => {
                          const t = window.mosListTimings;
                          done({requested: t.requested, received: t.received, built: t.built, count: t.count,
                                items: document.querySelectorAll('#sessions .session').length});
                        }, 0)));""");
                double b = ((Number) t.get("built")).doubleValue();
                drawn.add(b);
                System.out.printf(Locale.ROOT, "run %d: %s sessions listed: navigation to drawn %.0f ms | requested %.0f,"
                        + " received %.0f, DOM build %.0f ms%n", run, t.get("items"), b,
                        ((Number) t.get("requested")).doubleValue(), ((Number) t.get("received")).doubleValue(),
                        b - ((Number) t.get("received")).doubleValue());
            }
        } finally {
            browser.quit();
        }
        List<Double> sorted = drawn.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "median navigation to list drawn over %d runs: %.0f ms%n", runs, sorted.get(sorted.size() / 2));
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
            throw new IllegalStateException("ingest failed: " + r.statusCode());
        }
        batch.clear();
    }
}
