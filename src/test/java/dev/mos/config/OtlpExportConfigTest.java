package dev.mos.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The otlpExport section: defaults, env vars, header syntax and errors that name the key but never a secret. */
class OtlpExportConfigTest {

    @TempDir
    Path dir;

    private MosConfig.OtlpExport load(String json, Map<String, String> env) throws IOException {
        Path file = Files.createTempFile(dir, "config", ".json");
        Files.writeString(file, json);
        return new ConfigLoader().load(new ConfigOverrides(file, Map.of(), env)).config().otlpExport();
    }

    @Test
    void offByDefaultAndNamedAfterTheServer() throws IOException {
        MosConfig.OtlpExport e = load("{\"server\": {\"name\": \"mos-eu\"}}", Map.of());
        assertThat(e.enabled()).isFalse();
        assertThat(e.endpoint()).isEmpty();
        assertThat(e.protocol()).isEqualTo("http/protobuf");
        assertThat(e.headers()).isEmpty();
        assertThat(e.serviceName()).isEqualTo("mos-eu");
        assertThat(e.allowRuntimeConfig()).isFalse();
        assertThat(e.timeoutMs()).isEqualTo(10_000);
        assertThat(e.queueSize()).isEqualTo(10_000);
        assertThat(e.maxBatchSize()).isEqualTo(512);
    }

    @Test
    void fileSectionWithHeadersAsAnObject() throws IOException {
        MosConfig.OtlpExport e = load("""
                {"otlpExport": {"endpoint": "https://cloud.langfuse.com/api/public/otel",
                  "headers": {"Authorization": "Basic c2VjcmV0"}, "serviceName": "agents", "timeoutMs": 2000,
                  "allowRuntimeConfig": true}}
                """, Map.of());
        assertThat(e.enabled()).isTrue();
        assertThat(e.headers()).containsExactly(Map.entry("Authorization", "Basic c2VjcmV0"));
        assertThat(e.serviceName()).isEqualTo("agents");
        assertThat(e.timeoutMs()).isEqualTo(2000);
        assertThat(e.allowRuntimeConfig()).isTrue();
        assertThat(e.toString()).doesNotContain("c2VjcmV0").contains("headers=1 (hidden)");
        assertThat(OtlpEndpoints.tracesUrl(e.endpoint()))
                .isEqualTo("https://cloud.langfuse.com/api/public/otel/v1/traces");
    }

    @Test
    void environmentVariablesWinOverTheFile() throws IOException {
        MosConfig.OtlpExport e = load("{\"otlpExport\": {\"endpoint\": \"http://file:4318\"}}", Map.of(
                "MCP_OTLP_EXPORT_ENDPOINT", "http://collector:4318",
                "MCP_OTLP_EXPORT_HEADERS", "x-honeycomb-team=abc%3D%3D, x-dataset = agents",
                "MCP_OTLP_EXPORT_PROTOCOL", "HTTP/PROTOBUF"));
        assertThat(e.endpoint()).isEqualTo("http://collector:4318");
        assertThat(e.headers()).containsOnly(Map.entry("x-honeycomb-team", "abc=="),
                Map.entry("x-dataset", "agents"));
        assertThat(e.protocol()).isEqualTo("http/protobuf");
        assertThat(OtlpEndpoints.tracesUrl(e.endpoint())).isEqualTo("http://collector:4318/v1/traces");
    }

    @Test
    void otelVariablesMeantForClaudeCodeAreNotRead() throws IOException {
        MosConfig.OtlpExport e = load("{}", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:3000",
                "OTEL_EXPORTER_OTLP_HEADERS", "a=b"));
        assertThat(e.enabled()).isFalse();
        assertThat(e.headers()).isEmpty();
    }

    @Test
    void badEndpointIsNamed() {
        assertThatThrownBy(() -> load("{}", Map.of("MCP_OTLP_EXPORT_ENDPOINT", "collector:4318")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otlpExport.endpoint (from MCP_OTLP_EXPORT_ENDPOINT)")
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> load("{\"otlpExport\": {\"endpoint\": \"http://user:pw@collector:4318\"}}",
                Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otlpExport.endpoint")
                .hasMessageContaining("credentials")
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> load("{\"otlpExport\": {\"endpoint\": \"http://exa mple:4318\"}}", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otlpExport.endpoint")
                .hasMessageContaining("not a valid URL");
    }

    @Test
    void badHeadersAreNamedWithoutTheirValues() {
        assertThatThrownBy(() -> load("{}", Map.of("MCP_OTLP_EXPORT_HEADERS", "api-key=s3cret,broken-entry-s3cret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otlpExport.headers (from MCP_OTLP_EXPORT_HEADERS)")
                .hasMessageContaining("entry 2 of 2 has no '='")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> load("{}", Map.of("MCP_OTLP_EXPORT_HEADERS", "bad name=s3cret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otlpExport.headers")
                .hasMessageContaining("invalid name 'bad name'")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> load("{\"otlpExport\": {\"headers\": {\"k\": 5}}}", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otlpExport.headers")
                .hasMessageContaining("'k' must have a string value");
    }

    @Test
    void grpcIsRefusedWithTheAllowedChoice() {
        assertThatThrownBy(() -> load("{}", Map.of("MCP_OTLP_EXPORT_PROTOCOL", "grpc")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("otlpExport.protocol (from MCP_OTLP_EXPORT_PROTOCOL) must be one of "
                        + "http/protobuf");
    }

    @Test
    void shownEndpointDropsTheQuery() {
        assertThat(OtlpEndpoints.shown("https://otlp.example.com:443/v1/traces?api_key=s3cret"))
                .isEqualTo("https://otlp.example.com:443/v1/traces");
        assertThat(OtlpEndpoints.tracesUrl("http://h:4318/")).isEqualTo("http://h:4318/v1/traces");
        assertThat(OtlpEndpoints.tracesUrl("http://h:4318/v1/traces")).isEqualTo("http://h:4318/v1/traces");
    }
}
