package dev.mos.pricing;

import dev.mos.model.NewEvent;
import dev.mos.model.OperationKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives a model call that reports tokens but no cost (GenAI-convention spans, agents that count tokens only) a cost
 * from the {@link PriceTable}, marked {@code "cost_estimated": true}, as it is stored: every view (the operation's
 * details, the session's usage, the roll-ups per agent and model, search by cost) then reads one figure. A call
 * that reports its own cost, names no known model or no tokens is stored as it came. Estimated at the price of
 * the day it arrived; a later price change does not rewrite history.
 */
public final class CostEstimator {

    public static final String ESTIMATED_KEY = "cost_estimated";
    private static final String[] TOKEN_KEYS = {"input_tokens", "output_tokens", "cache_read_tokens",
        "cache_creation_tokens"};

    private final PriceTable prices;
    private final JsonMapper json;
    private final int maxDetailsChars;

    /** Estimates nothing: every event is stored as it came. */
    public static final CostEstimator NONE = new CostEstimator(new PriceTable(Map.of()), JsonMapper.builder().build(),
            0);

    public CostEstimator(PriceTable prices, JsonMapper json, int maxDetailsChars) {
        this.prices = prices;
        this.json = json;
        this.maxDetailsChars = maxDetailsChars;
    }

    /** The event with an estimated cost, or the event itself when it needs none or none can be made. */
    public NewEvent priced(NewEvent e) {
        String d = e.detailsJson();
        // cheap tests first: this runs for every event stored
        if (prices.size() == 0 || e.type().kind() != OperationKind.LLM || d == null || !d.contains("_tokens\"")
                || d.contains("\"cost_usd\"")) {
            return e;
        }
        Map<String, Object> details;
        try {
            details = json.readValue(d, LinkedHashMap.class);
        } catch (JacksonException ex) {
            return e;
        }
        Object model = details.get("model");
        Optional<ModelPrice> price = prices.of(model instanceof String s ? s : e.name());
        long[] tokens = new long[TOKEN_KEYS.length];
        boolean any = false;
        for (int i = 0; i < TOKEN_KEYS.length; i++) {
            Long n = count(details.get(TOKEN_KEYS[i]));
            tokens[i] = n == null ? 0 : n;
            any |= n != null && n > 0;
        }
        if (price.isEmpty() || !any) {
            return e;
        }
        double cost = price.get().cost(tokens[0], tokens[1], tokens[2], tokens[3]);
        details.put("cost_usd", Math.round(cost * 1e9) / 1e9);
        details.put(ESTIMATED_KEY, true);
        String priced = json.writeValueAsString(details);
        if (priced.length() > maxDetailsChars) {
            return e;
        }
        return new NewEvent(e.sessionId(), e.type(), e.status(), e.timestamp(), e.durationMs(), e.parentId(),
                e.correlationId(), e.name(), e.description(), priced, e.displayInfo(), e.sender());
    }

    private static Long count(Object v) {
        if (v instanceof Number n) {
            return n.longValue() >= 0 ? n.longValue() : null;
        }
        if (v instanceof String s) {
            try {
                long n = Long.parseLong(s.strip());
                return n >= 0 ? n : null;
            } catch (NumberFormatException ex) {
                return null;
            }
        }
        return null;
    }
}
