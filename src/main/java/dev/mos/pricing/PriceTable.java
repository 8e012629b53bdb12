package dev.mos.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model prices: the shipped list ({@code prices.json} beside this class) with an operator's file laid over it
 * (same shape; its entries replace or add models). A model's price is that of the longest key its name starts
 * with, so {@code claude-sonnet-4-5-20250929} is priced as {@code claude-sonnet-4} unless a longer key exists.
 */
public final class PriceTable {

    private static final String SHIPPED = "prices.json";
    private static final String[] KINDS = {"input", "output", "cache_read", "cache_write"};

    private final Map<String, ModelPrice> prices;

    PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Collections.unmodifiableMap(new TreeMap<>(prices));
    }

    /** The shipped prices, with {@code file}'s over them when it is given (null or blank: none). */
    public static PriceTable load(JsonMapper json, String file) {
        Map<String, ModelPrice> prices = new TreeMap<>();
        try (InputStream in = PriceTable.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("the shipped price list " + SHIPPED + " is missing from the build");
            }
            read(json.readTree(in), "the shipped price list", prices);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped price list: " + e.getMessage(), e);
        }
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            try {
                read(json.readTree(Files.readString(path)), "pricing.file " + path, prices);
            } catch (IOException e) {
                throw new IllegalArgumentException("pricing.file " + path + " cannot be read: " + e.getMessage());
            } catch (JacksonException e) {
                throw new IllegalArgumentException("pricing.file " + path + " is not JSON: "
                        + e.getOriginalMessage());
            }
        }
        return new PriceTable(prices);
    }

    private static void read(JsonNode root, String source, Map<String, ModelPrice> into) {
        JsonNode models = root.path("models");
        if (!models.isObject()) {
            throw new IllegalArgumentException(source + ": expected {\"models\": {\"<model>\": {\"input\": …,"
                    + " \"output\": …, \"cache_read\": …, \"cache_write\": …}}} (US dollars per million tokens)");
        }
        for (Map.Entry<String, JsonNode> entry : models.properties()) {
            String model = entry.getKey().strip().toLowerCase(Locale.ROOT);
            double[] p = new double[KINDS.length];
            for (int i = 0; i < KINDS.length; i++) {
                JsonNode v = entry.getValue().path(KINDS[i]);
                if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
                    throw new IllegalArgumentException(source + ": model \"" + entry.getKey() + "\" needs \""
                            + KINDS[i] + "\" as a number of 0 or more (US dollars per million tokens)");
                }
                p[i] = v.asDouble();
            }
            if (model.isEmpty()) {
                throw new IllegalArgumentException(source + ": a model name is empty");
            }
            into.put(model, new ModelPrice(p[0], p[1], p[2], p[3]));
        }
    }

    /** The price of {@code model} (its longest matching key), if any is known. */
    public Optional<ModelPrice> of(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String name = model.strip().toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        if (slash >= 0) {
            name = name.substring(slash + 1); // models/gemini-2.5-pro, anthropic/claude-…
        }
        Map.Entry<String, ModelPrice> best = null;
        for (Map.Entry<String, ModelPrice> e : prices.entrySet()) {
            if (name.startsWith(e.getKey()) && (best == null || e.getKey().length() > best.getKey().length())) {
                best = e;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.getValue());
    }

    public int size() {
        return prices.size();
    }
}
