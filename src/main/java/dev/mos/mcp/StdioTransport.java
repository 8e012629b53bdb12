package dev.mos.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * MCP over stdin and stdout: newline-delimited JSON-RPC, one session, in place of the SDK's stdio provider. That one
 * (2.1.0) reads stdin a character at a time through a synchronized reader (a quarter of its reader thread's CPU
 * under load, measured), hands every answer to a thread of its own (a hop per call) and can drop an answer when
 * two threads answer at once, and ends the whole session at the first line that is not JSON-RPC.
 *
 * <p>Here stdin is read in blocks and cut into lines; a line that is not JSON-RPC is answered with a JSON-RPC
 * error naming the problem and the session goes on; each answer is written by the thread that has it, one at a
 * time, and flushed at once. The end of input does not close the session: {@link #awaitInputEndAndAnswers} returns
 * once every request read has been answered (or the drain time is up), so answers still being committed get out.
 */
public final class StdioTransport implements McpServerTransportProvider {

    private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);

    private final McpJsonMapper json;
    private final InputStream in;
    private final OutputStream out;
    private final int maxLineBytes;
    private final Runnable firstAnswer;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answers = new AtomicLong();
    private final CountDownLatch inputEnded = new CountDownLatch(1);
    private volatile McpServerSession session;
    private volatile boolean closing;

    /**
     * @param maxLineBytes the longest message accepted (a longer line is answered with an error and skipped)
     * @param firstAnswer  runs once the first answer (initialize's) is written: the time for deferred start-up work
     */
    public StdioTransport(McpJsonMapper json, InputStream in, OutputStream out, int maxLineBytes,
            Runnable firstAnswer) {
        this.json = json;
        this.in = in;
        this.out = out;
        this.maxLineBytes = maxLineBytes;
        this.firstAnswer = firstAnswer;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        session = sessionFactory.create(new SessionTransport());
        Thread reader = new Thread(this::readUntilEnd, "mos-stdio-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        McpServerSession current = session;
        return current == null ? Mono.error(new IllegalStateException("no stdio session yet"))
                : current.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        closing = true;
        McpServerSession current = session;
        return current == null ? Mono.empty() : current.closeGracefully();
    }

    /** Returns once stdin has ended and every request read has been answered, or {@code drainMs} after the end. */
    public void awaitInputEndAndAnswers(long drainMs) throws InterruptedException {
        inputEnded.await();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMs);
        while (answers.get() < requests.get() && System.nanoTime() - deadline < 0) {
            Thread.sleep(2);
        }
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    private void readUntilEnd() {
        byte[] block = new byte[1 << 16];
        LineBuffer partial = new LineBuffer(maxLineBytes);
        try {
            int n;
            while (!closing && (n = in.read(block)) >= 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (block[i] == '\n') {
                        if (partial.isEmpty()) {
                            line(block, start, i - start, false);
                        } else {
                            partial.append(block, start, i - start);
                            line(partial.bytes(), 0, partial.length(), partial.overflowed());
                            partial.clear();
                        }
                        start = i + 1;
                    }
                }
                partial.append(block, start, n - start);
            }
            if (!partial.isEmpty()) {
                line(partial.bytes(), 0, partial.length(), partial.overflowed());
            }
        } catch (IOException e) {
            if (!closing) {
                log.warn("stdin could not be read: {}", e.toString());
            }
        } catch (RuntimeException e) {
            log.error("stdio reader stopped: {}", e.toString(), e);
        } finally {
            inputEnded.countDown();
        }
    }

    private void line(byte[] bytes, int from, int length, boolean overflowed) {
        if (overflowed || length > maxLineBytes) {
            answerError(McpSchema.ErrorCodes.INVALID_REQUEST, "message exceeds server.maxRequestBytes ("
                    + maxLineBytes + " bytes)");
            return;
        }
        int end = from + length;
        while (end > from && (bytes[end - 1] == '\r' || bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
            end--;
        }
        if (end == from) {
            return; // blank lines carry nothing
        }
        String text = new String(bytes, from, end - from, StandardCharsets.UTF_8);
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, text);
        } catch (IOException | RuntimeException e) {
            boolean notJson = e instanceof IOException || e instanceof tools.jackson.core.JacksonException;
            answerError(notJson ? McpSchema.ErrorCodes.PARSE_ERROR : McpSchema.ErrorCodes.INVALID_REQUEST,
                    (notJson ? "not JSON: " : "not a JSON-RPC message: ") + reason(e));
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest) {
            requests.incrementAndGet();
        }
        session.handle(message).subscribe(null, error -> log.warn("MCP message not handled: {}", error.toString()));
    }

    /** JSON-RPC's answer to a message whose id could not be read: an error with a null id (the SDK's records forbid one). */
    private void answerError(int code, String text) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        error.put("id", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", text);
        error.put("error", body);
        writeLine(error);
    }

    /** The innermost cause's first line, short: it may quote the input, which can be megabytes. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = text.indexOf('\n');
        text = newline < 0 ? text : text.substring(0, newline);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** The bytes of a line that spans blocks; past the limit it keeps only that it overflowed. */
    private static final class LineBuffer {
        private final int limit;
        private byte[] bytes = new byte[1024];
        private int length;
        private boolean overflowed;

        LineBuffer(int limit) {
            this.limit = limit;
        }

        void append(byte[] source, int from, int count) {
            if (count == 0 || overflowed) {
                return;
            }
            if ((long) length + count > limit) {
                overflowed = true; // the rest of the line is skipped, then answered as too long
                length = 0;
                return;
            }
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            System.arraycopy(source, from, bytes, length, count);
            length += count;
        }

        boolean isEmpty() {
            return length == 0 && !overflowed;
        }

        boolean overflowed() {
            return overflowed;
        }

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }

        void clear() {
            length = 0;
            overflowed = false;
            if (bytes.length > 1 << 20) {
                bytes = new byte[1024]; // one huge message must not pin its buffer for the session's life
            }
        }
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    private void write(McpSchema.JSONRPCMessage message) {
        writeLine(message);
        if (message instanceof McpSchema.JSONRPCResponse response && response.id() != null
                && answers.incrementAndGet() == 1) {
            firstAnswer.run();
        }
    }

    private void writeLine(Object message) {
        byte[] bytes;
        try {
            // Compact JSON escapes every control character inside strings: a message never contains a newline.
            bytes = json.writeValueAsString(message).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            synchronized (out) {
                out.write(bytes);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            if (!closing) {
                log.debug("stdout closed: {}", e.toString());
            }
            throw new UncheckedIOException(e);
        }
    }

    private final class SessionTransport implements McpServerTransport {

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> write(message));
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return json.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(() -> closing = true);
        }

        @Override
        public void close() {
            closing = true;
        }
    }
}
