package dev.mos.mcp;

import dev.mos.health.RequestStats;
import dev.mos.health.ToolCircuitBreakers;
import dev.mos.ingest.EventRejectedException;
import dev.mos.query.UnknownSessionException;
import dev.mos.store.StoreUnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
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

    public ToolInvoker(Collection<McpTool> tools, ToolCircuitBreakers breakers, RequestStats stats,
            boolean logStacks) {
        tools.forEach(t -> this.tools.put(t.name(), t));
        this.breakers = breakers;
        this.stats = stats;
        this.logStacks = logStacks;
    }

    public Collection<McpTool> tools() {
        return tools.values();
    }

    public ToolResult invoke(String name, Map<String, Object> arguments, ProgressSink progress) {
        long started = System.nanoTime();
        ToolResult result = run(name, arguments, progress);
        stats.record(name == null ? "(none)" : tools.containsKey(name) ? name : "(unknown)",
                System.nanoTime() - started, result.isError() ? result.text() : null);
        return result;
    }

    private ToolResult run(String name, Map<String, Object> arguments, ProgressSink progress) {
        McpTool tool = name == null ? null : tools.get(name);
        if (tool == null) {
            return ToolResult.error("unknown tool '" + name + "'; available tools: "
                    + String.join(", ", tools.keySet()));
        }
        CircuitBreaker breaker = breakers.forTool(name);
        try {
            return breaker.executeCallable(() -> {
                try {
                    return tool.call(new ToolArguments(name, arguments, tool.parameters()), progress);
                } catch (InvalidArgumentException | EventRejectedException | UnknownSessionException e) {
                    return ToolResult.error(name + ": " + e.getMessage());
                } catch (StoreUnavailableException e) {
                    // The store's own breaker counts this; the tool itself is fine, so its breaker must not open.
                    return ToolResult.unavailable(name + ": storage unavailable, nothing was stored or read;"
                            + " retry later (" + e.getMessage() + ")");
                }
            });
        } catch (CallNotPermittedException e) {
            long waitS = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) / 1000;
            return ToolResult.error(name + " is temporarily unavailable: its circuit breaker is "
                    + breaker.getState() + " after repeated failures; retry in about " + Math.max(1, waitS) + " s");
        } catch (Exception e) {
            String incident = UUID.randomUUID().toString().substring(0, 8);
            if (logStacks) {
                log.error("tool {} failed (incident {})", name, incident, e);
            } else {
                log.error("tool {} failed (incident {}): {}", name, incident, e.toString());
            }
            return ToolResult.error(name + " failed with an internal error (incident " + incident
                    + "); the server log has the details");
        }
    }
}
