package dev.mos.export;

import dev.mos.config.OtlpEndpoints;
import java.util.Map;

/**
 * Where spans go. {@code headers} are credentials: {@link #toString} and {@link #describe} never show them, and the
 * endpoint is shown without its query string.
 */
public record ExportTarget(String endpoint, String protocol, Map<String, String> headers, long timeoutMs) {

    public static final String HTTP_PROTOBUF = "http/protobuf";

    public ExportTarget {
        headers = Map.copyOf(headers);
    }

    public String shownEndpoint() {
        return OtlpEndpoints.shown(endpoint);
    }

    @Override
    public String toString() {
        return "ExportTarget[endpoint=" + shownEndpoint() + ", protocol=" + protocol + ", headers=" + headers.size()
                + " (hidden), timeoutMs=" + timeoutMs + "]";
    }
}
