package dev.mos.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Asks a running server for /health: exit 0 when healthy or warning, 1 otherwise (container HEALTHCHECKs). */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Query a running server's /health. Exit 0 when healthy or warning, 1 otherwise.")
final class HealthCommand implements Callable<Integer> {

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z_]+)\"");

    @Option(names = "--url", description = ServerUrl.DESCRIPTION)
    String url;

    @Option(names = "--timeout-ms", defaultValue = "5000", description = "Give up after this long (default 5000)")
    long timeoutMs;

    @Override
    public Integer call() {
        String base = ServerUrl.resolve(url);
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/health"))
                    .timeout(Duration.ofMillis(timeoutMs)).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            System.out.println(response.body());
            Matcher m = STATUS.matcher(response.body());
            String status = m.find() ? m.group(1) : "unknown";
            boolean ok = response.statusCode() == 200 && (status.equals("healthy") || status.equals("warning"));
            if (!ok) {
                System.err.println("mos health: " + base + " answered HTTP " + response.statusCode() + ", status "
                        + status);
            }
            return ok ? 0 : 1;
        } catch (Exception e) {
            System.err.println("mos health: cannot reach " + base + "/health: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        }
    }
}
