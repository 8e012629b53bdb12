package dev.mos.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** OTLP/HTTP JSON bodies through OtlpJsonDecoder, the Claude Code and Gemini CLI mappers and the store (see {@link OtlpSignal}). */
class OtlpJsonFuzzTest {

    private static final IngestWorld WORLD = new IngestWorld();

    @FuzzTest(maxDuration = FuzzBounds.TEST_RUN)
    @DictionaryEntries({"\"resourceLogs\"", "\"resourceMetrics\"", "\"resourceSpans\"", "\"scopeLogs\"",
            "\"scopeMetrics\"", "\"scopeSpans\"", "\"logRecords\"", "\"metrics\"", "\"spans\"", "\"resource\"",
            "\"attributes\"", "\"key\"", "\"value\"", "\"stringValue\"", "\"intValue\"", "\"doubleValue\"",
            "\"boolValue\"", "\"arrayValue\"", "\"kvlistValue\"", "\"bytesValue\"", "\"values\"", "\"body\"",
            "\"timeUnixNano\"", "\"startTimeUnixNano\"", "\"endTimeUnixNano\"", "\"traceId\"", "\"spanId\"",
            "\"parentSpanId\"", "\"name\"", "\"status\"", "\"code\"", "\"sum\"", "\"gauge\"", "\"histogram\"",
            "\"dataPoints\"", "\"asDouble\"", "\"asInt\"", "\"aggregationTemporality\"", "\"session.id\"",
            "\"event.name\"", "\"prompt.id\"", "\"tool_name\"", "\"tool_use_id\"", "\"claude_code.tool_result\"",
            "\"claude_code.api_request\"", "\"user_prompt\"", "\"tool_result\"", "\"api_request\"",
            "\"claude_code.token.usage\"", "\"gen_ai.operation.name\"", "\"duration_ms\"", "\"success\"",
            "\"18446744073709551615\"", "\"-9223372036854775808\"", "\"gemini_cli.user_prompt\"",
            "\"gemini_cli.tool_call\"", "\"gemini_cli.api_response\"", "\"gemini_cli.agent.start\"",
            "\"gemini_cli.agent.finish\"", "\"prompt_id\"", "\"function_name\"", "\"tool_type\"",
            "\"mcp_server_name\"", "\"metadata\"", "\"agent_id\"", "\"installation.id\"",
            "\"gen_ai.agent.name\"", "\"gemini-cli\"", "\"interactive\""})
    void request(byte[] input) {
        OtlpSignal.send(WORLD, input, false);
    }
}
