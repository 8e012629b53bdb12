package dev.mos.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Claude Code command hook: reads the hook payload on stdin and POSTs it to a running server's /hooks. It always
 * exits 0 and never writes to stdout, because Claude Code reads a command hook's stdout as a decision (or, for
 * SessionStart and UserPromptSubmit, as context for the model): observing must never change what the agent does.
 */
@Command(name = "hook", mixinStandardHelpOptions = true,
        description = "Forward a Claude Code hook payload (stdin), or Codex's notify JSON (the last argument), to a "
                + "running server's POST /hooks. Always exits 0, prints nothing on stdout; problems go to stderr.")
final class HookCommand implements Callable<Integer> {

    static final int MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

    @Option(names = "--url", description = ServerUrl.DESCRIPTION)
    String url;

    @Option(names = "--timeout-ms", defaultValue = "2000", description = "Give up after this long (default 2000)")
    long timeoutMs;

    @Option(names = "--token-env", paramLabel = "VAR", description = "Read the bearer token from this environment "
            + "variable (default: MOS_TOKEN, else MCP_AUTH_TOKEN)")
    String tokenEnv;

    @Parameters(arity = "0..1", paramLabel = "PAYLOAD", description = "The payload as an argument instead of stdin: "
            + "Codex's notify appends its JSON so (stdin is then not read)")
    String payloadArgument;

    @Override
    public Integer call() {
        String base = ServerUrl.resolve(url);
        try {
            byte[] payload = withGitBranch(payloadArgument != null
                    ? payloadArgument.getBytes(StandardCharsets.UTF_8) : readStdin(System.in),
                    JsonMapper.builder().build());
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs)).build();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/hooks"))
                    .timeout(Duration.ofMillis(timeoutMs)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
            String token = token(tokenEnv);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                System.err.println("mos hook: " + base + "/hooks answered HTTP " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("mos hook: interrupted");
        } catch (Exception e) {
            System.err.println("mos hook: payload not delivered to " + base + "/hooks: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        return 0;
    }

    /**
     * The payload with {@code git_branch} added: the hook runs where the agent works, so it can read the branch of
     * the session's {@code cwd}, which Claude Code does not send (the server may be on another machine). Anything
     * that is not an object with a {@code cwd} goes on unchanged, for the server to judge.
     */
    static byte[] withGitBranch(byte[] payload, JsonMapper json) {
        JsonNode node;
        try {
            node = json.readTree(payload);
        } catch (JacksonException e) {
            return payload;
        }
        if (!(node instanceof ObjectNode object) || object.has("git_branch") || !object.path("cwd").isString()) {
            return payload;
        }
        Path cwd;
        try {
            cwd = Path.of(object.path("cwd").stringValue());
        } catch (InvalidPathException e) {
            return payload;
        }
        return GitBranch.of(cwd).map(branch -> json.writeValueAsBytes(object.put("git_branch", branch)))
                .orElse(payload);
    }

    static String token(String tokenEnv) {
        for (String name : tokenEnv != null ? new String[] {tokenEnv} : new String[] {"MOS_TOKEN", "MCP_AUTH_TOKEN"}) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                return value.split(",")[0].trim();
            }
        }
        return null;
    }

    private static byte[] readStdin(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        if (bytes.length > MAX_PAYLOAD_BYTES) {
            throw new IOException("payload larger than " + MAX_PAYLOAD_BYTES + " bytes");
        }
        return bytes;
    }
}
