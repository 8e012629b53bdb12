package dev.mos.mcp.tools;

import dev.mos.mcp.InvalidArgumentException;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.model.DisplaySettings;
import dev.mos.query.QueryService;
import dev.mos.query.SessionJson;
import dev.mos.store.SessionInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** configure_display: per-session display settings, merged into the current ones. */
public final class ConfigureDisplayTool implements McpTool {

    private static final Set<String> SETTINGS = Set.of("show_timings", "collapse_fast_ops", "threshold_slow_ms",
            "max_tree_depth", "highlight_errors");

    private final QueryService query;

    public ConfigureDisplayTool(QueryService query) {
        this.query = query;
    }

    @Override
    public String name() {
        return "configure_display";
    }

    @Override
    public String description() {
        return "Change how a session is displayed (timings, collapsing fast operations, slow threshold, tree "
                + "depth, error highlighting). Only the settings given change; tree, stream and export honour them.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "required": ["settings"], "properties": {
                  %s,
                  "settings": {"type": "object", "properties": {
                    "show_timings": {"type": "boolean"}, "collapse_fast_ops": {"type": "boolean"},
                    "threshold_slow_ms": {"type": "integer", "minimum": 0},
                    "max_tree_depth": {"type": "integer", "minimum": 1, "maximum": %d},
                    "highlight_errors": {"type": "boolean"}}}}}
                """.formatted(Schemas.SESSION_ID, DisplaySettings.MAX_DEPTH_LIMIT);
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["session_id", "settings"], "properties": {
                  "session_id": {"type": "string"}, "settings": {"type": "object"}}}
                """;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("session_id", "settings");
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        Map<String, Object> raw = args.object("settings");
        if (raw == null) {
            throw new InvalidArgumentException("settings is required (an object)");
        }
        ToolArguments settings = new ToolArguments("configure_display settings", raw, SETTINGS, args.actor());
        SessionInfo info = query.resolve(args.string("session_id", QueryService.LATEST));
        DisplaySettings current = info.displaySettings();
        Long threshold = settings.optionalLong("threshold_slow_ms", 0, 86_400_000);
        DisplaySettings updated = new DisplaySettings(
                settings.bool("show_timings", current.showTimings()),
                settings.bool("collapse_fast_ops", current.collapseFastOps()),
                threshold != null ? threshold : current.thresholdSlowMs(),
                (int) settings.integer("max_tree_depth", current.maxTreeDepth(), 1, DisplaySettings.MAX_DEPTH_LIMIT),
                settings.bool("highlight_errors", current.highlightErrors()));
        query.configureDisplay(info.sessionId(), updated);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", info.sessionId());
        out.put("settings", SessionJson.settings(updated));
        return ToolResult.ok("Display settings of session " + info.sessionId() + ": " + SessionJson.settings(updated),
                out);
    }
}
