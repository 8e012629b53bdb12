package dev.mos.http;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP SDK writes its HTTP-level errors by serialising the whole McpError, stack trace included. This wrapper
 * holds back any error body (status 400 and up) and rewrites it as a plain JSON-RPC error with code and message.
 */
final class ErrorBodySanitizer extends HttpServletResponseWrapper {

    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private PrintWriter heldWriter;
    private int status = SC_OK;

    ErrorBodySanitizer(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
        super.setStatus(sc);
    }

    private boolean holding() {
        return status >= 400;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (!holding()) {
            return super.getWriter();
        }
        if (heldWriter == null) {
            heldWriter = new PrintWriter(new OutputStreamWriter(held, StandardCharsets.UTF_8));
        }
        return heldWriter;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (!holding()) {
            return super.getOutputStream();
        }
        return new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new IllegalStateException("error bodies are written synchronously");
            }

            @Override
            public void write(int b) {
                held.write(b);
            }
        };
    }

    /** Writes the held error body, sanitised, to the real response. */
    void finish(JsonMapper mapper) throws IOException {
        if (heldWriter != null) {
            heldWriter.flush();
        }
        if (held.size() == 0) {
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", -32603);
        error.put("message", "HTTP " + status);
        try {
            JsonNode node = mapper.readTree(held.toByteArray());
            JsonNode rpc = node.has("jsonRpcError") ? node.get("jsonRpcError") : node.get("error");
            JsonNode source = rpc != null && rpc.isObject() ? rpc : node;
            if (source.has("code") && source.get("code").isNumber()) {
                error.put("code", source.get("code").intValue());
            }
            if (source.has("message") && source.get("message").isString()) {
                error.put("message", source.get("message").stringValue());
            }
        } catch (RuntimeException notJson) {
            error.put("message", held.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("HTTP " + status));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", null);
        body.put("error", error);
        byte[] bytes = mapper.writeValueAsBytes(body);
        HttpServletResponse real = (HttpServletResponse) getResponse();
        real.setContentType("application/json");
        real.setContentLength(bytes.length);
        real.getOutputStream().write(bytes);
    }
}
