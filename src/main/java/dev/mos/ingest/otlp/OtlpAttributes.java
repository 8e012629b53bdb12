package dev.mos.ingest.otlp;

import dev.mos.ingest.privacy.Redactor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns OTLP attributes into event details: drops what every record repeats, keeps numbers and booleans as they
 * are (OTLP JSON often sends them as strings), cuts long strings, and redacts secrets. Redaction runs on free text
 * only: attributes that Claude Code fills with identifiers, model and tool names or enumerations cannot carry a
 * secret, and skipping the regexes for them is most of the OTLP mapping cost.
 */
public final class OtlpAttributes {

    /** Attributes every record repeats, or that join records rather than describe them; not stored per event. */
    static final Set<String> NOISE = Set.of("user.id", "session.id", "prompt.id", "event.name", "event.timestamp",
            "event.sequence", "terminal.type", "host.arch", "os.type", "os.version", "service.name",
            "service.version", "anthropic.provider", "anthropic.custom_base_url", "user.email", "organization.id",
            "user.account_uuid", "gen_ai.conversation.id", "gen_ai.provider.name", "gen_ai.system", "span.type",
            "gen_ai.tool.call.id", "gen_ai.response.id", "gen_ai.request.model", "gen_ai.response.model",
            "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_write.input_tokens", "gen_ai.tool.name", "gen_ai.operation.name",
            "gen_ai.response.finish_reasons");
    /**
     * NOISE minus what the mappers read (session, prompt, event name, sequence and time, span type, and the GenAI
     * attributes GenAiSpanMapper reads): the decoders do not even decode these values.
     */
    static final Set<String> UNREAD;
    /** The GenAI attributes GenAiSpanMapper reads from spans that are not Claude Code's. */
    static final Set<String> GEN_AI_READ = Set.of("gen_ai.conversation.id", "gen_ai.provider.name", "gen_ai.system",
            "gen_ai.tool.call.id", "gen_ai.request.model", "gen_ai.response.model", "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens", "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_write.input_tokens", "gen_ai.tool.name", "gen_ai.operation.name");

    /**
     * The resource attribute copied into every record although it is noise to the details: it names the agent
     * that sent the telemetry (claude-code, codex, gemini-cli, an agent of one's own).
     */
    static final String SERVICE_NAME = "service.name";

    /** Whether a resource attribute is copied into each record (not: noise no mapper reads). */
    static boolean keptFromResource(String key) {
        return key.equals(SERVICE_NAME) || !NOISE.contains(key);
    }

    static {
        java.util.HashSet<String> unread = new java.util.HashSet<>(NOISE);
        unread.removeAll(Set.of("session.id", "prompt.id", "event.name", "event.sequence", "event.timestamp",
                "span.type", SERVICE_NAME));
        unread.removeAll(GEN_AI_READ);
        UNREAD = Set.copyOf(unread);
    }

    /** Values Claude Code fills with ids, names, enumerations or flags: never free text, so never redacted. */
    private static final Set<String> STRUCTURED = Set.of("model", "tool_name", "tool_name_safe", "tool_use_id",
            "request_id", "decision", "source", "tool_source", "query_source", "query_source_safe", "speed",
            "effort", "agent_id", "parent_agent_id", "agent_type", "agent.name", "agent.source", "success",
            "error_type", "error_class", "error.type", "message.uuid", "permission_mode", "final_model", "status_code",
            "attempt", "type", "start_type", "stop_reason", "llm_request.context", "bash_command_class", "bash_argv0",
            "parent.source", "mcp_server_scope", "trigger", "is_built_in", "is_async", "model_swapped");
    /** Prompt and response text (sent only when the operator enabled it) is kept as a short excerpt. */
    private static final Set<String> TEXT_KEYS = Set.of("prompt", "prompt_text", "response", "content", "text",
            "user_prompt");
    static final int MAX_VALUE_CHARS = 2_000;
    static final int MAX_DETAIL_KEYS = 60;
    private static final int TEXT_EXCERPT_CHARS = 200;

    /**
     * Recent redactions. Claude Code repeats the same free text across events of one tool call (tool_decision and
     * tool_result both carry {@code tool_parameters}; tool spans again), so each is scanned once. Bounded: cleared
     * when full; only short texts are cached.
     */
    private static final int CACHE_ENTRIES = 4_096;
    private static final int CACHE_MAX_CHARS = 2_048;
    private final Map<String, String> redacted = new java.util.concurrent.ConcurrentHashMap<>();

    private final Redactor redactor;

    public OtlpAttributes(Redactor redactor) {
        this.redactor = redactor;
    }

    private String redact(String s) {
        if (s.length() > CACHE_MAX_CHARS) {
            return redactor.redact(s);
        }
        String r = redacted.get(s);
        if (r == null) {
            r = redactor.redact(s);
            if (redacted.size() >= CACHE_ENTRIES) {
                redacted.clear();
            }
            redacted.put(s, r);
        }
        return r;
    }

    /** Details for an event: {@code name} and {@code source} first, then the kept attributes. */
    Map<String, Object> details(String name, String source, Map<String, Object> attributes) {
        Map<String, Object> d = new LinkedHashMap<>(Math.max(8, attributes.size() * 2));
        if (name != null) {
            d.put("name", name);
        }
        d.put("source", source);
        int kept = 0;
        for (Map.Entry<String, Object> entry : attributes.entrySet()) {
            String key = entry.getKey();
            if (NOISE.contains(key) || key.equals("name") || key.equals("description") || key.length() > 128) {
                continue;
            }
            if (++kept > MAX_DETAIL_KEYS) {
                break;
            }
            // Claude Code's own "source" (who decided a permission) must not hide which signal this came from
            d.put(key.equals("source") ? "decision_source" : key, value(key, entry.getValue()));
        }
        return d;
    }

    Object value(String key, Object v) {
        return switch (v) {
            case Number n -> n;
            case Boolean b -> b;
            case String s -> text(key, s);
            case List<?> l -> text(key, String.valueOf(l));
            default -> text(key, String.valueOf(v));
        };
    }

    private Object text(String key, String s) {
        if (STRUCTURED.contains(key)) {
            Object n = numberOrFlag(s);
            return n != null ? n : OtlpEvents.cut(s, MAX_VALUE_CHARS);
        }
        Object n = numberOrFlag(s);
        if (n != null) {
            return n;
        }
        String r = redact(s);
        return OtlpEvents.cut(r, TEXT_KEYS.contains(key) ? TEXT_EXCERPT_CHARS : MAX_VALUE_CHARS);
    }

    /** Numbers and flags often arrive as strings in OTLP JSON: store them typed, for analytics. */
    static Object numberOrFlag(String s) {
        int len = s.length();
        if (len == 0 || len > 15) {
            return null;
        }
        if (s.equals("true")) {
            return Boolean.TRUE;
        }
        if (s.equals("false")) {
            return Boolean.FALSE;
        }
        int start = s.charAt(0) == '-' ? 1 : 0;
        if (len == start) {
            return null;
        }
        for (int i = start; i < len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }

    static String text(Object v) {
        return v instanceof String s ? s : v instanceof Number n ? n.toString() : null;
    }

    static Long number(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Math.round(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static Double decimal(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    String firstLine(String prompt) {
        String line = redactor.redact(prompt).strip();
        int nl = line.indexOf('\n');
        line = nl >= 0 ? line.substring(0, nl) : line;
        return line.length() <= 80 ? line : line.substring(0, 80) + "…";
    }
}
