package dev.mos.cli;

import dev.mos.audit.AuditLog;
import dev.mos.config.ConfigException;
import dev.mos.config.MosConfig;
import dev.mos.export.ExportTarget;
import dev.mos.export.OperationSpans;
import dev.mos.export.SpanExporterFactory;
import dev.mos.export.TraceExporter;
import dev.mos.health.HealthMetrics;
import dev.mos.health.HealthMonitor;
import dev.mos.health.IngestCounters;
import dev.mos.health.Lifecycle;
import dev.mos.health.RequestStats;
import dev.mos.health.ToolCircuitBreakers;
import dev.mos.http.JsonResponses;
import dev.mos.http.api.ApiServlet;
import dev.mos.http.api.SseStreams;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.EventLimits;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.hooks.HookEventMapper;
import dev.mos.ingest.hooks.HookReceiver;
import dev.mos.ingest.otlp.OtlpReceiver;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.limits.SessionQuota;
import dev.mos.live.LiveFeed;
import dev.mos.live.LiveMetrics;
import dev.mos.live.StreamHub;
import dev.mos.mcp.DirectConversions;
import dev.mos.mcp.McpServerFactory;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.OutputSchemaCheck;
import dev.mos.mcp.ToolInvoker;
import dev.mos.mcp.resources.ResourceNotifier;
import dev.mos.mcp.resources.SessionResources;
import dev.mos.mcp.tools.ConfigureDisplayTool;
import dev.mos.mcp.tools.ConfigureOtelExportTool;
import dev.mos.mcp.tools.DeleteSessionTool;
import dev.mos.mcp.tools.ExportSessionTool;
import dev.mos.mcp.tools.GetActivityTreeTool;
import dev.mos.mcp.tools.GetHealthStatusTool;
import dev.mos.mcp.tools.GetToolAnalyticsTool;
import dev.mos.mcp.tools.ListSessionsTool;
import dev.mos.mcp.tools.LogEventTool;
import dev.mos.mcp.tools.SearchOperationsTool;
import dev.mos.mcp.tools.StreamActivityTool;
import dev.mos.pricing.CostEstimator;
import dev.mos.pricing.PriceTable;
import dev.mos.query.EventJson;
import dev.mos.query.OperationDetails;
import dev.mos.query.OperationSearch;
import dev.mos.query.QueryService;
import dev.mos.query.SessionExport;
import dev.mos.query.TreeJson;
import dev.mos.query.TreeText;
import dev.mos.store.GuardedSessionStore;
import dev.mos.store.LiveWindowSessionStore;
import dev.mos.store.OpeningSessionStore;
import dev.mos.store.SessionStore;
import dev.mos.store.StoreLimits;
import dev.mos.store.jdbc.Database;
import dev.mos.store.jdbc.DatabaseUrl;
import dev.mos.store.jdbc.JdbcSessionStore;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that builds MOS: every component constructed here, by hand, in dependency order. Transports
 * (stdio, HTTP) take what they need from it.
 */
final class ServerAssembly implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerAssembly.class);

    /** Share of maxMemoryMB (or of the heap, if smaller) the event store may hold; the rest is working room. */
    static final double STORE_SHARE_OF_MEMORY = 0.6;

    final MosConfig config;
    final Clock clock;
    final JsonMapper json = JsonMapper.builder().build();
    final McpJsonMapper mcpJson = new DirectConversions(new JacksonMcpJsonMapper(json));
    final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final SessionStore store;
    final AuditLog audit;
    final LiveFeed live;
    final IngestPipeline ingest;
    final HookReceiver hooks;
    final OtlpReceiver otlp;
    final QueryService query;
    final Lifecycle lifecycle = new Lifecycle();
    final RequestStats requestStats;
    final ToolCircuitBreakers breakers;
    final HealthMonitor health;
    final HealthMetrics healthMetrics;
    final ToolInvoker invoker;
    final McpServerFactory mcpServers;
    /** This process in exported spans (service.instance.id); its own spans coming back are recognised by it. */
    final String instanceId = java.util.UUID.randomUUID().toString();
    final TraceExporter traceExport;
    private final ScheduledExecutorService scheduler;
    private final EventJson eventJson;
    /** The store while it opens in the background, or null when it was opened in the constructor. */
    private final OpeningSessionStore opening;
    private final List<ResourceNotifier> notifiers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Per-SSE-subscriber buffer: about a second of a busy agent fleet before a stream is told it lags. */
    static final int SSE_BUFFER_EVENTS = 4096;

    /** How often the health gauges (verdict, readiness, store figures) are sampled off the scrape path. */
    static final long HEALTH_SAMPLE_MS = 1_000;

    /**
     * For servers that serve /metrics: the JVM's meters, and the health gauges sampled in the background from now
     * on. (stdio serves no /metrics, and binding the JVM meters costs a tenth of its start.)
     */
    void startMetricsSampling() {
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        healthMetrics.start(HEALTH_SAMPLE_MS);
    }

    /**
     * @param openStoreLater open a durable store in the background, after {@link #startOpeningStore()} or on first
     *     use, instead of before this constructor returns (stdio: answer {@code initialize} first)
     */
    ServerAssembly(MosConfig config, Clock clock, String transport, boolean openStoreLater) {
        this.config = config;
        this.clock = clock;
        // before anything is opened: a bad price file stops the start with one line naming it
        CostEstimator costs;
        try {
            costs = new CostEstimator(PriceTable.load(json, config.pricing().file()), json,
                    EventLimits.MAX_DETAILS_JSON_CHARS);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }

        breakers = new ToolCircuitBreakers(config.circuitBreaker(), metrics);
        if (openStoreLater && config.storage().durable()) {
            opening = new OpeningSessionStore(() -> openStore(config, clock, breakers), config.storage().backend(),
                    storeDescription(config), clock::millis);
            store = opening;
        } else {
            opening = null;
            store = openStore(config, clock, breakers);
            log.info("storage: {}", store.description());
        }
        live = new LiveFeed(new StreamHub(), store, opening == null);
        if (opening != null) {
            opening.beforeFirstUse(open -> live.startFrom(open.sessions()));
        }
        IngestCounters ingestCounters = new IngestCounters(metrics);
        CapturePolicy capture = new CapturePolicy(config.privacy());
        SessionQuota quota = new SessionQuota(config.limits().newSessionsPerHour(),
                id -> store.session(id).isPresent(), clock, metrics);
        ingest = new IngestPipeline(new EventDecoder(json, clock, capture.redactor()), store, live, ingestCounters,
                quota, costs);
        AgentLinks agentLinks = new AgentLinks(clock);
        otlp = OtlpReceiver.create(json, capture.redactor(), agentLinks, instanceId, ingest, clock);
        hooks = new HookReceiver(new HookEventMapper(json, capture, agentLinks), otlp.codexNotify(), ingest);
        // Another replica (PostgreSQL NOTIFY) or process (SQLite change check) committed events: the live feed
        // reads them from the store and publishes them to this process's streams, in order, once.
        store.onRemoteAppend(live::remoteAppend);
        Timer treeBuild = Timer.builder("mos.tree.build").description("Activity tree build time")
                .publishPercentiles(0.5, 0.99).register(metrics);
        query = new QueryService(store, clock, config.streaming().slowThresholdMs(),
                nanos -> treeBuild.record(nanos, TimeUnit.NANOSECONDS), json);
        Gauge.builder("mos.stream.subscribers", live, LiveFeed::waitingReaders).register(metrics);

        requestStats = new RequestStats(metrics, clock);
        health = new HealthMonitor(config.health(), requestStats, ingestCounters, store, live, breakers, lifecycle,
                clock);
        // What alerts need, from the figures health decides on (see DEPLOYMENT.md, Monitoring and alerts), and the
        // store's figures from its samples: a scrape must not wait for a database that is down.
        healthMetrics = new HealthMetrics(health, store);
        healthMetrics.bindTo(metrics);
        new LiveMetrics(live).bindTo(metrics);

        eventJson = new EventJson(json);
        MosConfig.OtlpExport export = config.otlpExport();
        traceExport = new TraceExporter(query, new OperationSpans(OperationSpans.resource(
                export.serviceName(), config.server().version(), instanceId), config.server().version(),
                eventJson::extra), breakers.forTool("otlpExport"), new SpanExporterFactory(), metrics,
                export.queueSize(), export.maxBatchSize(), export.flushIntervalMs());
        ExportTarget exportTarget = export.enabled() ? new ExportTarget(export.endpoint(), export.protocol(),
                export.headers(), export.timeoutMs()) : null;
        traceExport.start(exportTarget);
        // only this process's own commits: another replica exports what it ingested
        live.onLocalCommit(traceExport::offer);
        List<McpTool> tools = List.of(
                new LogEventTool(ingest, hooks, transport),
                new GetActivityTreeTool(query, new TreeText(eventJson), new TreeJson(eventJson),
                        new OperationDetails(eventJson), json),
                new ConfigureDisplayTool(query),
                new ExportSessionTool(query, new SessionExport(query, eventJson), json),
                new StreamActivityTool(query, live, eventJson, json, config.streaming().bufferSize()),
                new GetHealthStatusTool(health, json),
                new ListSessionsTool(query),
                new GetToolAnalyticsTool(query),
                new SearchOperationsTool(new OperationSearch(query, eventJson)),
                new DeleteSessionTool(query),
                new ConfigureOtelExportTool(traceExport, exportTarget, export.allowRuntimeConfig(),
                        export.timeoutMs(), json));
        audit = new AuditLog(store, clock);
        invoker = new ToolInvoker(tools, breakers, requestStats, config.logging().includeStack(), audit);
        mcpServers = new McpServerFactory(invoker, new SessionResources(query, new TreeText(eventJson),
                new TreeJson(eventJson), json), mcpJson, new OutputSchemaCheck(json), config.server().name(),
                config.server().version());

        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mos-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts telling subscribed MCP clients when session resources change; stopped by {@link #close}. */
    void notifyResourceChanges(McpAsyncServer server) {
        ResourceNotifier notifier = new ResourceNotifier(live.streams(), query, server);
        notifiers.add(notifier);
        notifier.start();
    }

    /** The REST and SSE API; {@code json} is the HTTP layer's JSON writer. */
    ApiServlet api(JsonResponses json) {
        return new ApiServlet(query, eventJson, sseStreams(json), audit, json);
    }

    private SseStreams sseStreams(JsonResponses json) {
        SseStreams streams = new SseStreams(query, live.streams(), eventJson, json, SSE_BUFFER_EVENTS);
        Gauge.builder("mos.sse.streams", streams, SseStreams::openStreams).register(metrics);
        return streams;
    }

    /**
     * The configured backend. Durable ones sit behind the "store" circuit breaker (shown with the tool breakers
     * in health and metrics).
     */
    static SessionStore openStore(MosConfig config, Clock clock, ToolCircuitBreakers breakers) {
        StoreLimits limits = new StoreLimits(config.session().maxEventsPerSession(), storeBudgetBytes(config));
        MosConfig.Storage storage = config.storage();
        SessionStore store = switch (storage.backend()) {
            case "memory" -> new MemorySessionStore(limits, clock);
            case "sqlite" -> new GuardedSessionStore(
                    new JdbcSessionStore(Database.sqlite(Path.of(storage.dataDir()), storage.fsyncEachCommit()),
                            limits, clock),
                    breakers.forTool("store"));
            case "postgres" -> new GuardedSessionStore(
                    new JdbcSessionStore(Database.postgres(DatabaseUrl.parse(storage.databaseUrl())), limits, clock),
                    breakers.forTool("store"));
            default -> throw new IllegalArgumentException("storage.backend must be memory, sqlite or postgres, got "
                    + storage.backend());
        };
        // Kept longer than the session timeout: stale sessions leave the live views now, the data later.
        return storage.durable() && retentionMs(config) > config.session().sessionTimeoutMs()
                ? new LiveWindowSessionStore(store, config.session().sessionTimeoutMs(), clock) : store;
    }

    /** How long an inactive session stays in a durable store: storage.retentionMs, else the session timeout. */
    static long retentionMs(MosConfig config) {
        long retention = config.storage().retentionMs();
        return retention > 0 ? retention : config.session().sessionTimeoutMs();
    }

    static long storeBudgetBytes(MosConfig config) {
        long configured = config.health().maxMemoryMB() * 1_048_576L;
        long heap = Runtime.getRuntime().maxMemory();
        return (long) (Math.min(configured, heap) * STORE_SHARE_OF_MEMORY);
    }

    /** Opens a store that opens later now, in the background (a no-op for one already open). */
    void startOpeningStore() {
        if (opening != null) {
            opening.startOpening().whenComplete((s, failure) -> {
                if (failure == null) {
                    log.info("storage: {}", s.description());
                } else {
                    log.error("{} (tool calls answer that nothing was stored; retried on the next call)",
                            failure.getMessage());
                }
            });
        }
    }

    /** What {@link #openStore} will open, safe to log, without opening it. */
    private static String storeDescription(MosConfig config) {
        return switch (config.storage().backend()) {
            case "sqlite" -> "sqlite " + Database.sqliteFile(Path.of(config.storage().dataDir()));
            case "postgres" -> "postgres " + DatabaseUrl.parse(config.storage().databaseUrl()).redacted();
            default -> config.storage().backend();
        };
    }

    /** Starts the session sweeper and the periodic health check. */
    void startHousekeeping() {
        // Memory: the session timeout. Durable stores: the retention period (by default the same).
        long timeout = config.storage().durable() ? retentionMs(config) : config.session().sessionTimeoutMs();
        long sweepEvery = Math.max(1_000, Math.min(60_000, timeout / 4));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int expired = store.expireInactiveBefore(clock.millis() - timeout);
                if (expired > 0) {
                    log.info("expired {} session(s) inactive for more than {} ms", expired, timeout);
                }
            } catch (RuntimeException e) {
                log.warn("session sweep failed: {}", e.toString());
            }
        }, sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
        long interval = config.health().healthCheckInterval();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                var verdict = health.checkAndRecord();
                verdict.alerts().forEach(a -> log.warn("health alert [{}] {}: {}", a.severity(), a.name(),
                        a.message()));
            } catch (RuntimeException e) {
                log.warn("health check failed: {}", e.toString());
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        notifiers.forEach(ResourceNotifier::close);
        // what waits is exported first, within a share of the shutdown budget (the HTTP drain took its part)
        traceExport.close(Math.min(2_000, Math.max(100, config.server().shutdownTimeoutMs() / 4)));
        live.close();
        scheduler.shutdownNow();
        healthMetrics.close();
        store.close();
        metrics.close();
    }
}
