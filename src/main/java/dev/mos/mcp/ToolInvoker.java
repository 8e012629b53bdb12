package dev.mos.mcp;

import dev.mos.audit.Actor;
import dev.mos.audit.AuditLog;
import dev.mos.auth.Scope;
import dev.mos.auth.ScopeRules;
import dev.mos.health.RequestStats;
import dev.mos.limits.SessionQuotaExceededException;
import dev.mos.health.ToolCircuitBreakers;
import dev.mos.ingest.EventRejectedException;
import dev.mos.query.UnknownSessionException;
import dev.mos.store.StoreUnavailableException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a tool behind its circuit breaker and records its outcome. Bad input is the caller's error: it is
 * answered and counted in the error rate but does not trip the breaker; anything unexpected does, and is answered
 * with a short message and an incident id while the details go to the log.
 */
public final class ToolInvoker {

    private static final Logger log = LoggerFactory.getLogger(ToolInvoker.class);

    private final Map<String, McpTool> tools = new LinkedHashMap<>();
    private final ToolCircuitBreakers breakers;
    private final RequestStats stats;
    private final boolean logStacks;
    private final AuditLog audit;

    public ToolInvoker(Collection<McpTool> tools, ToolCircuitBreakers breakers, RequestStats stats,
            boolean logStacks, AuditLog audit) {
        tools.forEach(t -> this.tools.put(t.name(), t));
        this.breakers = breakers;
        this.stats = stats;
        this.logStacks = logStacks;
        this.audit = audit;
    }

    public Collection<McpTool> tools() {
        return tools.values();
    }

    /** Runs a tool and waits for its answer (for the plain HTTP forms; MCP transports use {@link #invokeAsync}). */
    public ToolResult invoke(String name, Map<String, Object> arguments, ProgressSink progress, Actor actor) {
        return invokeAsync(name, arguments, progress, actor).join();
    }

    /** {@link #invokeAsync(String, Map, ProgressSink, Actor)} for a caller in this process. */
    public CompletableFuture<ToolResult> invokeAsync(String name, Map<String, Object> arguments,
            ProgressSink progress) {
        return invokeAsync(name, arguments, progress, Actor.LOCAL);
    }

    /**
     * Runs a tool; the future completes with its answer (never exceptionally) once the tool's work is done, which
     * for log_event on a durable store means after the commit, without a thread waiting for it. An administrative
     * tool's call (the admin scope's) goes into the audit log with its actor, whatever its outcome.
     */
    public CompletableFuture<ToolResult> invokeAsync(String name, Map<String, Object> arguments,
            ProgressSink progress, Actor actor) {
        long started = System.nanoTime();
        McpTool known = name == null ? null : tools.get(name);
        boolean longPoll = known != null && known.longPoll(arguments);
        return run(name, arguments, progress, actor).thenApply(result -> {
            stats.record(name == null ? "(none)" : known != null ? name : "(unknown)",
                    System.nanoTime() - started, result.isError() ? result.text() : null, longPoll);
            if (known != null && ScopeRules.forTool(name) == Scope.ADMIN) {
                audit.record(actor, name, arguments, result.isError() ? result.text() : null);
            }
            return result;
        });
    }

    private CompletableFuture<ToolResult> run(String name, Map<String, Object> arguments, ProgressSink progress,
            Actor actor) {
        McpTool tool = name == null ? null : tools.get(name);
        if (tool == null) {
            return CompletableFuture.completedFuture(ToolResult.error("unknown tool '" + name
                    + "'; available tools: " + String.join(", ", tools.keySet())));
        }
        CircuitBreaker breaker = breakers.forTool(name);
        if (!breaker.tryAcquirePermission()) {
            long waitS = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) / 1000;
            return CompletableFuture.completedFuture(ToolResult.error(name + " is temporarily unavailable: its"
                    + " circuit breaker is " + breaker.getState() + " after repeated failures; retry in about "
                    + Math.max(1, waitS) + " s"));
        }
        long startedAt = breaker.getCurrentTimestamp();
        CompletableFuture<ToolResult> call;
        try {
            call = tool.callAsync(new ToolArguments(name, arguments, tool.parameters(), actor), progress)
                    .toCompletableFuture();
        } catch (Exception e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((result, failure) -> {
            long elapsed = breaker.getCurrentTimestamp() - startedAt;
            if (failure == null) {
                breaker.onSuccess(elapsed, breaker.getTimestampUnit());
                return result;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            ToolResult answered = callerOrStoreError(name, cause);
            if (answered != null) {
                // Bad input is the caller's error; an unavailable store is counted by the store's own breaker.
                // Neither says the tool itself is broken, so its breaker must not open.
                breaker.onSuccess(elapsed, breaker.getTimestampUnit());
                return answered;
            }
            breaker.onError(elapsed, breaker.getTimestampUnit(), cause);
            String incident = UUID.randomUUID().toString().substring(0, 8);
            if (logStacks) {
                log.error("tool {} failed (incident {})", name, incident, cause);
            } else {
                log.error("tool {} failed (incident {}): {}", name, incident, cause.toString());
            }
            return ToolResult.error(name + " failed with an internal error (incident " + incident
                    + "); the server log has the details");
        });
    }

    private static ToolResult callerOrStoreError(String name, Throwable e) {
        if (e instanceof InvalidArgumentException || e instanceof EventRejectedException
                || e instanceof UnknownSessionException || e instanceof SessionQuotaExceededException) {
            return ToolResult.error(name + ": " + e.getMessage());
        }
        if (e instanceof StoreUnavailableException) {
            return ToolResult.unavailable(name + ": storage unavailable, nothing was stored or read;"
                    + " retry later (" + e.getMessage() + ")");
        }
        return null;
    }
}
