package dev.mos.store;

import dev.mos.model.CodingAgent;
import dev.mos.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * The text of an event that search finds it by: its name, description and the values (not the keys) of its
 * details, with JSON kept as text inside them (a hook's tool_input) read the same way. What capture did not keep,
 * or redaction replaced, is not here to be found.
 */
public final class SearchText {

    /** Enough for a prompt, a command and an error; a 100 kB tool output is searchable by its beginning. */
    public static final int MAX_CHARS = 16_384;
    private static final JsonFactory JSON = new JsonFactory();

    private SearchText() {
    }

    public static String of(Event e) {
        StringBuilder out = new StringBuilder(128);
        append(out, e.name());
        append(out, e.description());
        if (e.detailsJson() != null) {
            values(e.detailsJson(), out, 0);
        }
        return out.length() > MAX_CHARS ? out.substring(0, MAX_CHARS) : out.toString();
    }

    /** The words of a query, lower case: an event matches when its text holds every one of them. */
    public static List<String> words(String query) {
        List<String> words = new ArrayList<>();
        for (String w : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /** Whether every query word begins some word of {@code text} (as the full-text indexes match). */
    public static boolean matches(String text, List<String> words) {
        List<String> tokens = words(text);
        for (String w : words) {
            if (tokens.stream().noneMatch(t -> t.startsWith(w))) {
                return false;
            }
        }
        return true;
    }

    private static void values(String json, StringBuilder out, int depth) {
        try (JsonParser p = JSON.createParser(tools.jackson.core.ObjectReadContext.empty(), json)) {
            for (JsonToken t = p.nextToken(); t != null && out.length() < MAX_CHARS; t = p.nextToken()) {
                if (depth == 0 && t == JsonToken.PROPERTY_NAME && p.streamReadContext().getParent().inRoot()
                        && CodingAgent.DETAILS_KEY.equals(p.currentName())) {
                    p.nextToken(); // the agent is a filter of its own, not words of every event
                    p.skipChildren();
                } else if (t == JsonToken.VALUE_STRING) {
                    String s = p.getString();
                    String stripped = s.strip();
                    if (depth < 2 && (stripped.startsWith("{") || stripped.startsWith("["))) {
                        values(stripped, out, depth + 1);
                    } else {
                        append(out, s);
                    }
                } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    append(out, p.getText());
                }
            }
        } catch (JacksonException e) {
            // cut by a capture limit, or not JSON: the text as it is
            if (depth > 0) {
                append(out, json);
            }
        }
    }

    private static void append(StringBuilder out, String s) {
        if (s != null && !s.isEmpty()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(s);
        }
    }
}
