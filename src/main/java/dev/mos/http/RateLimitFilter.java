package dev.mos.http;

import dev.mos.limits.ClientLimits;
import dev.mos.limits.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * 429 with {@code Retry-After} for a client over its requests or bytes budget ({@link ClientLimits}); every
 * refusal is counted (mos_requests_limited_total by limit and by kind of client). One instance keys by remote
 * address, in front of authentication so that guessing tokens is limited too; one by token, after it. Health
 * probes are never limited: a busy server must not be restarted for it.
 */
final class RateLimitFilter extends HttpFilter {

    private final ClientLimits limits;
    private final String kind;
    private final Function<HttpServletRequest, String> client;
    private final JsonResponses json;
    private final Counter requestsRefused;
    private final Counter bytesRefused;

    /**
     * @param kind "address" or "token", the metric's client label
     * @param client the client a request comes from as a refusal names it, or null when this limit does not apply
     */
    RateLimitFilter(ClientLimits limits, String kind, Function<HttpServletRequest, String> client,
            MeterRegistry registry, JsonResponses json) {
        this.limits = limits;
        this.kind = kind;
        this.client = client;
        this.json = json;
        this.requestsRefused = counter(registry, "requests", kind);
        this.bytesRefused = counter(registry, "bytes", kind);
    }

    private static Counter counter(MeterRegistry registry, String limit, String kind) {
        return Counter.builder("mos.requests.limited")
                .description("requests refused with 429 because a client was over its budget")
                .tag("limit", limit).tag("client", kind).register(registry);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        String who = path.equals("/health") || path.startsWith("/health/") ? null : client.apply(request);
        if (who == null) {
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        Optional<Refusal> refusal = limits.admit(who, Math.max(declared, 0));
        if (refusal.isPresent()) {
            (refusal.get().limit().endsWith("bytesPerSecond") ? bytesRefused : requestsRefused).increment();
            response.setHeader("Retry-After", Long.toString(refusal.get().retryAfterSeconds()));
            // The body is not read (an over-budget client's bytes are not worth it), so the connection is closed:
            // left open with unread content, the server could drop it just as the client sends its next request
            // on it, which then gets no answer at all (seen in RateLimitsIT: "header parser received no bytes").
            response.setHeader("Connection", "close");
            json.error(response, 429, refusal.get().message());
            return;
        }
        if (declared >= 0) {
            chain.doFilter(request, response);
            return;
        }
        CountingRequest counted = new CountingRequest(request);
        try {
            chain.doFilter(counted, response);
        } finally {
            limits.charge(who, counted.read);
        }
    }

    @Override
    public String toString() {
        return "RateLimitFilter[" + kind + "]";
    }

    /** A request whose body bytes are counted as they are read (for bodies sent without a length). */
    private static final class CountingRequest extends HttpServletRequestWrapper {
        private long read;
        private ServletInputStream stream;

        CountingRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            read++;
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            read += n;
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
