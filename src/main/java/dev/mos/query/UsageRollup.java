package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import dev.mos.pricing.CostEstimator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Tokens and cost of a session, rolled up from its tree: a pure function of the tree and a details reader.
 *
 * <p>Each LLM operation (Claude Code's {@code api_request}) counts once, from the attributes Claude Code gives it:
 * {@code model}, {@code input_tokens}, {@code output_tokens}, {@code cache_read_tokens},
 * {@code cache_creation_tokens}, {@code cost_usd} (numbers or numeric strings; merged over the call's reports,
 * the end event's values winning). It belongs to the nearest enclosing subagent operation, or to the main agent.
 * Only when a session has no LLM operation at all are Claude Code's metric points summed instead (events whose
 * details say {@code "source":"otel_metric"} with {@code claude_code.cost.usage} or
 * {@code claude_code.token.usage}, a {@code value}, {@code model} and a token {@code type}): counting both would
 * count every request twice.
 */
public final class UsageRollup {

    static final String UNKNOWN_MODEL = "unknown";
    private static final String COST_METRIC = "claude_code.cost.usage";
    private static final String TOKEN_METRIC = "claude_code.token.usage";
    /** Set on a call whose cost the store estimated from its tokens. */
    static final String COST_ESTIMATED = CostEstimator.ESTIMATED_KEY;

    private UsageRollup() {
    }

    /** The usage, or null when the session reported none (no LLM operation and no metric point). */
    public static SessionUsage of(ActivityTree tree, Function<Event, Map<String, Object>> details) {
        Totals calls = new Totals();
        Totals metrics = new Totals();
        List<Object[]> stack = new ArrayList<>(); // {node, agent key, agent name}
        for (OperationNode root : tree.roots().reversed()) {
            stack.add(new Object[] {root, SessionUsage.MAIN_AGENT, SessionUsage.MAIN_AGENT});
        }
        while (!stack.isEmpty()) {
            Object[] top = stack.removeLast();
            OperationNode node = (OperationNode) top[0];
            String agent = (String) top[1];
            String agentName = (String) top[2];
            if (node.kind() == OperationKind.LLM) {
                Map<String, Object> attributes = new HashMap<>();
                if (node.start() != null) {
                    attributes.putAll(details.apply(node.start()));
                }
                // The same call reported twice (OTLP log and trace span) keeps the second report as progress; it
                // may be the one with the cost. Merging (not adding) counts the call once.
                for (Event e : node.progress()) {
                    if (e.type().kind() == OperationKind.LLM) {
                        attributes.putAll(details.apply(e));
                    }
                }
                if (node.end() != null) {
                    attributes.putAll(details.apply(node.end()));
                }
                String model = text(attributes.get("model"));
                if (model == null) {
                    model = node.name() == null || node.name().equals(OperationKind.LLM.wireName()) ? UNKNOWN_MODEL
                            : node.name();
                }
                calls.estimated |= Boolean.TRUE.equals(attributes.get(COST_ESTIMATED));
                calls.add(model, agent, agentName, new TokenUsage(integer(attributes.get("input_tokens")),
                        integer(attributes.get("output_tokens")), integer(attributes.get("cache_read_tokens")),
                        integer(attributes.get("cache_creation_tokens")), decimal(attributes.get("cost_usd"))));
            }
            metricPoints(node, agent, agentName, details, metrics);
            boolean isAgent = node.kind() == OperationKind.SUBAGENT;
            for (OperationNode child : node.children().reversed()) {
                stack.add(new Object[] {child, isAgent ? node.id() : agent, isAgent ? node.name() : agentName});
            }
        }
        if (calls.count > 0) {
            return calls.usage(SessionUsage.FROM_LLM_OPERATIONS);
        }
        return metrics.count > 0 ? metrics.usage(SessionUsage.FROM_OTEL_METRICS) : null;
    }

    private static void metricPoints(OperationNode node, String agent, String agentName,
            Function<Event, Map<String, Object>> details, Totals into) {
        metricPoint(node.start(), agent, agentName, details, into);
        for (Event e : node.progress()) {
            metricPoint(e, agent, agentName, details, into);
        }
        metricPoint(node.end(), agent, agentName, details, into);
    }

    private static void metricPoint(Event e, String agent, String agentName,
            Function<Event, Map<String, Object>> details, Totals into) {
        // Most events are not metric points: look at the text before parsing it.
        if (e == null || e.detailsJson() == null || !e.detailsJson().contains("otel_metric")) {
            return;
        }
        Map<String, Object> d = details.apply(e);
        if (!"otel_metric".equals(d.get("source"))) {
            return;
        }
        String metric = text(d.get("metric"));
        String model = text(d.get("model"));
        model = model == null ? UNKNOWN_MODEL : model;
        TokenUsage usage;
        if (COST_METRIC.equals(metric)) {
            usage = new TokenUsage(0, 0, 0, 0, decimal(d.get("value")));
        } else if (TOKEN_METRIC.equals(metric)) {
            long value = integer(d.get("value"));
            usage = switch (String.valueOf(d.get("type"))) {
                case "input" -> new TokenUsage(value, 0, 0, 0, 0);
                case "output" -> new TokenUsage(0, value, 0, 0, 0);
                case "cacheRead" -> new TokenUsage(0, 0, value, 0, 0);
                case "cacheCreation" -> new TokenUsage(0, 0, 0, value, 0);
                default -> null;
            };
        } else {
            usage = null;
        }
        if (usage != null) {
            into.add(model, agent, agentName, usage);
        }
    }

    private static String text(Object v) {
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
    }

    /** A token count: a number or a numeric string (Claude Code's OTel attributes are strings); else 0. */
    static long integer(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                double d = decimal(s);
                return Double.isFinite(d) ? (long) d : 0;
            }
        }
        return 0;
    }

    static double decimal(Object v) {
        double d = 0;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s && !s.isBlank()) {
            try {
                d = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                d = 0;
            }
        }
        return Double.isFinite(d) ? d : 0;
    }

    /** Sums while walking the tree. */
    private static final class Totals {
        int count;
        TokenUsage total = TokenUsage.ZERO;
        final Map<String, TokenUsage> byModel = new TreeMap<>();
        boolean estimated;
        final Map<String, SessionUsage.AgentUsage> byAgent = new LinkedHashMap<>();

        void add(String model, String agent, String agentName, TokenUsage usage) {
            count++;
            total = total.plus(usage);
            byModel.merge(model, usage, TokenUsage::plus);
            byAgent.merge(agent, new SessionUsage.AgentUsage(agentName, usage),
                    (a, b) -> new SessionUsage.AgentUsage(a.name(), a.usage().plus(b.usage())));
        }

        SessionUsage usage(String source) {
            return new SessionUsage(source, source.equals(SessionUsage.FROM_LLM_OPERATIONS) ? count : 0, total,
                    byModel, byAgent, estimated);
        }
    }
}
