package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.Event;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import dev.mos.store.SearchText;
import dev.mos.store.SessionInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Search across sessions: the store's full-text index finds the events, each is placed in its session's tree, and
 * the operations they belong to are the hits (newest first, one hit per operation), each naming its session and
 * operation so a reader can open it in its tree.
 */
public final class OperationSearch {

    /** Events read from the index per hit asked for: filters and several events of one operation thin them out. */
    private static final int EVENTS_PER_HIT = 5;
    /** Matching events read at most, in first pages: at most 20 x 5 x limit events placed in their trees. */
    private static final int MAX_PAGES = 20;
    private static final int MATCH_CONTEXT_CHARS = 70;

    private final QueryService query;
    private final OperationFacts facts;

    public OperationSearch(QueryService query, EventJson events) {
        this.query = query;
        this.facts = new OperationFacts(events);
    }

    public Map<String, Object> search(SearchRequest request) {
        long started = System.nanoTime();
        List<String> words = SearchText.words(request.text());
        int page = Math.max(request.limit() * EVENTS_PER_HIT, 100);
        int unread = page * MAX_PAGES;
        Map<String, Placed> sessions = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<Map<String, Object>> hits = new ArrayList<>();
        long before = Long.MAX_VALUE;
        boolean more = true;
        // filters can thin a page out to nothing: read on, older page by older page, each twice the last (an
        // index query for a common word's beginning costs about the same at any page size), up to a bound
        while (more && hits.size() < request.limit() && unread > 0) {
            page = Math.min(page, unread);
            unread -= page;
            List<Event> events = query.searchEvents(request.text(), before, page);
            more = events.size() == page;
            page *= 2;
            for (Event e : events) {
                before = e.id();
                if (hits.size() >= request.limit()) {
                    more = true;
                    break;
                }
                Placed placed = sessions.computeIfAbsent(e.sessionId(), this::place);
                if (placed == null || !sessionMatches(placed.info, request)) {
                    continue;
                }
                OperationNode node = placed.byEvent.get(e.id());
                // lifecycle records are the session's header, not operations a hit could open in the tree
                if (node == null || SessionLifecycle.isRecord(node) || !seen.add(e.sessionId() + "\u0000" + node.id())
                        || !operationMatches(node, placed, request)) {
                    continue;
                }
                hits.add(hit(placed, node, e, words));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", request.text());
        out.put("hits", hits);
        // older matches were not read: the hits are the newest, not all
        out.put("more", more);
        out.put("took_ms", (System.nanoTime() - started) / 1_000_000);
        return out;
    }

    private Placed place(String sessionId) {
        SessionInfo info;
        try {
            info = query.resolve(sessionId);
        } catch (UnknownSessionException e) {
            return null; // deleted since it was indexed
        }
        SessionView view = query.view(info);
        Map<Long, OperationNode> byEvent = new HashMap<>();
        view.tree().forEach(node -> {
            if (node.start() != null) {
                byEvent.put(node.start().id(), node);
            }
            node.progress().forEach(p -> byEvent.put(p.id(), node));
            if (node.end() != null) {
                byEvent.put(node.end().id(), node);
            }
        });
        return new Placed(info, view.tree(), OperationTitles.sessionTitle(view), byEvent);
    }

    /** Each operation's subagent: the nearest one around it, itself included; absent for the main agent's. */
    private void placeAgents(OperationNode node, OperationNode agent, Map<OperationNode, OperationNode> agentOf) {
        OperationNode own = isSubagent(node) ? node : agent;
        if (own != null) {
            agentOf.put(node, own);
        }
        node.children().forEach(child -> placeAgents(child, own, agentOf));
    }

    private boolean isSubagent(OperationNode node) {
        return node.kind() == OperationKind.SUBAGENT || node.kind() == OperationKind.TOOL && mentionsSubagent(node)
                && facts.of(node).containsKey("subagent_type");
    }

    /** A quick look before the facts (which read the tool's input): only an agent's call names a subagent type. */
    private static boolean mentionsSubagent(OperationNode node) {
        String details = node.primary().detailsJson();
        return details != null && details.contains("subagent_type");
    }

    private static boolean sessionMatches(SessionInfo info, SearchRequest r) {
        return (r.project() == null || r.project().equals(info.project()))
                && (r.sender() == null || r.sender().equals(info.sender()))
                && (r.agent() == null || r.agent().equals(info.agent()));
    }

    private boolean operationMatches(OperationNode node, Placed placed, SearchRequest r) {
        if (r.kind() != null && node.kind() != r.kind() || r.status() != null && node.status() != r.status()
                || r.tool() != null && !r.tool().equalsIgnoreCase(node.name())
                || r.sinceMs() != null && node.startMs() < r.sinceMs()
                || r.untilMs() != null && node.startMs() > r.untilMs()) {
            return false;
        }
        if (r.model() != null) {
            Object model = facts.of(node).get("model");
            if (model == null || !contains(String.valueOf(model), r.model())) {
                return false;
            }
        }
        return (r.subagent() == null || subagentMatches(placed.agentOf(node), r.subagent()))
                && (r.minCostUsd() == null || cost(node) >= r.minCostUsd());
    }

    private boolean subagentMatches(OperationNode agent, String wanted) {
        if (agent == null) {
            return wanted.equalsIgnoreCase(SearchRequest.MAIN_AGENT);
        }
        Map<String, Object> f = facts.of(agent);
        String type = OperationFacts.text(f.get("subagent_type"));
        String description = OperationFacts.text(f.get("subagent_description"));
        return type != null && type.equalsIgnoreCase(wanted) || description != null && contains(description, wanted);
    }

    /** What the operation cost: its own reported cost, else the sum of the model calls under it (a prompt's). */
    private double cost(OperationNode node) {
        if (facts.of(node).get("cost_usd") instanceof Number n) {
            return n.doubleValue();
        }
        double sum = 0;
        for (OperationNode child : node.children()) {
            sum += cost(child);
        }
        return sum;
    }

    private static boolean contains(String text, String part) {
        return text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    private Map<String, Object> hit(Placed placed, OperationNode node, Event matched, List<String> words) {
        Map<String, Object> hit = new LinkedHashMap<>();
        hit.put("session_id", placed.info.sessionId());
        hit.put("session_title", placed.title);
        hit.put("project", placed.info.project());
        hit.put("operation_id", node.id());
        hit.put("title", OperationTitles.title(node, facts.of(node)));
        hit.put("kind", node.kind().wireName());
        hit.put("name", node.name());
        hit.put("status", node.status().wireName());
        hit.put("start", Durations.iso(node.startMs()));
        hit.put("duration_ms", node.durationMs());
        hit.put("event_id", matched.externalId());
        hit.put("match", excerpt(SearchText.of(matched), words));
        return hit;
    }

    /** The captured text around the first query word, on one line. */
    static String excerpt(String text, List<String> words) {
        String flat = text.replaceAll("\\s+", " ").strip();
        String lower = flat.toLowerCase(Locale.ROOT);
        int at = -1;
        for (String w : words) {
            int i = lower.indexOf(w);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
            }
        }
        int from = Math.max(0, at - MATCH_CONTEXT_CHARS);
        int to = Math.min(flat.length(), Math.max(at, 0) + MATCH_CONTEXT_CHARS * 2);
        return (from > 0 ? "…" : "") + flat.substring(from, to) + (to < flat.length() ? "…" : "");
    }

    /** A session the hits are placed in: its tree, title, and which operation each event belongs to. */
    private final class Placed {
        final SessionInfo info;
        final ActivityTree tree;
        final String title;
        final Map<Long, OperationNode> byEvent;
        /** Each operation's subagent; placed when a search first filters by one (it reads agents' facts). */
        private Map<OperationNode, OperationNode> agents;

        Placed(SessionInfo info, ActivityTree tree, String title, Map<Long, OperationNode> byEvent) {
            this.info = info;
            this.tree = tree;
            this.title = title;
            this.byEvent = byEvent;
        }

        /** The operation's subagent, null for the main agent's. */
        OperationNode agentOf(OperationNode node) {
            if (agents == null) {
                agents = new IdentityHashMap<>();
                tree.roots().forEach(root -> placeAgents(root, null, agents));
            }
            return agents.get(node);
        }
    }
}
