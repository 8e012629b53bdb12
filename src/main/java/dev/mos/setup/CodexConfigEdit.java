package dev.mos.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits the text of a Codex {@code config.toml} in place, so that the user's own settings, comments and order
 * stay as they were: only MOS's entries are taken out or put in. MOS's entries are the {@code exporter} and
 * {@code trace_exporter} keys of the {@code [otel]} table (Codex's OpenTelemetry log and trace export, also in
 * their {@code [otel.exporter...]} table forms; MOS maps the logs and takes the turn ends from the traces) and the
 * {@code [mcp_servers.mos]} table with its sub-tables, each whatever server URL it names, so that a re-run for
 * another URL replaces them instead of adding beside; and the top-level {@code notify} MOS marks as its own, which
 * tells MOS when a turn ends. The user's other {@code [otel]} keys (environment,
 * log_user_prompt, the metrics exporter) are theirs and are kept. Whether the text is valid TOML, before and
 * after, is {@link CodexConfigFile}'s check.
 */
public final class CodexConfigEdit {

    /** The comment MOS puts above its entries; also how a table MOS created is known again on --remove. */
    static final String MARK = "# mos setup codex";
    /** The keys of [otel] that are MOS's. */
    private static final List<String> OWNED = List.of("exporter", "trace_exporter");
    private static final Pattern HEADER = Pattern.compile("^\\s*\\[(\\[)?\\s*([^\\]]*?)\\s*](])?\\s*(#.*)?$");
    private static final Pattern KEY = Pattern.compile("^\\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.\\-\\s\"']+?)\\s*=");

    /** The edited text and what the user should know about the edit. */
    public record Result(String text, List<String> notes) {
    }

    private CodexConfigEdit() {
    }

    /** MOS's entries for server {@code base} in {@code text}, replacing any earlier ones; no notify. */
    public static Result apply(String text, String base, String tokenEnv) {
        return apply(text, base, tokenEnv, null);
    }

    /**
     * {@link #apply(String, String, String)} plus, unless the user has a {@code notify} of their own (Codex runs
     * one program only; theirs stays, with a note), the top-level {@code notify = [...]} that runs
     * {@code notifyCommand} (with Codex's JSON appended) at the end of every turn.
     */
    public static Result apply(String text, String base, String tokenEnv, List<String> notifyCommand) {
        List<String> notes = new ArrayList<>();
        List<String> lines = strip(lines(text), notes);
        if (notifyCommand != null) {
            if (hasTopLevelKey(lines, "notify")) {
                notes.add("kept your own notify (Codex runs one program): MOS then learns a turn's end from its "
                        + "trace span only, which codex exec may leave unsent");
            } else {
                List<String> notify = List.of(MARK + ": tells MOS when a turn ends",
                        "notify = [" + String.join(", ", notifyCommand.stream().map(CodexConfigEdit::quote).toList())
                                + "]");
                int firstTable = firstTable(lines);
                if (firstTable >= 0) {
                    // a top-level key: after the user's, before the first table; --remove takes the blank line too
                    lines.addAll(firstTable, java.util.stream.Stream.concat(notify.stream(),
                            java.util.stream.Stream.of("")).toList());
                } else {
                    trimEnd(lines);
                    if (!lines.isEmpty()) {
                        lines.add("");
                    }
                    lines.addAll(notify);
                }
            }
        }
        int otel = find(lines, "otel");
        List<String> exporter = List.of(MARK + ": Codex's OpenTelemetry log events and trace spans to MOS",
                "exporter = { otlp-http = { endpoint = " + quote(base + "/v1/logs") + ", protocol = \"json\" } }",
                "trace_exporter = { otlp-http = { endpoint = " + quote(base + "/v1/traces")
                        + ", protocol = \"json\" } }");
        if (otel < 0) {
            trimEnd(lines);
            if (!lines.isEmpty()) {
                lines.add("");
            }
            lines.add(MARK + ": table added by MOS");
            lines.add("[otel]");
            lines.addAll(exporter);
        } else {
            lines.addAll(otel + 1, exporter);
        }
        trimEnd(lines);
        lines.add("");
        lines.add(MARK + ": MOS's MCP tools (get_activity_tree and friends)");
        lines.add("[mcp_servers.mos]");
        lines.add("url = " + quote(base + "/mcp"));
        if (tokenEnv != null) {
            lines.add("bearer_token_env_var = " + quote(tokenEnv));
        }
        return new Result(String.join("\n", lines) + "\n", notes);
    }

    /** {@code text} without MOS's entries. */
    public static Result remove(String text) {
        List<String> notes = new ArrayList<>();
        List<String> lines = strip(lines(text), notes);
        trimEnd(lines);
        return new Result(lines.isEmpty() ? "" : String.join("\n", lines) + "\n", notes);
    }

    private static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.replace("\r\n", "\n").split("\n", -1)));
    }

    /** Removes MOS's entries (and the marks above them); a table MOS added that is empty now goes too. */
    private static List<String> strip(List<String> lines, List<String> notes) {
        List<String> out = new ArrayList<>(lines.size());
        String table = "";
        boolean dropTable = false;
        boolean ours = false;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            boolean ownedKey = table.equals("otel") && OWNED.stream().anyMatch(k -> isKey(line, k));
            if (!ownedKey) {
                ours = false;
            }
            Matcher header = HEADER.matcher(line);
            if (header.matches() && !line.strip().startsWith("#")) {
                table = normalize(header.group(2));
                dropTable = table.equals("mcp_servers.mos") || table.startsWith("mcp_servers.mos.")
                        || ownedTable(table);
                if (dropTable) {
                    dropMark(out);
                    if (table.startsWith("otel.")) {
                        notes.add("replaced the [" + table + "] table: MOS sets it");
                    }
                    i++;
                    continue;
                }
            } else if (dropTable) {
                i++;
                continue;
            } else if (ownedKey) {
                // MOS's own keys follow its mark one after the other; any other is the user's, replaced with a note
                ours = dropMark(out) || ours;
                if (!ours) {
                    notes.add("replaced otel." + line.strip() + ": MOS sets it");
                }
                i = endOfValue(lines, i) + 1;
                continue;
            } else if (table.isEmpty() && isKey(line, "notify") && dropMark(out)) {
                // MOS's notify (its mark above it); one without the mark is the user's and stays
                i = endOfValue(lines, i) + 1;
                if (i < lines.size() && lines.get(i).isBlank()) {
                    i++; // the blank line apply put after it
                }
                continue;
            } else if (table.isEmpty() && (isKey(line, "otel") || line.strip().startsWith("otel.")
                    || line.strip().startsWith("mcp_servers.mos"))) {
                throw new IllegalArgumentException("sets " + line.strip().split("=")[0].strip()
                        + " with a dotted key or inline table at the top; MOS edits the [otel] and"
                        + " [mcp_servers.mos] tables only: move it into its table, then run again");
            }
            out.add(line);
            i++;
        }
        dropEmptyOwnTables(out);
        return out;
    }

    /** An {@code [otel.<key>...]} table of a key that is MOS's. */
    private static boolean ownedTable(String table) {
        return OWNED.stream().anyMatch(k -> table.equals("otel." + k) || table.startsWith("otel." + k + "."));
    }

    /** A mark right above an entry being removed goes with it; true when there was one. */
    private static boolean dropMark(List<String> out) {
        if (!out.isEmpty() && out.getLast().strip().startsWith(MARK)) {
            out.removeLast();
            return true;
        }
        return false;
    }

    /** An {@code [otel]} table MOS added and that holds nothing but blank lines now. */
    private static void dropEmptyOwnTables(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher header = HEADER.matcher(lines.get(i));
            if (!header.matches() || !normalize(header.group(2)).equals("otel") || i == 0
                    || !lines.get(i - 1).strip().startsWith(MARK)) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && lines.get(end).isBlank()) {
                end++;
            }
            if (end == lines.size() || HEADER.matcher(lines.get(end)).matches()) {
                lines.subList(i - 1, i + 1).clear();
                i -= 2;
            }
        }
    }

    /** The line of the first table header; -1 when there is none. */
    private static int firstTable(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (HEADER.matcher(lines.get(i)).matches() && !lines.get(i).strip().startsWith("#")) {
                return i;
            }
        }
        return -1;
    }

    /** A key set before the first table. */
    private static boolean hasTopLevelKey(List<String> lines, String key) {
        int end = firstTable(lines);
        return lines.subList(0, end < 0 ? lines.size() : end).stream().anyMatch(line -> isKey(line, key));
    }

    private static int find(List<String> lines, String table) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher header = HEADER.matcher(lines.get(i));
            if (header.matches() && header.group(1) == null && normalize(header.group(2)).equals(table)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isKey(String line, String key) {
        Matcher m = KEY.matcher(line);
        return m.find() && normalize(m.group(1)).equals(key);
    }

    /** The last line of the value starting on line {@code i}: inline tables and arrays may span lines. */
    private static int endOfValue(List<String> lines, int i) {
        int depth = 0;
        for (int j = i; j < lines.size(); j++) {
            depth += depth(lines.get(j));
            if (depth <= 0) {
                return j;
            }
        }
        return lines.size() - 1;
    }

    /** Opening minus closing brackets and braces outside strings and comments. */
    private static int depth(String line) {
        int d = 0;
        char quote = 0;
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    k++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                break;
            } else if (c == '{' || c == '[') {
                d++;
            } else if (c == '}' || c == ']') {
                d--;
            }
        }
        return d;
    }

    /** A table or key name without quotes and spaces around its dots. */
    static String normalize(String name) {
        return name.replaceAll("\\s*\\.\\s*", ".").replace("\"", "").replace("'", "").strip();
    }

    private static void trimEnd(List<String> lines) {
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
