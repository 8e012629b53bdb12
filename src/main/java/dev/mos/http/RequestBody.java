package dev.mos.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A request body read within server.maxRequestBytes (counted after gzip, so a compression bomb stops at the limit
 * too). A body beyond it is refused with {@link TooLarge}, after reading away what the client is still sending,
 * up to {@link #DRAIN_LIMIT}: a client still writing when the server closes gets a reset connection instead of
 * the 413 that says why. Beyond that the connection is closed.
 */
final class RequestBody {

    static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    /** The body is larger than the limit; the caller answers 413. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super(null, null);
        }
    }

    private RequestBody() {
    }

    /** @param gunzip the request declares {@code Content-Encoding: gzip} and the body is to be inflated */
    static byte[] read(HttpServletRequest request, HttpServletResponse response, long maxBytes, boolean gunzip)
            throws IOException {
        try (InputStream raw = request.getInputStream()) {
            if (request.getContentLengthLong() > maxBytes && !gunzip) {
                throw refuse(request, response, raw);
            }
            long declared = request.getContentLengthLong();
            if (declared >= 0 && declared <= Integer.MAX_VALUE - 8 && !gunzip) {
                // Read into an array of the declared size: readNBytes(limit) would fill 16 KB buffers and copy
                // them, ~40 % of what a small hook request allocated (docs/PERFORMANCE.md). Jetty delivers no
                // more than Content-Length; a client that sends less leaves a shorter body.
                byte[] bytes = new byte[(int) declared];
                int n = raw.readNBytes(bytes, 0, bytes.length);
                return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
            }
            InputStream in = gunzip ? new GZIPInputStream(raw) : raw;
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw refuse(request, response, raw);
            }
            return bytes;
        }
    }

    private static TooLarge refuse(HttpServletRequest request, HttpServletResponse response, InputStream raw)
            throws IOException {
        long drained = 0;
        if (request.getContentLengthLong() <= DRAIN_LIMIT) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (drained <= DRAIN_LIMIT && (n = raw.read(buffer)) > 0) {
                drained += n;
            }
        }
        if (request.getContentLengthLong() > DRAIN_LIMIT || drained > DRAIN_LIMIT) {
            response.setHeader("Connection", "close");
        }
        return new TooLarge();
    }
}
