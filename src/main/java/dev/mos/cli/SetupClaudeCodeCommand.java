package dev.mos.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * mos setup claude-code: prints (or, with --write, merges into a settings.json) the hooks that send every supported
 * Claude Code hook event to this server, plus the {@code claude mcp add} line and the OpenTelemetry variables.
 * Merging keeps every hook of the user's own, backs the file up first, and is idempotent: entries of ours (the
 * same /hooks URL, or a {@code mos hook} command) are replaced, never duplicated.
 */
@Command(name = "claude-code", mixinStandardHelpOptions = true,
        description = "Print, or merge with --write, the Claude Code settings that send hooks to MOS.")
final class SetupClaudeCodeCommand implements Callable<Integer> {

    /** Events Claude Code delivers to an HTTP hook. */
    static final List<String> HTTP_EVENTS = List.of("UserPromptSubmit", "PreToolUse", "PostToolUse",
            "PostToolUseFailure", "PostToolBatch", "PermissionRequest", "PermissionDenied", "Notification",
            "SubagentStart", "SubagentStop", "Stop", "StopFailure", "PreCompact", "PostCompact", "SessionEnd");
    /** Events Claude Code runs only as command (or mcp_tool) hooks: sent through {@code mos hook}. */
    static final List<String> COMMAND_EVENTS = List.of("SessionStart");
    /** Short: a hook must never hold Claude Code up, and a refused connection fails at once anyway. */
    static final int HOOK_TIMEOUT_SECONDS = 5;
    /**
     * The command hook starts a JVM, which on a loaded machine can take seconds; {@code mos hook} bounds its own
     * network wait (2 s), so this limit only guards against a JVM that cannot start at all.
     */
    static final int COMMAND_HOOK_TIMEOUT_SECONDS = 30;
    private static final String OUR_COMMAND_MARK = " hook --url ";

    @Option(names = "--url", description = ServerUrl.DESCRIPTION)
    String url;

    @Option(names = "--write", description = "Merge into the settings file (backup first) instead of printing")
    boolean write;

    @Option(names = "--settings", description = "Settings file to merge into (default ~/.claude/settings.json)")
    Path settings;

    @Option(names = "--hook-command", description = "Command that runs `mos hook` (default: this java and jar)")
    String hookCommand;

    @Option(names = "--token-env", description = "Name of an environment variable holding the bearer token; "
            + "hooks then send 'Authorization: Bearer $VAR'")
    String tokenEnv;

    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Override
    public Integer call() throws IOException {
        String base = ServerUrl.resolve(url);
        String command = (hookCommand != null ? hookCommand : defaultHookCommand()) + OUR_COMMAND_MARK + base;
        Map<String, Object> hooks = hooksBlock(base + "/hooks", command);
        if (!write) {
            System.out.println("# Add to ~/.claude/settings.json (or run again with --write to merge it):");
            System.out.println(json.writeValueAsString(Map.of("hooks", hooks)));
            System.out.println();
            System.out.println("# MCP tools (get_activity_tree and friends):");
            System.out.println(mcpAddLine(base));
            System.out.println();
            System.out.println("# Optional: Claude Code's OpenTelemetry (tokens, cost) to the same server:");
            otelVariables(base).forEach((k, v) -> System.out.println("export " + k + "=" + v));
            return 0;
        }
        Path file = settings != null ? settings : Path.of(System.getProperty("user.home"), ".claude",
                "settings.json");
        Map<String, Object> current = read(file);
        if (current == null) {
            return 1;
        }
        Map<String, Object> merged = SettingsMerge.merge(current, hooks, base + "/hooks", OUR_COMMAND_MARK);
        if (merged.equals(current)) {
            System.err.println("mos setup: " + file + " already sends hooks to " + base + "; nothing changed");
            return 0;
        }
        if (Files.exists(file)) {
            Path backup = file.resolveSibling(file.getFileName() + ".bak-" + Instant.now().toEpochMilli());
            Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
            System.err.println("mos setup: backed up " + file + " to " + backup);
        } else {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Path temp = file.resolveSibling(file.getFileName() + ".mos-tmp");
        Files.writeString(temp, json.writeValueAsString(merged) + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("mos setup: " + file + " now sends Claude Code hooks to " + base + "/hooks");
        System.err.println("mos setup: for the MCP tools run: " + mcpAddLine(base));
        return 0;
    }

    private Map<String, Object> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new LinkedHashMap<>();
        }
        try {
            Object parsed = json.readValue(Files.readString(file, StandardCharsets.UTF_8), Object.class);
            if (parsed instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) map;
                return m;
            }
            System.err.println("mos setup: " + file + " is not a JSON object; left unchanged");
        } catch (JacksonException e) {
            System.err.println("mos setup: " + file + " is not valid JSON (" + e.getOriginalMessage()
                    + "); left unchanged");
        }
        return null;
    }

    Map<String, Object> hooksBlock(String hooksUrl, String command) {
        Map<String, Object> hooks = new LinkedHashMap<>();
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("type", "http");
        http.put("url", hooksUrl);
        http.put("timeout", HOOK_TIMEOUT_SECONDS);
        if (tokenEnv != null) {
            http.put("headers", Map.of("Authorization", "Bearer $" + tokenEnv));
            http.put("allowedEnvVars", List.of(tokenEnv));
        }
        for (String event : HTTP_EVENTS) {
            hooks.put(event, List.of(Map.of("hooks", List.of(http))));
        }
        Map<String, Object> cmd = new LinkedHashMap<>();
        cmd.put("type", "command");
        cmd.put("command", command);
        cmd.put("timeout", COMMAND_HOOK_TIMEOUT_SECONDS);
        for (String event : COMMAND_EVENTS) {
            hooks.put(event, List.of(Map.of("hooks", List.of(cmd))));
        }
        return hooks;
    }

    static String mcpAddLine(String base) {
        return "claude mcp add --transport http mos " + base + "/mcp";
    }

    static Map<String, String> otelVariables(String base) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLAUDE_CODE_ENABLE_TELEMETRY", "1");
        env.put("OTEL_LOGS_EXPORTER", "otlp");
        env.put("OTEL_METRICS_EXPORTER", "otlp");
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", base);
        return env;
    }

    /** This JVM running this jar: works wherever the settings are used on this machine, without PATH tricks. */
    private static String defaultHookCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            Path jar = Path.of(SetupClaudeCodeCommand.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            // a short-lived client: quick start matters more than peak speed
            return quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " + quote(jar.toString());
        } catch (Exception e) {
            return "mos";
        }
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:@+=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** Pure merge of our hooks block into a settings object, so it can be tested without files. */
    static final class SettingsMerge {

        private SettingsMerge() {
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> merge(Map<String, Object> settings, Map<String, Object> ours, String hooksUrl,
                String commandMark) {
            Map<String, Object> out = new LinkedHashMap<>(settings);
            Map<String, Object> hooks = out.get("hooks") instanceof Map<?, ?> m
                    ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : ours.entrySet()) {
                List<Object> groups = new ArrayList<>();
                if (hooks.get(entry.getKey()) instanceof List<?> existing) {
                    for (Object group : existing) {
                        Object kept = withoutOurs(group, hooksUrl, commandMark);
                        if (kept != null) {
                            groups.add(kept);
                        }
                    }
                }
                groups.addAll((List<Object>) entry.getValue());
                hooks.put(entry.getKey(), groups);
            }
            out.put("hooks", hooks);
            return out;
        }

        /** The group without our handlers; null when nothing of the user's is left in it. */
        @SuppressWarnings("unchecked")
        private static Object withoutOurs(Object group, String hooksUrl, String commandMark) {
            if (!(group instanceof Map<?, ?> g) || !(g.get("hooks") instanceof List<?> handlers)) {
                return group;
            }
            List<Object> kept = new ArrayList<>();
            for (Object h : handlers) {
                boolean ours = h instanceof Map<?, ?> handler
                        && (hooksUrl.equals(handler.get("url"))
                        || handler.get("command") instanceof String c && c.contains(commandMark));
                if (!ours) {
                    kept.add(h);
                }
            }
            if (kept.isEmpty()) {
                return null;
            }
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) g);
            copy.put("hooks", kept);
            return copy;
        }
    }
}
