package dev.mos.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rules for an OTLP export target, shared by the config loader and the {@code configure_otel_export} tool: the
 * endpoint is a base URL like {@code OTEL_EXPORTER_OTLP_ENDPOINT} ({@code /v1/traces} is appended unless the path
 * already ends with it) and headers use the {@code OTEL_EXPORTER_OTLP_HEADERS} form {@code k=v,k2=v2}. Messages
 * never repeat a header value or the endpoint's credentials: both may be secrets.
 */
public final class OtlpEndpoints {

    public static final String TRACES_PATH = "/v1/traces";

    private OtlpEndpoints() {
    }

    /** Why the endpoint cannot be used (a phrase to append to the key name), or null when it can. */
    public static String problem(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint.strip());
        } catch (URISyntaxException e) {
            return "is not a valid URL: " + e.getReason() + " at index " + e.getIndex();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http:// or https:// URL (OTLP over HTTP), got scheme '" + scheme + "'";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "must name a host, like http://collector:4318";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry credentials in the URL; put them in otlpExport.headers";
        }
        if (uri.getRawFragment() != null) {
            return "must not have a #fragment";
        }
        return null;
    }

    /** The URL spans are POSTed to: the base URL with {@code /v1/traces} appended unless it ends with it. */
    public static String tracesUrl(String endpoint) {
        String e = endpoint.strip();
        URI uri = URI.create(e);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.endsWith(TRACES_PATH)) {
            return e;
        }
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return uri.getScheme() + "://" + uri.getRawAuthority() + base + TRACES_PATH + query;
    }

    /** The endpoint as it may be shown: scheme, host, port and path, without a query (it may hold a key). */
    public static String shown(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return "";
        }
        try {
            URI uri = new URI(endpoint.strip());
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (URISyntaxException e) {
            return "(invalid URL)";
        }
    }

    /**
     * Parses {@code k=v,k2=v2} (values may be percent-encoded, as in OTEL_EXPORTER_OTLP_HEADERS). Blank text is
     * no headers. Throws IllegalArgumentException naming the entry's position and, when it is safe, its key.
     */
    public static Map<String, String> parseHeaders(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        String[] entries = text.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("header entry " + (i + 1) + " of " + entries.length
                        + " has no '=' (expected k=v,k2=v2; the value is not shown)");
            }
            String key = entry.substring(0, eq).strip();
            String value;
            try {
                value = URLDecoder.decode(entry.substring(eq + 1).strip(), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("header entry " + (i + 1) + " ('" + safeKey(key)
                        + "') has a bad %-escape in its value");
            }
            out.put(key, value);
        }
        String problem = headersProblem(out);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return out;
    }

    /** Why these headers cannot be sent (names must be HTTP tokens, values printable), or null. */
    public static String headersProblem(Map<String, String> headers) {
        int i = 0;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            i++;
            String key = h.getKey();
            if (key.isEmpty() || !key.chars().allMatch(OtlpEndpoints::tokenChar)) {
                return "header " + i + " has an invalid name '" + safeKey(key)
                        + "' (letters, digits and !#$%&'*+-.^_`|~ only)";
            }
            if (h.getValue().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                return "header '" + key + "' has a control character in its value";
            }
        }
        return null;
    }

    private static boolean tokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static String safeKey(String key) {
        String k = key.length() > 40 ? key.substring(0, 40) + "…" : key;
        return k.replaceAll("\\p{Cntrl}", "?");
    }
}
