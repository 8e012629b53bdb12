package dev.mos.ingest;

import java.util.Map;

/**
 * The one way token counts are kept: {@code input_tokens} are the uncached input tokens, beside
 * {@code cache_read_tokens} (as Anthropic counts them). OpenAI and Gemini count the cached prompt inside their input
 * count; their mappers subtract it here, so that totals and estimated costs add up alike for every agent.
 */
public final class TokenCounts {

    private TokenCounts() {
    }

    /** Takes the cached tokens out of {@code details.input_tokens} when the agent counted them inside. */
    public static void withoutCachedInput(Map<String, Object> details) {
        if (details.get("input_tokens") instanceof Number input
                && details.get("cache_read_tokens") instanceof Number cached) {
            details.put("input_tokens", Math.max(0, input.longValue() - cached.longValue()));
        }
    }
}
