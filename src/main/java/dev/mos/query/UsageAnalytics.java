package dev.mos.query;

import dev.mos.store.SessionInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tokens and cost across sessions, rolled up per coding agent and per model (and per model within each agent), so
 * that a team running several agents sees what each costs. Sessions that name no agent count as {@link #UNNAMED}.
 * {@code cost_estimated}: part of the cost was estimated from tokens and the price list.
 */
public final class UsageAnalytics {

    static final String UNNAMED = "unknown";

    private final QueryService query;

    public UsageAnalytics(QueryService query) {
        this.query = query;
    }

    /**
     * {@code {sessions, sessions_with_usage, llm_calls, total: {tokens…, cost_usd}, by_agent: {agent: {sessions,
     * llm_calls, tokens…, cost_usd, by_model: {model: {…}}}}, by_model: {model: {…}}}} over the sessions the
     * filter keeps.
     */
    public Map<String, Object> of(SessionFilter filter) {
        int sessions = 0;
        int withUsage = 0;
        long calls = 0;
        TokenUsage total = TokenUsage.ZERO;
        boolean estimated = false;
        Map<String, Agent> byAgent = new TreeMap<>();
        Map<String, TokenUsage> byModel = new TreeMap<>();
        for (SessionInfo info : query.sessionsSnapshot()) {
            if (!filter.matchesInfo(info)) {
                continue;
            }
            SessionView view = query.view(info);
            if (!filter.matches(view)) {
                continue;
            }
            sessions++;
            Agent agent = byAgent.computeIfAbsent(info.agent() == null ? UNNAMED : info.agent(), a -> new Agent());
            agent.sessions++;
            SessionUsage usage = view.usage();
            if (usage == null) {
                continue;
            }
            withUsage++;
            calls += usage.llmCalls();
            total = total.plus(usage.total());
            estimated |= usage.costEstimated();
            agent.estimated |= usage.costEstimated();
            agent.calls += usage.llmCalls();
            agent.usage = agent.usage.plus(usage.total());
            usage.byModel().forEach((model, u) -> {
                byModel.merge(model, u, TokenUsage::plus);
                agent.byModel.merge(model, u, TokenUsage::plus);
            });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessions", sessions);
        out.put("sessions_with_usage", withUsage);
        out.put("llm_calls", calls);
        Map<String, Object> totals = SessionJson.tokens(total);
        totals.put("cost_estimated", estimated);
        out.put("total", totals);
        Map<String, Object> agents = new LinkedHashMap<>();
        byAgent.forEach((name, a) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("sessions", a.sessions);
            item.put("llm_calls", a.calls);
            item.putAll(SessionJson.tokens(a.usage));
            item.put("cost_estimated", a.estimated);
            item.put("by_model", models(a.byModel));
            agents.put(name, item);
        });
        out.put("by_agent", agents);
        out.put("by_model", models(byModel));
        return out;
    }

    private static Map<String, Object> models(Map<String, TokenUsage> byModel) {
        Map<String, Object> out = new LinkedHashMap<>();
        byModel.forEach((model, u) -> out.put(model, SessionJson.tokens(u)));
        return out;
    }

    /** One agent's running sums. */
    private static final class Agent {
        int sessions;
        long calls;
        TokenUsage usage = TokenUsage.ZERO;
        boolean estimated;
        final Map<String, TokenUsage> byModel = new TreeMap<>();
    }
}
