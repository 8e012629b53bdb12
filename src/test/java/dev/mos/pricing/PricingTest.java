package dev.mos.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class PricingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private static NewEvent llm(String name, String details) {
        return new NewEvent("s", EventType.LLM_RESPONSE, EventStatus.SUCCESS, 0, 10L, null, "llm:1", name, null,
                details, null);
    }

    @Test
    void aModelIsPricedByTheLongestKeyItsNameStartsWith() {
        PriceTable shipped = PriceTable.load(JSON, null);
        assertThat(shipped.size()).isGreaterThan(10);
        assertThat(shipped.of("claude-sonnet-4-5-20250929")).contains(new ModelPrice(3, 15, 0.3, 3.75));
        assertThat(shipped.of("gpt-5-mini-2025-08-07").orElseThrow().outputPerMTok()).as("not gpt-5's").isEqualTo(2);
        assertThat(shipped.of("models/Gemini-2.5-Pro").orElseThrow().inputPerMTok()).isEqualTo(1.25);
        assertThat(shipped.of("some-local-llama")).isEmpty();
        assertThat(shipped.of(null)).isEmpty();
    }

    @Test
    void theOperatorsFileReplacesAndAddsModelsAndABadOneIsNamed() throws Exception {
        Path file = tmp.resolve("prices.json");
        Files.writeString(file, "{\"models\": {\"gpt-5\": {\"input\": 2, \"output\": 20, \"cache_read\": 0.2,"
                + " \"cache_write\": 2}, \"house-llm\": {\"input\": 1, \"output\": 1, \"cache_read\": 0, \"cache_write\": 0}}}");
        PriceTable table = PriceTable.load(JSON, file.toString());
        assertThat(table.of("gpt-5").orElseThrow().inputPerMTok()).isEqualTo(2);
        assertThat(table.of("house-llm-7b")).isPresent();
        assertThat(table.of("claude-opus-4-1")).as("the shipped ones stay").isPresent();

        Files.writeString(file, "{\"models\": {\"x\": {\"input\": -1, \"output\": 1, \"cache_read\": 0, \"cache_write\": 0}}}");
        assertThatThrownBy(() -> PriceTable.load(JSON, file.toString())).hasMessageContaining("pricing.file " + file)
                .hasMessageContaining("\"x\"").hasMessageContaining("\"input\"");
        Files.writeString(file, "{\"models\": {\"x\": {\"input\": 1}}}");
        assertThatThrownBy(() -> PriceTable.load(JSON, file.toString())).hasMessageContaining("\"output\"");
        Files.writeString(file, "[1,2]");
        assertThatThrownBy(() -> PriceTable.load(JSON, file.toString())).hasMessageContaining("expected {\"models\"");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> PriceTable.load(JSON, file.toString())).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> PriceTable.load(JSON, tmp.resolve("missing.json").toString()))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aCallWithTokensButNoCostIsPricedAndMarkedAnythingElseIsStoredAsItCame() {
        CostEstimator costs = new CostEstimator(PriceTable.load(JSON, null), JSON, 256 * 1024);
        NewEvent priced = costs.priced(llm("gpt-5", "{\"model\":\"gpt-5\",\"input_tokens\":1000000,"
                + "\"output_tokens\":\"100000\",\"cache_read_tokens\":2000000}"));
        Map<?, ?> d = JSON.readValue(priced.detailsJson(), Map.class);
        assertThat(d.get("cost_usd")).isEqualTo(1.25 + 1.0 + 0.25);
        assertThat(d.get("cost_estimated")).isEqualTo(true);
        assertThat(d.get("model")).isEqualTo("gpt-5");
        assertThat(costs.priced(llm("gemini-2.5-flash", "{\"input_tokens\":1000000}")).detailsJson())
                .as("the model from the event's name").contains("\"cost_usd\":0.3");

        for (NewEvent kept : new NewEvent[] {
            llm("gpt-5", "{\"model\":\"gpt-5\",\"input_tokens\":10,\"cost_usd\":0.5}"),
            llm("house-llm", "{\"input_tokens\":10}"),
            llm("gpt-5", "{\"model\":\"gpt-5\"}"),
            llm("gpt-5", "{\"model\":\"gpt-5\",\"input_tokens\":0,\"output_tokens\":\"x\"}"),
            llm("gpt-5", null),
            new NewEvent("s", EventType.TOOL_POST_CALL, EventStatus.SUCCESS, 0, null, null, "t", "gpt-5", null,
                    "{\"input_tokens\":10}", null)}) {
            assertThat(costs.priced(kept)).as(String.valueOf(kept.detailsJson())).isSameAs(kept);
        }
        NewEvent plain = llm("gpt-5", "{\"model\":\"gpt-5\",\"input_tokens\":10}");
        assertThat(CostEstimator.NONE.priced(plain)).isSameAs(plain);
    }
}
