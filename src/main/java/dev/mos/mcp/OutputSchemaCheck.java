package dev.mos.mcp;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SDK's check of every tool result against the tool's output schema (networknt, JSON Schema 2020-12, as the
 * SDK's default validator), without the default's per-call extras: it hashes the whole schema map to find the
 * compiled schema and serialises every valid result to a string that is used only when a result has no text
 * content (ours always has). Measured on cold stdio log_event: 11 % of all CPU, 40 % of it those extras.
 * Compiled schemas are found by the identity of the tool's schema map (the SDK passes the same instance on every
 * call); an equal map that is another instance is compiled once more, and the table is bounded.
 */
public final class OutputSchemaCheck implements JsonSchemaValidator {

    private static final int MAX_SCHEMAS = 256;

    private final JsonMapper json;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
    private final Map<Map<String, Object>, Schema> compiled = new IdentityHashMap<>();

    public OutputSchemaCheck(JsonMapper json) {
        this.json = json;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        if (schema == null || structuredContent == null) {
            return ValidationResponse.asInvalid("Validation failed: "
                    + (schema == null ? "no output schema" : "no structuredContent"));
        }
        try {
            JsonNode content = structuredContent instanceof String text ? json.readTree(text)
                    : json.valueToTree(structuredContent);
            List<Error> errors = schema(schema).validate(content);
            return errors.isEmpty() ? ValidationResponse.asValid(null)
                    : ValidationResponse.asInvalid("Validation failed: structuredContent does not match tool "
                            + "outputSchema. Validation errors: " + errors);
        } catch (RuntimeException e) {
            return ValidationResponse.asInvalid("Validation failed: " + e.getMessage());
        }
    }

    private Schema schema(Map<String, Object> schema) {
        synchronized (compiled) {
            Schema known = compiled.get(schema);
            if (known == null) {
                if (compiled.size() >= MAX_SCHEMAS) {
                    compiled.clear();
                }
                known = registry.getSchema(json.valueToTree(schema));
                compiled.put(schema, known);
            }
            return known;
        }
    }
}
