package dev.mos.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The SDK's JSON mapper, with the two conversions every tool call makes done directly: the SDK parses each
 * message into a map and then converts that map into a {@code JSONRPCRequest}, and the request's params into a
 * {@code CallToolRequest}, each time through a Jackson token buffer. Measured on {@code mos stdio} under pipelined
 * {@code log_event} calls, those two conversions were about a seventh of the server's CPU. A map of exactly the
 * plain shape is turned into the record by its constructor; anything else (other keys, other types) goes to
 * Jackson as before, so the results are the same.
 */
public final class DirectConversions implements McpJsonMapper {

    private static final Set<String> REQUEST_KEYS = Set.of("jsonrpc", "method", "id", "params");
    private static final Set<String> CALL_KEYS = Set.of("name", "arguments", "_meta");

    private final McpJsonMapper jackson;

    public DirectConversions(McpJsonMapper jackson) {
        this.jackson = jackson;
    }

    @Override
    public <T> T convertValue(Object from, Class<T> type) {
        Object direct = direct(from, type);
        return direct != null ? type.cast(direct) : jackson.convertValue(from, type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T convertValue(Object from, TypeRef<T> type) {
        Object direct = type.getType() instanceof Class<?> c ? direct(from, c) : null;
        return direct != null ? (T) direct : jackson.convertValue(from, type);
    }

    /** The record built from a plain map, or null when Jackson should convert. */
    @SuppressWarnings("unchecked")
    private static Object direct(Object from, Class<?> type) {
        if (!(from instanceof Map<?, ?> map)) {
            return null;
        }
        if (type == McpSchema.JSONRPCRequest.class && REQUEST_KEYS.containsAll(map.keySet())
                && map.get("jsonrpc") instanceof String jsonrpc && map.get("method") instanceof String method
                && (map.get("id") instanceof String || map.get("id") instanceof Integer
                        || map.get("id") instanceof Long)) {
            return new McpSchema.JSONRPCRequest(jsonrpc, method, map.get("id"), map.get("params"));
        }
        if (type == McpSchema.CallToolRequest.class && CALL_KEYS.containsAll(map.keySet())
                && map.get("name") instanceof String name && mapOrNull(map.get("arguments"))
                && mapOrNull(map.get("_meta"))) {
            return new McpSchema.CallToolRequest(name, (Map<String, Object>) map.get("arguments"),
                    (Map<String, Object>) map.get("_meta"));
        }
        return null;
    }

    private static boolean mapOrNull(Object value) {
        return value == null || value instanceof Map<?, ?>;
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return jackson.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return jackson.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return jackson.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return jackson.readValue(content, type);
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return jackson.writeValueAsString(value);
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return jackson.writeValueAsBytes(value);
    }
}
