package dev.mos.setup;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code mos setup claude-code} puts into a Claude Code settings file for one server: the hooks block (every
 * event Claude Code can send, to {@code <base>/hooks}), and with OpenTelemetry the {@code env} variables that make
 * Claude Code export to {@code <base>} (Claude Code applies a settings file's {@code env} to its own process, so
 * nothing has to be exported in the shell) plus, with a token, the {@code otelHeadersHelper} that adds it.
 *
 * @param base the server's base URL, without a trailing slash
 * @param hooks event name to its list of matcher groups
 * @param env OpenTelemetry variables; empty without OpenTelemetry
 * @param otelHeadersHelper the shell command printing the OTLP Authorization header; null without a token
 */
public record MosEntries(String base, Map<String, Object> hooks, Map<String, String> env, String otelHeadersHelper) {

    /** Events Claude Code delivers to an HTTP hook. */
    public static final List<String> HTTP_EVENTS = List.of("UserPromptSubmit", "PreToolUse", "PostToolUse",
            "PostToolUseFailure", "PostToolBatch", "PermissionRequest", "PermissionDenied", "Notification",
            "SubagentStart", "SubagentStop", "Stop", "StopFailure", "PreCompact", "PostCompact", "SessionEnd");
    /** Events Claude Code runs only as command (or mcp_tool) hooks: sent through {@code mos hook}. */
    public static final List<String> COMMAND_EVENTS = List.of("SessionStart");
    /** Short: a hook must never hold Claude Code up, and a refused connection fails at once anyway. */
    public static final int HOOK_TIMEOUT_SECONDS = 5;
    /**
     * The command hook starts a JVM, which on a loaded machine can take seconds; {@code mos hook} bounds its own
     * network wait (2 s), so this limit only guards against a JVM that cannot start at all.
     */
    public static final int COMMAND_HOOK_TIMEOUT_SECONDS = 30;
    /** Where a command hook names its server; every command hook setup writes has it. */
    public static final String HOOK_URL_ARGUMENT = " hook --url ";
    /** The variable that names the OTLP endpoint: the one of the OpenTelemetry variables that says "to MOS". */
    public static final String OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public MosEntries {
        hooks = Collections.unmodifiableMap(new LinkedHashMap<>(hooks));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /**
     * The entries for the server at {@code base}; {@code hookCommand} runs {@code mos} (the SessionStart command
     * hook appends {@code hook --url <base>}); {@code tokenEnv} names the variable holding the bearer token, or is
     * null; {@code otlp} adds the OpenTelemetry variables.
     */
    public static MosEntries of(String base, String hookCommand, String tokenEnv, boolean otlp) {
        Map<String, Object> hooks = new LinkedHashMap<>();
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("type", "http");
        http.put("url", base + "/hooks");
        http.put("timeout", HOOK_TIMEOUT_SECONDS);
        if (tokenEnv != null) {
            // Claude Code interpolates only the variables listed in allowedEnvVars: the token stays in the env
            http.put("headers", Map.of("Authorization", "Bearer $" + tokenEnv));
            http.put("allowedEnvVars", List.of(tokenEnv));
        }
        for (String event : HTTP_EVENTS) {
            hooks.put(event, List.of(Map.of("hooks", List.of(http))));
        }
        Map<String, Object> cmd = new LinkedHashMap<>();
        cmd.put("type", "command");
        cmd.put("command", hookCommand + HOOK_URL_ARGUMENT + base);
        cmd.put("timeout", COMMAND_HOOK_TIMEOUT_SECONDS);
        for (String event : COMMAND_EVENTS) {
            hooks.put(event, List.of(Map.of("hooks", List.of(cmd))));
        }
        return new MosEntries(base, hooks, otlp ? otelVariables(base) : Map.of(),
                otlp && tokenEnv != null ? headersHelper(tokenEnv) : null);
    }

    /**
     * Claude Code's OpenTelemetry to {@code base}: logs (prompts, model calls with tokens and cost, tool results)
     * and metrics over OTLP/HTTP JSON. OTEL_LOG_TOOL_DETAILS adds tool parameters and MCP server and tool names to
     * the events; prompt text (OTEL_LOG_USER_PROMPTS) and responses stay off: that is the user's privacy choice.
     */
    public static Map<String, String> otelVariables(String base) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLAUDE_CODE_ENABLE_TELEMETRY", "1");
        env.put("OTEL_LOGS_EXPORTER", "otlp");
        env.put("OTEL_METRICS_EXPORTER", "otlp");
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
        env.put(OTLP_ENDPOINT, base);
        env.put("OTEL_LOG_TOOL_DETAILS", "1");
        return env;
    }

    /**
     * A settings file's {@code env} values are taken literally, so a token there would be the secret itself.
     * Claude Code runs {@code otelHeadersHelper} (a shell command) for the OTLP headers instead: this one prints
     * the header from the variable at run time, so only the variable's name is written down.
     */
    public static String headersHelper(String tokenEnv) {
        return "printf '{\"Authorization\":\"Bearer %s\"}' \"$" + tokenEnv + "\"";
    }

    /** These entries as a settings object of their own (the printed mode shows exactly what --write merges). */
    public Map<String, Object> asSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hooks", hooks);
        if (!env.isEmpty()) {
            out.put("env", env);
        }
        if (otelHeadersHelper != null) {
            out.put("otelHeadersHelper", otelHeadersHelper);
        }
        return out;
    }
}
