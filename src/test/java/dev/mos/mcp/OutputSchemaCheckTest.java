package dev.mos.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

class OutputSchemaCheckTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final OutputSchemaCheck check = new OutputSchemaCheck(json);
    private final DefaultJsonSchemaValidator sdk = new DefaultJsonSchemaValidator(json);

    private final Map<String, Object> schema = json.readValue("""
            {"type": "object", "required": ["stored", "sequence"],
             "properties": {"stored": {"type": "boolean"}, "sequence": {"type": "integer", "minimum": 1},
                            "warnings": {"type": "array", "items": {"type": "string"}}}}
            """, new TypeReference<>() { });

    @Test
    void agreesWithTheSdksValidatorOnValidAndInvalidResults() {
        List<Object> results = List.of(
                Map.of("stored", true, "sequence", 3),
                Map.of("stored", true, "sequence", 3, "warnings", List.of("truncated")),
                Map.of("stored", "yes", "sequence", 3),
                Map.of("stored", true),
                Map.of("stored", true, "sequence", 0),
                Map.of("stored", true, "sequence", 2, "warnings", List.of(1)),
                "{\"stored\":false,\"sequence\":9}",
                List.of("not an object"));
        for (Object result : results) {
            assertThat(check.validate(schema, result).valid()).as(String.valueOf(result))
                    .isEqualTo(sdk.validate(schema, result).valid());
        }
    }

    @Test
    void anInvalidResultIsNamedLikeTheSdkNamesIt() {
        ValidationResponse response = check.validate(schema, Map.of("stored", "yes", "sequence", 3));

        assertThat(response.valid()).isFalse();
        assertThat(response.errorMessage()).contains("does not match tool outputSchema").contains("stored")
                .contains("boolean");
    }

    @Test
    void anEqualSchemaThatIsAnotherInstanceChecksTheSame() {
        Map<String, Object> copy = new LinkedHashMap<>(schema);

        assertThat(check.validate(schema, Map.of("stored", true, "sequence", 1)).valid()).isTrue();
        assertThat(check.validate(copy, Map.of("stored", true, "sequence", 1)).valid()).isTrue();
        assertThat(check.validate(copy, Map.of("sequence", 1)).valid()).isFalse();
    }

    @Test
    void missingSchemaOrContentIsInvalidNotAnException() {
        assertThat(check.validate(null, Map.of()).valid()).isFalse();
        assertThat(check.validate(schema, null).valid()).isFalse();
    }
}
