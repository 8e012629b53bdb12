package dev.mos.export;

import dev.mos.config.OtlpEndpoints;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;

/**
 * Builds the SDK's OTLP exporter for a target. Only http/protobuf: the SDK's gRPC exporter needs OkHttp (with the
 * Kotlin runtime) or grpc-java, while the HTTP one runs on the JDK's own HttpClient
 * ({@code opentelemetry-exporter-sender-jdk}); every backend MOS targets (collector, Jaeger, Tempo, Phoenix,
 * Langfuse) accepts OTLP/HTTP on port 4318 or its own path.
 */
public final class SpanExporterFactory {

    public SpanExporter create(ExportTarget target) {
        if (!ExportTarget.HTTP_PROTOBUF.equals(target.protocol())) {
            throw new IllegalArgumentException("protocol must be http/protobuf (gRPC and http/json exporters are "
                    + "not bundled), got '" + target.protocol() + "'");
        }
        OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder()
                .setEndpoint(OtlpEndpoints.tracesUrl(target.endpoint()))
                .setTimeout(Duration.ofMillis(target.timeoutMs()))
                .setConnectTimeout(Duration.ofMillis(Math.min(target.timeoutMs(), 5_000)))
                // No retries inside the exporter: a failed batch is counted and the circuit breaker decides when
                // to try the backend again, so a dead backend never holds the export thread in back-off.
                .setRetryPolicy(null);
        target.headers().forEach(b::addHeader);
        return b.build();
    }
}
