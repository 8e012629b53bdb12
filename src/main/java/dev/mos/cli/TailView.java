package dev.mos.cli;

import tools.jackson.databind.JsonNode;

/** How `mos tail` draws: the tree with ANSI colours redrawn in place on a terminal, plain lines otherwise. */
final class TailView {

    private static final String RESET = "\033[0m";
    private static final String RED = "\033[1;31m";
    private static final String YELLOW = "\033[33m";
    private static final String CYAN = "\033[36m";
    private static final String BLUE = "\033[34m";
    private static final String MAGENTA = "\033[35m";
    private static final String GREEN = "\033[32m";
    private static final String BOLD = "\033[1m";
    /** Cursor home and clear screen: the whole frame is redrawn, so nothing scrolls away. */
    private static final String CLEAR = "\033[H\033[2J";

    private final boolean live;

    TailView(boolean live) {
        this.live = live;
    }

    String frame(String treeText) {
        if (!live) {
            return treeText.endsWith("\n") ? treeText : treeText + "\n";
        }
        StringBuilder sb = new StringBuilder(CLEAR);
        for (String line : treeText.split("\n")) {
            sb.append(colour(line)).append('\n');
        }
        sb.append("\033[2m(following live · Ctrl-C to stop)").append(RESET).append('\n');
        return sb.toString();
    }

    /** Errors and slow operations win over the activity type's colour. */
    static String colour(String line) {
        String c;
        if (line.contains("❌") || line.contains("ERROR")) {
            c = RED;
        } else if (line.contains("SLOW")) {
            c = YELLOW;
        } else if (line.contains("running")) {
            c = CYAN;
        } else if (line.contains("📋")) {
            c = BOLD;
        } else if (line.contains("🔌")) {
            c = MAGENTA;
        } else if (line.contains("🤖")) {
            c = GREEN;
        } else if (line.contains("🔧")) {
            c = BLUE;
        } else {
            return line;
        }
        return c + line + RESET;
    }

    String eventLine(JsonNode e) {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(e.get("sequence").asLong()).append(' ').append(e.get("timestamp").asString())
                .append(' ').append(e.get("event_type").asString()).append(' ').append(e.get("status").asString());
        JsonNode details = e.get("details");
        if (details != null && details.has("name")) {
            sb.append(' ').append(details.get("name").asString());
        }
        if (e.has("duration_ms")) {
            sb.append(' ').append(e.get("duration_ms").asLong()).append("ms");
        }
        return sb.toString();
    }

    String alertLine(JsonNode a) {
        String name = a.hasNonNull("name") ? a.get("name").asString() : a.get("event_type").asString();
        if ("slow".equals(a.get("alert").asString())) {
            return "SLOW: " + name + " took " + a.get("duration_ms").asLong() + "ms (threshold "
                    + a.get("threshold_ms").asLong() + "ms)";
        }
        return "ERROR: " + name + (a.hasNonNull("message") ? ": " + a.get("message").asString() : "");
    }
}
