package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Any OpenTelemetry source in the GenAI conventions, here an agent built on the OpenTelemetry SDK for Java with its
 * own OTLP/HTTP exporter: its spans become one tree (agent run, model calls, a tool call, a failing tool), the
 * session is of the agent its service.name names, and model calls that report tokens but no cost get a cost from
 * the price list (the operator's file over the shipped one), marked estimated, in the operation, the session's
 * usage and the roll-up per agent and model. A bad price file stops the start with one line naming it.
 */
class GenAiSpansIT {

    @TempDir
    Path tmp;

    @Test
    void genAiSpansFromTheOpenTelemetrySdkGiveATreeWithEstimatedCosts() throws Exception {
        Path prices = tmp.resolve("prices.json");
        Files.writeString(prices, "{\"models\": {\"house-llm\": {\"input\": 2, \"output\": 8, \"cache_read\": 0.5,"
                + " \"cache_write\": 2}}}");
        try (MosProcess mos = MosProcess.serve(Map.of("MCP_PRICING_FILE", prices.toString()))) {
            String session = "genai-" + System.nanoTime();
            OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                    .setEndpoint(mos.baseUrl() + "/v1/traces").build();
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                            AttributeKey.stringKey("service.name"), "house-agent"))))
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
            Tracer tracer = provider.get("house-agent");
            AttributeKey<String> conversation = AttributeKey.stringKey("gen_ai.conversation.id");
            AttributeKey<String> operation = AttributeKey.stringKey("gen_ai.operation.name");
            Span run = tracer.spanBuilder("invoke_agent planner").setAttribute(conversation, session)
                    .setAttribute(operation, "invoke_agent").setAttribute("gen_ai.agent.name", "planner").startSpan();
            try (Scope ignored = run.makeCurrent()) {
                tracer.spanBuilder("chat house-llm").setAttribute(conversation, session).setAttribute(operation, "chat")
                        .setAttribute("gen_ai.request.model", "house-llm-7b")
                        .setAttribute("gen_ai.usage.input_tokens", 1_000_000L)
                        .setAttribute("gen_ai.usage.output_tokens", 250_000L).startSpan().end();
                tracer.spanBuilder("chat gpt-5").setAttribute(conversation, session).setAttribute(operation, "chat")
                        .setAttribute("gen_ai.request.model", "gpt-5-2025-08-07")
                        .setAttribute("gen_ai.usage.input_tokens", 200_000L)
                        .setAttribute("gen_ai.usage.output_tokens", 10_000L).startSpan().end();
                tracer.spanBuilder("execute_tool read_file").setAttribute(conversation, session)
                        .setAttribute(operation, "execute_tool").setAttribute("gen_ai.tool.name", "read_file")
                        .startSpan().end();
                Span failing = tracer.spanBuilder("execute_tool run_tests").setAttribute(conversation, session)
                        .setAttribute(operation, "execute_tool").setAttribute("gen_ai.tool.name", "run_tests")
                        .startSpan();
                failing.setStatus(StatusCode.ERROR, "3 tests failed");
                failing.end();
            }
            run.end();
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            provider.shutdown().join(10, TimeUnit.SECONDS);

            JsonNode tree = Http.get(mos.baseUrl() + "/api/v1/sessions/" + session + "/tree").json();
            assertThat(tree.path("session").path("agent").asString()).as("%s", tree).isEqualTo("house-agent");
            List<JsonNode> roots = ClaudeCodeHooksIT.list(tree.path("tree"));
            assertThat(roots).hasSize(1);
            JsonNode agent = roots.getFirst();
            assertThat(agent.path("kind").asString()).isEqualTo("subagent");
            assertThat(agent.path("name").asString()).isEqualTo("planner");
            List<JsonNode> inside = ClaudeCodeHooksIT.list(agent.path("children"));
            assertThat(inside).extracting(n -> n.path("kind").asString() + ":" + n.path("name").asString() + ":"
                    + n.path("status").asString()).containsExactlyInAnyOrder("llm:house-llm-7b:success",
                            "llm:gpt-5-2025-08-07:success", "tool:read_file:success", "tool:run_tests:error");

            JsonNode house = inside.stream().filter(n -> n.path("name").asString().equals("house-llm-7b"))
                    .findFirst().orElseThrow();
            JsonNode details = Http.get(mos.baseUrl() + "/api/v1/sessions/" + session + "/operations/"
                    + house.path("id").asString()).json().path("operation").path("details");
            // the operator's price: 1 M input at $2 + 0.25 M output at $8
            assertThat(details.path("cost_usd").asDouble()).as("%s", details).isEqualTo(4.0);
            assertThat(details.path("cost_estimated").asBoolean()).isTrue();
            assertThat(details.path("tokens").path("input").asLong()).isEqualTo(1_000_000L);

            JsonNode usage = tree.path("session").path("usage");
            // gpt-5 from the shipped list: 0.2 M input at $1.25 + 0.01 M output at $10
            assertThat(usage.path("cost_usd").asDouble()).as("%s", usage).isCloseTo(4.35, within(1e-9));
            assertThat(usage.path("cost_estimated").asBoolean()).isTrue();
            JsonNode byAgent = Http.get(mos.baseUrl() + "/api/v1/analytics/usage?agent=house-agent").json();
            assertThat(byAgent.path("by_agent").path("house-agent").path("by_model").path("gpt-5-2025-08-07")
                    .path("cost_usd").asDouble()).isCloseTo(0.35, within(1e-9));
            assertThat(byAgent.path("sessions").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aBadPriceFileStopsTheStartWithOneLineNamingIt() throws Exception {
        Path prices = tmp.resolve("bad-prices.json");
        Files.writeString(prices, "{\"models\": {\"x\": {\"input\": \"cheap\"}}}");
        try (MosProcess mos = MosProcess.start(Map.of("MCP_PRICING_FILE", prices.toString()), "serve", "--port",
                "0")) {
            assertThat(mos.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(mos.process.exitValue()).isEqualTo(1);
            assertThat(mos.stderrText()).contains("pricing.file " + prices).contains("\"input\"")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
