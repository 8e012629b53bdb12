package dev.mos.query;

import dev.mos.model.Event;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import dev.mos.model.OperationStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the events of one operation captured, under the names a person looks for: tool input, output excerpt or
 * error, MCP server and tool, subagent, prompt, model, tokens, cost and time to first token. Each channel names
 * these its own way (hooks {@code tool_input}, OTLP {@code tool_parameters}, GenAI spans
 * {@code gen_ai.tool.call.arguments}); the first that is present wins. What fits none of them stays in
 * {@code attributes}. Only what capture kept (privacy.*) exists to be shown.
 */
public final class OperationFacts {

    static final int MAX_OUTPUT_CHARS = 8_000;
    static final int MAX_PROMPT_CHARS = 4_000;

    private static final List<String> INPUT_KEYS = List.of("tool_input", "tool_parameters", "input", "arguments",
            "gen_ai.tool.call.arguments");
    private static final List<String> OUTPUT_KEYS = List.of("tool_response", "output", "result",
            "gen_ai.tool.call.result", "last_assistant_message");
    private static final List<String> PROMPT_KEYS = List.of("prompt", "gen_ai.prompt");
    private static final List<String> MODEL_KEYS = List.of("model", "gen_ai.response.model",
            "gen_ai.request.model");
    private static final Map<String, List<String>> TOKEN_KEYS = tokenKeys();
    /** Keys shown as facts of their own, or (agent: the session's coding agent) in the session's header. */
    private static final Set<String> SHOWN = Set.of("error", "mcp_server", "mcp_tool", "agent_type",
            "subagent_type", "cost_usd", "cost_estimated", "ttft_ms", "name", "source", "agent");

    private final EventJson events;
    private final JsonMapper json;

    public OperationFacts(EventJson events) {
        this.events = events;
        this.json = events.mapper();
    }

    private static Map<String, List<String>> tokenKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("input", List.of("input_tokens", "gen_ai.usage.input_tokens"));
        keys.put("output", List.of("output_tokens", "gen_ai.usage.output_tokens"));
        keys.put("cache_read", List.of("cache_read_tokens", "gen_ai.usage.cache_read_input_tokens"));
        keys.put("cache_creation", List.of("cache_creation_tokens", "gen_ai.usage.cache_creation_input_tokens"));
        return keys;
    }

    /** The captured keys of every event of the operation, later reports over earlier ones. */
    public Map<String, Object> attributes(OperationNode node) {
        Map<String, Object> all = new LinkedHashMap<>();
        if (node.start() != null) {
            all.putAll(events.extra(node.start()));
        }
        for (Event p : node.progress()) {
            all.putAll(events.extra(p));
        }
        if (node.end() != null) {
            all.putAll(events.extra(node.end()));
        }
        Event primary = node.primary();
        if (primary.description() != null) {
            all.putIfAbsent("description", primary.description());
        }
        return all;
    }

    /** The facts of the operation as a JSON-ready map; keys without a value are left out. */
    public Map<String, Object> of(OperationNode node) {
        Map<String, Object> attributes = attributes(node);
        Map<String, Object> facts = new LinkedHashMap<>();
        Object input = structured(first(attributes, INPUT_KEYS));
        EventJson.putIfPresent(facts, "input", input);
        EventJson.putIfPresent(facts, "output_excerpt", excerpt(first(attributes, OUTPUT_KEYS), MAX_OUTPUT_CHARS));
        if (node.status() == OperationStatus.ERROR || node.status() == OperationStatus.TIMEOUT) {
            String error = events.errorMessage(node.end());
            EventJson.putIfPresent(facts, "error", error != null ? error : text(attributes.get("error")));
        }
        mcp(node, attributes, facts);
        subagent(node, attributes, input, facts);
        EventJson.putIfPresent(facts, "prompt_excerpt", excerpt(first(attributes, PROMPT_KEYS), MAX_PROMPT_CHARS));
        Object model = first(attributes, MODEL_KEYS);
        if (model == null && node.kind() == OperationKind.LLM && !node.name().equals(OperationKind.LLM.wireName())) {
            model = node.name();
        }
        EventJson.putIfPresent(facts, "model", model);
        Map<String, Object> tokens = new LinkedHashMap<>();
        TOKEN_KEYS.forEach((shown, keys) -> EventJson.putIfPresent(tokens, shown, number(first(attributes, keys))));
        if (!tokens.isEmpty()) {
            facts.put("tokens", tokens);
        }
        EventJson.putIfPresent(facts, "cost_usd", number(attributes.get("cost_usd")));
        if (Boolean.TRUE.equals(attributes.get(UsageRollup.COST_ESTIMATED))) {
            facts.put(UsageRollup.COST_ESTIMATED, true); // from the price list: the agent reported tokens only
        }
        EventJson.putIfPresent(facts, "ttft_ms", number(attributes.get("ttft_ms")));
        Map<String, Object> rest = new LinkedHashMap<>(attributes);
        rest.keySet().removeAll(SHOWN);
        rest.keySet().removeAll(INPUT_KEYS);
        rest.keySet().removeAll(OUTPUT_KEYS);
        rest.keySet().removeAll(PROMPT_KEYS);
        rest.keySet().removeAll(MODEL_KEYS);
        TOKEN_KEYS.values().forEach(rest.keySet()::removeAll);
        if (!rest.isEmpty()) {
            facts.put("attributes", rest);
        }
        return facts;
    }

    private static void mcp(OperationNode node, Map<String, Object> attributes, Map<String, Object> facts) {
        String server = text(attributes.get("mcp_server"));
        String tool = text(attributes.get("mcp_tool"));
        if ((server == null || tool == null) && node.kind() == OperationKind.MCP && node.name().contains("__")) {
            String[] parts = node.name().split("__");
            if (parts.length >= 3) {
                server = server != null ? server : parts[parts.length - 2];
                tool = tool != null ? tool : parts[parts.length - 1];
            }
        }
        EventJson.putIfPresent(facts, "mcp_server", server);
        EventJson.putIfPresent(facts, "mcp_tool", tool);
    }

    private static void subagent(OperationNode node, Map<String, Object> attributes, Object input,
            Map<String, Object> facts) {
        Map<?, ?> in = input instanceof Map<?, ?> m ? m : Map.of();
        String type = text(in.get("subagent_type"));
        if (type == null) {
            type = text(attributes.get("subagent_type") != null ? attributes.get("subagent_type")
                    : attributes.get("agent_type"));
        }
        if (type == null && node.kind() == OperationKind.SUBAGENT && !node.name().equals("SubagentStart")) {
            type = node.name();
        }
        boolean isAgent = node.kind() == OperationKind.SUBAGENT || in.containsKey("subagent_type");
        if (!isAgent) {
            return;
        }
        Object description = in.get("description") != null ? in.get("description") : attributes.get("description");
        EventJson.putIfPresent(facts, "subagent_description", text(description));
        EventJson.putIfPresent(facts, "subagent_type", type);
    }

    /** JSON text (as hooks keep a tool's input) read back into its structure, so it shows key by key. */
    private Object structured(Object value) {
        if (value instanceof String s) {
            String t = s.strip();
            if (t.startsWith("{") && t.endsWith("}") || t.startsWith("[") && t.endsWith("]")) {
                try {
                    return json.readValue(t, Object.class);
                } catch (JacksonException e) {
                    return s; // cut by capture limits or not JSON after all: shown as the text it is
                }
            }
        }
        return value;
    }

    private String excerpt(Object value, int max) {
        if (value == null) {
            return null;
        }
        String text = value instanceof String s ? s : json.writeValueAsString(value);
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }

    private static Object first(Map<String, Object> attributes, List<String> keys) {
        for (String key : keys) {
            Object v = attributes.get(key);
            if (v != null && !(v instanceof String s && s.isEmpty())) {
                return v;
            }
        }
        return null;
    }

    /** Numbers arrive as numbers or, from OTLP string attributes and log_event callers, as their text. */
    private static Object number(Object value) {
        if (value instanceof Number || value == null) {
            return value;
        }
        String s = String.valueOf(value).strip();
        try {
            return s.contains(".") || s.contains("e") || s.contains("E") ? (Object) Double.parseDouble(s)
                    : (Object) Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String text(Object value) {
        return value == null ? null : value instanceof String s ? (s.isBlank() ? null : s) : String.valueOf(value);
    }
}
