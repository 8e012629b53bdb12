package dev.mos.export;

import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationNode;
import dev.mos.query.QueryService;
import dev.mos.query.UnknownSessionException;
import dev.mos.store.SessionInfo;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards finished operations to an OTLP endpoint, on its own thread, never holding up ingestion.
 *
 * <p>The live feed hands it every event this process commits ({@code LiveFeed.onLocalCommit}, on the ingest thread);
 * {@link #offer} keeps those that close an operation in a bounded queue and never waits: when the queue is full the
 * operation is dropped and counted. Events another replica committed (which the live feed relays from PostgreSQL)
 * never come here, so with several replicas on one store the replica that ingested an operation's end exports it
 * and no other does. Every flush interval, or when a batch is full, the export thread reads the trees of the
 * sessions with closed operations (through the query service's tree cache) and each closed operation becomes one
 * span ({@link OperationSpans}); the order in which ends arrived does not matter, as the tree is read from the
 * store. Operations still running are not exported: they are when they end; at shutdown they are left out.
 *
 * <p>Batching is ours, not the SDK's BatchSpanProcessor: that processor takes spans recorded by the SDK tracer,
 * whose ids are random, while ours must be derived from the operation. The batcher is bounded ({@code queueSize}
 * operations waiting) and sends one batch at a time through the SDK's {@link SpanExporter}; the call goes through
 * the {@code otlpExport} circuit breaker, so once a dead backend opened it batches are dropped at no cost until the
 * breaker lets a trial call through. Waiting operations beyond the bound, batches refused by the open breaker and
 * batches left at shutdown are counted as dropped; batches the backend refused or that timed out as failed.
 *
 * <p>Loop guard: operations that MOS's own OTLP receiver made from spans another MOS exported carry
 * {@link #RELAYED_MARKER} in their details and are never exported again, so two instances exporting to each other
 * (or one to itself) do not ping-pong.
 */
public final class TraceExporter implements AutoCloseable {

    /** In the details of events made from MOS-exported spans: such operations are not exported again. */
    public static final String RELAYED_KEY = "mos_relayed";
    public static final String RELAYED_MARKER = "\"" + RELAYED_KEY + "\":true";

    private static final Logger log = LoggerFactory.getLogger(TraceExporter.class);

    /** What the tool and health show. Never headers; the endpoint without its query. */
    public record Status(boolean enabled, String endpoint, String protocol, int headerCount, long exported,
            long dropped, long failed, int waiting, String breakerState, String lastError) {
    }

    private record Active(ExportTarget target, SpanExporter exporter) {
    }

    private record Closed(String sessionId, long eventId) {
    }

    private final ArrayBlockingQueue<Closed> queue;
    private final QueryService query;
    private final OperationSpans spans;
    private final CircuitBreaker breaker;
    private final SpanExporterFactory factory;
    private final int queueSize;
    private final int maxBatchSize;
    private final long flushIntervalMs;
    private final Counter exported;
    private final Counter dropped;
    private final Counter failed;
    private final AtomicReference<Active> active = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String lastError;
    private volatile int waitingNow;

    // Owned by the export thread.
    private final Map<String, Set<Long>> pending = new LinkedHashMap<>();
    private int pendingCount;
    private final ArrayDeque<SpanData> ready = new ArrayDeque<>();
    /** Written by the export thread; read by {@link #configure} to let the old target finish its batch. */
    private volatile CompletableResultCode inFlight;
    private long inFlightSince;
    /** When the oldest waiting operation arrived: a batch goes at most one flush interval after it. */
    private long firstPendingAt;

    public TraceExporter(QueryService query, OperationSpans spans, CircuitBreaker breaker,
            SpanExporterFactory factory, MeterRegistry meters, int queueSize, int maxBatchSize,
            long flushIntervalMs) {
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.query = query;
        this.spans = spans;
        this.breaker = breaker;
        this.factory = factory;
        this.queueSize = queueSize;
        this.maxBatchSize = maxBatchSize;
        this.flushIntervalMs = flushIntervalMs;
        String description = "Operations forwarded as OTLP spans, by outcome";
        exported = Counter.builder("mos.otlp.export.spans").tag("outcome", "exported").description(description)
                .register(meters);
        dropped = Counter.builder("mos.otlp.export.spans").tag("outcome", "dropped").description(description)
                .register(meters);
        failed = Counter.builder("mos.otlp.export.spans").tag("outcome", "failed").description(description)
                .register(meters);
        Gauge.builder("mos.otlp.export.enabled", this, t -> t.active.get() == null ? 0 : 1)
                .description("1 when sessions are exported as OTLP traces").register(meters);
        Gauge.builder("mos.otlp.export.queued", this, t -> t.waitingNow)
                .description("Operations waiting to be exported").register(meters);
        this.thread = new Thread(this::run, "mos-otlp-export");
        this.thread.setDaemon(true);
    }

    /** Starts exporting to {@code target} (null: off until {@link #configure}). */
    public void start(ExportTarget target) {
        if (target != null) {
            configure(target);
        }
        thread.start();
    }

    /**
     * Replaces the target (null turns export off). The new exporter is built first, so a bad target changes
     * nothing; the old one is shut down after its batch in flight, within its timeout.
     */
    public Status configure(ExportTarget target) {
        SpanExporter next = target == null ? null : factory.create(target);
        Active previous = active.getAndSet(next == null ? null : new Active(target, next));
        if (previous != null) {
            // the batch in flight was sent to the old target: let it complete (and count) before shutting it down,
            // or a delivered batch would be cut off and counted as failed
            CompletableResultCode sending = inFlight;
            if (sending != null) {
                sending.join(previous.target().timeoutMs(), TimeUnit.MILLISECONDS);
            }
            previous.exporter().shutdown().join(previous.target().timeoutMs(), TimeUnit.MILLISECONDS);
        }
        log.info("trace export {}", target == null ? "off" : "to " + target);
        if (target != null) {
            lastError = null;
        }
        return status();
    }

    public Status status() {
        Active a = active.get();
        ExportTarget t = a == null ? null : a.target();
        return new Status(a != null, t == null ? "" : t.shownEndpoint(), t == null ? null : t.protocol(),
                t == null ? 0 : t.headers().size(), (long) exported.count(), (long) dropped.count(),
                (long) failed.count(), waitingNow, breaker.getState().name(), lastError);
    }

    /**
     * An event this process committed; called on ingest threads, never waits. Keeps it when it closes an operation
     * and export is on, unless it was made from spans another MOS exported (loop guard).
     */
    public void offer(Event e) {
        if (!e.type().closes() || active.get() == null) {
            return;
        }
        if (e.detailsJson() != null && e.detailsJson().contains(RELAYED_MARKER)) {
            return;
        }
        if (!queue.offer(new Closed(e.sessionId(), e.id()))) {
            dropped.increment();
        }
    }

    private void run() {
        List<Closed> batch = new ArrayList<>(1024);
        try {
            while (!closed) {
                try {
                    round(batch);
                } catch (RuntimeException e) {
                    // one bad round (a store hiccup, an unexpected operation) must not end export for good
                    lastError = "export round failed: " + e.getMessage();
                    log.warn("trace export: {}", e.toString());
                    batch.clear();
                    Thread.sleep(Math.max(1, Math.min(1_000, flushIntervalMs)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes what was handed over and sends what is due. */
    private void round(List<Closed> batch) throws InterruptedException {
        Closed first = queue.poll(Math.max(1, flushIntervalMs / 4), TimeUnit.MILLISECONDS);
        if (first != null) {
            batch.add(first);
            queue.drainTo(batch, 4096);
            for (Closed c : batch) {
                take(c);
            }
            batch.clear();
        }
        step(false);
    }

    private void take(Closed c) {
        if (pendingCount + ready.size() >= queueSize) {
            dropped.increment();
            return;
        }
        if (pendingCount == 0) {
            firstPendingAt = System.currentTimeMillis();
        }
        if (pending.computeIfAbsent(c.sessionId(), k -> new LinkedHashSet<>()).add(c.eventId())) {
            pendingCount++;
        }
        waitingNow = pendingCount + ready.size() + queue.size();
    }

    /** Builds spans when due and sends the next batch when none is in flight. */
    private void step(boolean force) {
        long now = System.currentTimeMillis();
        if (inFlight != null) {
            Active a = active.get();
            long limit = (a == null ? 10_000 : a.target().timeoutMs()) + 5_000;
            if (!inFlight.isDone() && now - inFlightSince < limit) {
                return;
            }
            inFlight = null;
        }
        if (pendingCount > 0 && (force || pendingCount >= maxBatchSize || now - firstPendingAt >= flushIntervalMs)) {
            if (backendUsable()) {
                build();
            } else {
                // the breaker is open: not even the trees are read, so a dead backend costs next to nothing
                dropped.increment(pendingCount + ready.size());
                pending.clear();
                pendingCount = 0;
                ready.clear();
            }
        }
        if (!ready.isEmpty()) {
            send();
        }
        waitingNow = pendingCount + ready.size() + queue.size();
    }

    /** False while the breaker is open and not yet ready for a trial call. */
    private boolean backendUsable() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return true;
        }
        if (breaker.tryAcquirePermission()) {
            breaker.releasePermission(); // the send acquires it again
            return true;
        }
        return false;
    }

    private void build() {
        for (Map.Entry<String, Set<Long>> e : pending.entrySet()) {
            String sessionId = e.getKey();
            Set<Long> ends = e.getValue();
            try {
                SessionInfo info = query.resolve(sessionId);
                ActivityTree tree = query.tree(info);
                Set<Long> found = new HashSet<>();
                for (OperationNode root : tree.roots()) {
                    collect(sessionId, info.project(), root, null, root, ends, found);
                }
            } catch (UnknownSessionException gone) {
                // deleted or expired before its operations were exported
            } catch (RuntimeException failure) {
                // the store is unavailable: these operations cannot be read now
                dropped.increment(ends.size());
                lastError = "reading session for export failed: " + failure.getMessage();
            }
        }
        pending.clear();
        pendingCount = 0;
    }

    private void collect(String sessionId, String project, OperationNode node, OperationNode parent,
            OperationNode root, Set<Long> ends, Set<Long> found) {
        Event end = node.end();
        if (end != null && ends.contains(end.id()) && found.add(end.id())) {
            if (ready.size() < queueSize) {
                ready.add(spans.span(sessionId, project, node, parent, root));
            } else {
                dropped.increment();
            }
        }
        for (OperationNode child : node.children()) {
            collect(sessionId, project, child, node, root, ends, found);
        }
    }

    private void send() {
        Active a = active.get();
        List<SpanData> chunk = new ArrayList<>(Math.min(maxBatchSize, ready.size()));
        while (chunk.size() < maxBatchSize && !ready.isEmpty()) {
            chunk.add(ready.poll());
        }
        if (a == null) {
            dropped.increment(chunk.size());
            return;
        }
        if (!breaker.tryAcquirePermission()) {
            dropped.increment(chunk.size());
            return;
        }
        long started = System.nanoTime();
        CompletableResultCode result;
        try {
            result = a.exporter().export(chunk);
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            failed.increment(chunk.size());
            lastError = "export failed: " + e.getMessage();
            return;
        }
        int n = chunk.size();
        inFlight = result;
        inFlightSince = System.currentTimeMillis();
        result.whenComplete(() -> {
            long nanos = System.nanoTime() - started;
            if (result.isSuccess()) {
                breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
                exported.increment(n);
            } else {
                Throwable cause = result.getFailureThrowable();
                breaker.onError(nanos, TimeUnit.NANOSECONDS,
                        cause != null ? cause : new IllegalStateException("export failed"));
                failed.increment(n);
                lastError = "export of " + n + " span(s) to " + a.target().shownEndpoint() + " failed"
                        + (cause == null ? "" : ": " + withoutQuery(firstLine(cause.getMessage()), a.target()));
            }
        });
    }

    /** The exporter's message may quote the URL, whose query string may hold a key: show it without. */
    private static String withoutQuery(String message, ExportTarget target) {
        String url = dev.mos.config.OtlpEndpoints.tracesUrl(target.endpoint());
        int q = url.indexOf('?');
        return q < 0 ? message : message.replace(url, url.substring(0, q)).replace(url.substring(q), "");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Stops following the feed, exports what is waiting within {@code budgetMs} and shuts the exporter down;
     * whatever is left then is counted as dropped. Called on graceful shutdown.
     */
    public void close(long budgetMs) {
        long deadline = System.currentTimeMillis() + budgetMs;
        closed = true;
        thread.interrupt();
        try {
            thread.join(Math.max(1, budgetMs / 4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            // the export thread is gone: its state is ours now
            List<Closed> left = new ArrayList<>();
            queue.drainTo(left);
            left.forEach(this::take);
            while (System.currentTimeMillis() < deadline && (pendingCount > 0 || !ready.isEmpty()
                    || inFlight != null && !inFlight.isDone())) {
                step(true);
                if (inFlight != null && !inFlight.isDone()) {
                    inFlight.join(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                }
            }
            dropped.increment(pendingCount + ready.size());
        }
        Active a = active.getAndSet(null);
        if (a != null) {
            a.exporter().shutdown().join(Math.max(1, deadline - System.currentTimeMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        close(5_000);
    }
}
