package dev.mos.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Whatever the direct path converts, it converts as Jackson would; whatever it does not, Jackson converts. */
class DirectConversionsTest {

    private final JacksonMcpJsonMapper jackson = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    private final DirectConversions direct = new DirectConversions(jackson);

    private Map<String, Object> parsed(String json) throws Exception {
        return jackson.readValue(json, new TypeRef<Map<String, Object>>() { });
    }

    @Test
    void requestsAndToolCallsConvertAsJacksonConvertsThem() throws Exception {
        for (String message : List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"log_event\","
                        + "\"arguments\":{\"event\":{\"session_id\":\"s\",\"n\":[1,2.5,true,null]}}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":12345678901,\"method\":\"ping\",\"params\":{}}",
                // not plain: left to Jackson, same answer
                "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"extra\":true}")) {
            Map<String, Object> map = parsed(message);
            assertThat(safely(() -> direct.convertValue(map, McpSchema.JSONRPCRequest.class))).as(message)
                    .isEqualTo(safely(() -> jackson.convertValue(map, McpSchema.JSONRPCRequest.class)));
        }
        for (String params : List.of("{\"name\":\"log_event\",\"arguments\":{\"event\":{\"a\":{\"b\":[1]}}}}",
                "{\"name\":\"list_sessions\"}",
                "{\"name\":\"x\",\"arguments\":{},\"_meta\":{\"progressToken\":3}}",
                "{\"name\":\"x\",\"arguments\":[1]}",
                "{\"arguments\":{}}")) {
            Map<String, Object> map = parsed(params);
            TypeRef<McpSchema.CallToolRequest> ref = new TypeRef<>() { };
            assertThat(safely(() -> direct.convertValue(map, ref))).as(params).isEqualTo(safely(() -> jackson.convertValue(map,
                    ref)));
        }
    }

    private static Object safely(java.util.concurrent.Callable<Object> call) {
        try {
            return call.call();
        } catch (Exception e) {
            return e.getClass();
        }
    }
}
