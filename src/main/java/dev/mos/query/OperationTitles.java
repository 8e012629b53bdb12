package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line a person reads an operation by: a tool with a summary of its input ("Bash · make test"), a
 * subagent by its description and type ("Audit config · general-purpose"), anything else by its name.
 */
public final class OperationTitles {

    static final int MAX_SUMMARY_CHARS = 80;
    private static final List<String> SUMMARY_KEYS = List.of("command", "file_path", "notebook_path", "pattern",
            "path", "url", "query", "skill", "description", "prompt");
    /** What a task is called when its prompt was not captured. */
    private static final Set<String> GENERIC_TASK_NAMES = Set.of("Prompt", "task");

    private OperationTitles() {
    }

    /** Whether the operation has a title of its own beyond its name (only tools, MCP calls and subagents do). */
    public static boolean titled(OperationNode node) {
        return node.kind() == OperationKind.TOOL || node.kind() == OperationKind.MCP
                || node.kind() == OperationKind.SUBAGENT;
    }

    /**
     * The session's title: its first prompt's excerpt; else the project's folder name and the git branch ("shop ·
     * main"), as far as they are known; null when none is.
     */
    public static String sessionTitle(SessionView view) {
        return sessionTitle(view.tree(), view.project(), view.lifecycle().gitBranch());
    }

    static String sessionTitle(ActivityTree tree, String project, String gitBranch) {
        for (OperationNode root : tree.roots()) {
            if (root.kind() == OperationKind.TASK && root.start() != null && root.start().name() != null
                    && !GENERIC_TASK_NAMES.contains(root.start().name())) {
                return line(root.start().name());
            }
        }
        String folder = null;
        if (project != null && !project.isBlank()) {
            String trimmed = project.replaceAll("[/\\\\]+$", "");
            folder = trimmed.substring(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
        }
        if (gitBranch == null || gitBranch.isBlank()) {
            return folder;
        }
        return folder == null ? line(gitBranch) : folder + " · " + line(gitBranch);
    }

    /** {@code facts} as {@link OperationFacts#of} gives them. */
    public static String title(OperationNode node, Map<String, Object> facts) {
        if (node.kind() == OperationKind.SUBAGENT || facts.containsKey("subagent_type")) {
            String description = OperationFacts.text(facts.get("subagent_description"));
            String type = OperationFacts.text(facts.get("subagent_type"));
            if (description != null) {
                return type == null ? line(description) : line(description) + " · " + type;
            }
            return type != null ? type : node.name();
        }
        if (node.kind() == OperationKind.TOOL || node.kind() == OperationKind.MCP) {
            String summary = summary(facts.get("input"));
            return summary == null ? node.name() : node.name() + " · " + summary;
        }
        return node.name();
    }

    private static String summary(Object input) {
        if (input instanceof Map<?, ?> map) {
            for (String key : SUMMARY_KEYS) {
                String value = OperationFacts.text(map.get(key));
                if (value != null) {
                    return line(value);
                }
            }
            return null;
        }
        String text = OperationFacts.text(input);
        return text == null ? null : line(text);
    }

    private static String line(String text) {
        String first = text.strip().lines().findFirst().orElse("").strip();
        return first.length() > MAX_SUMMARY_CHARS ? first.substring(0, MAX_SUMMARY_CHARS - 1) + "…" : first;
    }
}
