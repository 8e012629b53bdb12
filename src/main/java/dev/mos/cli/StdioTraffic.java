package dev.mos.cli;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the stdio streams so that the process can end cleanly when the client closes stdin: it notices the
 * end of input and counts requests read against responses written, so that answers still being computed are
 * written before exit. A request is a line with both "id" and "method"; the SDK writes a response as a line
 * starting with {"jsonrpc":"2.0","id".
 */
final class StdioTraffic {

    private static final byte[] RESPONSE_PREFIX = "{\"jsonrpc\":\"2.0\",\"id\"".getBytes(StandardCharsets.UTF_8);

    private final CountDownLatch inputEnded = new CountDownLatch(1);
    private final long drainTimeoutMs;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong responses = new AtomicLong();
    private final Runnable firstAnswer;

    /** @param firstAnswer runs once the first answer ({@code initialize}'s) is written: the time for deferred work */
    StdioTraffic(long drainTimeoutMs, Runnable firstAnswer) {
        this.drainTimeoutMs = drainTimeoutMs;
        this.firstAnswer = firstAnswer;
    }

    InputStream watch(InputStream in) {
        return new FilterInputStream(in) {
            private final Needle id = new Needle("\"id\"");
            private final Needle method = new Needle("\"method\"");

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    ended();
                } else {
                    see(b);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    ended();
                }
                for (int i = 0; i < n; i++) {
                    see(b[off + i]);
                }
                return n;
            }

            private void see(int b) {
                if (b == '\n') {
                    if (id.found && method.found) {
                        requests.incrementAndGet();
                    }
                    id.reset();
                    method.reset();
                    return;
                }
                id.see(b);
                method.see(b);
            }
        };
    }

    /** Finds a short ASCII needle in a stream of bytes, one byte at a time, without buffering the line. */
    private static final class Needle {
        private final byte[] bytes;
        private int matched;
        boolean found;

        Needle(String text) {
            this.bytes = text.getBytes(StandardCharsets.US_ASCII);
        }

        void see(int b) {
            if (found) {
                return;
            }
            if (b == bytes[matched]) {
                if (++matched == bytes.length) {
                    found = true;
                }
            } else {
                // the needles start with a quote that occurs nowhere else in them, so a mismatch restarts cleanly
                matched = b == bytes[0] ? 1 : 0;
            }
        }

        void reset() {
            matched = 0;
            found = false;
        }
    }

    OutputStream watch(OutputStream out) {
        return new FilterOutputStream(out) {
            private int matched;
            private boolean lineStart = true;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                see(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                for (int i = 0; i < len; i++) {
                    see(b[off + i]);
                }
            }

            private void see(int b) {
                if (b == '\n') {
                    lineStart = true;
                    matched = 0;
                    return;
                }
                if (lineStart && matched < RESPONSE_PREFIX.length) {
                    if (b == RESPONSE_PREFIX[matched]) {
                        matched++;
                        if (matched == RESPONSE_PREFIX.length) {
                            if (responses.incrementAndGet() == 1) {
                                firstAnswer.run();
                            }
                            lineStart = false;
                        }
                    } else {
                        lineStart = false;
                    }
                }
            }
        };
    }

    /**
     * The SDK closes its session as soon as it reads the end of input, dropping answers still being computed;
     * so the end is held back from it until every request read so far has been answered (or time is up).
     */
    private void ended() {
        inputEnded.countDown();
        awaitAnswers();
    }

    /** Returns once stdin has ended and every request has been answered, or the drain timeout passed. */
    void awaitInputEndAndAnswers() throws InterruptedException {
        inputEnded.await();
        awaitAnswers();
    }

    private void awaitAnswers() {
        long deadline = System.currentTimeMillis() + drainTimeoutMs;
        while (!answeredEverything() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean answeredEverything() {
        return responses.get() >= requests.get();
    }
}
