package dev.mos.health;

import dev.mos.config.MosConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One resilience4j circuit breaker per tool, configured from the circuitBreaker section. */
public final class ToolCircuitBreakers {

    private final CircuitBreakerRegistry registry;

    public ToolCircuitBreakers(MosConfig.CircuitBreaker config, MeterRegistry meters) {
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .failureRateThreshold(config.failureRateThreshold())
                .minimumNumberOfCalls(config.minimumCalls())
                .slidingWindowSize(Math.max(config.slidingWindowSize(), config.minimumCalls()))
                .waitDurationInOpenState(Duration.ofMillis(config.waitInOpenMs()))
                .permittedNumberOfCallsInHalfOpenState(Math.min(3, config.minimumCalls()))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .build();
        this.registry = CircuitBreakerRegistry.of(breakerConfig);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    public CircuitBreaker forTool(String tool) {
        return registry.circuitBreaker(tool);
    }

    /** State, failure rate and call counts per breaker, for detailed health. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        registry.getAllCircuitBreakers().stream().sorted((a, b) -> a.getName().compareTo(b.getName()))
                .forEach(cb -> {
                    CircuitBreaker.Metrics m = cb.getMetrics();
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("state", cb.getState().name());
                    d.put("failure_rate", m.getFailureRate() < 0 ? null : m.getFailureRate());
                    d.put("buffered_calls", m.getNumberOfBufferedCalls());
                    d.put("failed_calls", m.getNumberOfFailedCalls());
                    d.put("not_permitted_calls", m.getNumberOfNotPermittedCalls());
                    out.put(cb.getName(), d);
                });
        return out;
    }

    public long openCount() {
        return registry.getAllCircuitBreakers().stream()
                .filter(cb -> cb.getState() == CircuitBreaker.State.OPEN).count();
    }
}
