package dev.mos.http;

import dev.mos.ingest.otlp.OtlpFormatException;
import dev.mos.limits.SessionQuotaExceededException;
import dev.mos.ingest.otlp.OtlpReceiver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP receiver: POST /v1/logs, /v1/metrics, /v1/traces with {@code application/x-protobuf} or
 * {@code application/json} bodies, optionally gzip-compressed. Answers in the request's encoding; rejected log
 * records, data points or spans are reported as OTLP partial success (200), a body that is no export request at
 * all as 400.
 */
final class OtlpServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(OtlpServlet.class);

    private final OtlpReceiver receiver;
    private final JsonResponses json;
    private final long maxBodyBytes;

    OtlpServlet(OtlpReceiver receiver, JsonResponses json, long maxBodyBytes) {
        this.receiver = receiver;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String signal = request.getRequestURI().substring("/v1/".length());
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        boolean protobuf = type.startsWith("application/x-protobuf");
        if (!protobuf && !type.startsWith("application/json")) {
            json.error(response, 415, "Content-Type must be application/x-protobuf or application/json, got "
                    + (type.isEmpty() ? "none" : type));
            return;
        }
        byte[] body;
        try {
            body = RequestBody.read(request, response, maxBodyBytes,
                    "gzip".equalsIgnoreCase(request.getHeader("Content-Encoding")));
        } catch (ZipException e) {
            json.error(response, 400, "Content-Encoding is gzip but the body is not valid gzip");
            return;
        } catch (RequestBody.TooLarge e) {
            json.error(response, 413, "OTLP body exceeds server.maxRequestBytes (" + maxBodyBytes + " bytes)");
            return;
        }
        OtlpReceiver.Outcome outcome;
        String sender = RequestActor.of(request).sender();
        try {
            outcome = switch (signal) {
                case "logs" -> receiver.logs(body, protobuf, sender);
                case "metrics" -> receiver.metrics(body, protobuf, sender);
                case "traces" -> receiver.traces(body, protobuf, sender);
                default -> null;
            };
        } catch (OtlpFormatException e) {
            json.error(response, 400, e.getMessage());
            return;
        } catch (SessionQuotaExceededException e) { // OTLP exporters retry a 429 after Retry-After
            response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            json.error(response, 429, e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.warn("OTLP {} request not stored: {}", signal, e.toString());
            json.error(response, 500, "OTLP request not stored: internal error");
            return;
        }
        if (outcome == null) {
            json.error(response, 404, "no such OTLP signal: /v1/" + signal + " (logs, metrics, traces)");
            return;
        }
        if (protobuf) {
            byte[] bytes = switch (signal) {
                case "logs" -> {
                    ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
                    if (outcome.rejected() > 0) {
                        b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                                .setRejectedLogRecords(outcome.rejected()).setErrorMessage(outcome.errorMessage()));
                    }
                    yield b.build().toByteArray();
                }
                case "metrics" -> {
                    ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
                    if (outcome.rejected() > 0) {
                        b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                                .setRejectedDataPoints(outcome.rejected()).setErrorMessage(outcome.errorMessage()));
                    }
                    yield b.build().toByteArray();
                }
                default -> {
                    ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
                    if (outcome.rejected() > 0) {
                        b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                                .setRejectedSpans(outcome.rejected()).setErrorMessage(outcome.errorMessage()));
                    }
                    yield b.build().toByteArray();
                }
            };
            response.setStatus(200);
            response.setContentType("application/x-protobuf");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if (outcome.rejected() > 0) {
            String counted = switch (signal) {
                case "logs" -> "rejectedLogRecords";
                case "metrics" -> "rejectedDataPoints";
                default -> "rejectedSpans";
            };
            answer.put("partialSuccess", Map.of(counted, String.valueOf(outcome.rejected()),
                    "errorMessage", outcome.errorMessage()));
        }
        json.write(response, 200, answer);
    }
}
