package dev.mos.setup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pure edits of a Gemini CLI settings object (as parsed, key order kept): {@link #apply} puts MOS's entries in,
 * replacing what an earlier run wrote; {@link #remove} takes them out again. MOS's entries are the MCP server
 * {@code mcpServers.mos} (HTTP, {@code <base>/mcp}) and, in the {@code telemetry} object, OTLP over HTTP to
 * {@code <base>} ({@code enabled}, {@code target}, {@code otlpEndpoint}, {@code otlpProtocol}). The user's other
 * keys stay where they are, their other MCP servers and telemetry keys too. Inputs are never modified.
 */
public final class GeminiSettingsEdit {

    static final String SERVERS = "mcpServers";
    static final String SERVER = "mos";
    static final String TELEMETRY = "telemetry";

    private GeminiSettingsEdit() {
    }

    /** The telemetry values setup writes for {@code base}. */
    static Map<String, Object> telemetry(String base) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("enabled", true);
        t.put("target", "local");
        t.put("otlpEndpoint", base);
        t.put("otlpProtocol", "http");
        return t;
    }

    /** MOS's MCP server entry; with {@code tokenEnv} a bearer header Gemini CLI expands from that variable. */
    static Map<String, Object> server(String base, String tokenEnv) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("httpUrl", base + "/mcp");
        if (tokenEnv != null) {
            s.put("headers", Map.of("Authorization", "Bearer ${" + tokenEnv + "}"));
        }
        return s;
    }

    /** Both of MOS's entries, as a settings fragment (what the printed mode shows). */
    public static Map<String, Object> fragment(String base, String tokenEnv) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(SERVERS, Map.of(SERVER, server(base, tokenEnv)));
        out.put(TELEMETRY, telemetry(base));
        return out;
    }

    /**
     * {@code settings} with MOS's entries for {@code base}: an earlier MOS server entry is replaced in its place; a
     * differing telemetry value of the user's is replaced and said so; settings that keep the export from reaching
     * MOS ({@code outfile}, {@code logPrompts: false}) are kept and said so.
     *
     * @throws IllegalArgumentException when {@code mcpServers} or {@code telemetry} is not a JSON object
     */
    public static SettingsEdit.Result apply(Map<String, Object> settings, String base, String tokenEnv) {
        Map<String, Object> out = new LinkedHashMap<>(settings);
        List<String> notes = new ArrayList<>();
        Set<String> earlier = earlierBases(settings);

        Map<String, Object> servers = new LinkedHashMap<>(object(settings, SERVERS));
        Object old = servers.get(SERVER);
        if (old != null && !isOurs(old)) {
            notes.add(SERVERS + "." + SERVER + " was not MOS's HTTP entry; replaced (the backup has the old one)");
        }
        servers.put(SERVER, server(base, tokenEnv));
        out.put(SERVERS, servers);

        Map<String, Object> telemetry = new LinkedHashMap<>(object(settings, TELEMETRY));
        telemetry(base).forEach((key, value) -> {
            Object was = telemetry.get(key);
            boolean earlierOfOurs = key.equals("otlpEndpoint") && was instanceof String s && earlier.contains(trim(s));
            if (was != null && !was.equals(value) && !earlierOfOurs) {
                notes.add(TELEMETRY + "." + key + " was " + quoted(was) + ", now " + quoted(value)
                        + " (--remove will not bring the old value back; the backup has it)");
            }
            telemetry.put(key, value);
        });
        if (telemetry.get("outfile") != null) {
            notes.add(TELEMETRY + ".outfile kept: while it is set Gemini CLI writes telemetry to that file instead "
                    + "of sending it to MOS; remove it to send");
        }
        if (Boolean.FALSE.equals(telemetry.get("logPrompts"))) {
            notes.add(TELEMETRY + ".logPrompts false kept: MOS then sees no prompts, tool arguments or responses, "
                    + "and a turn's task closes only when the next prompt starts");
        }
        out.put(TELEMETRY, telemetry);
        return new SettingsEdit.Result(out, notes);
    }

    /**
     * {@code settings} without MOS's entries: its MCP server entry, and the telemetry values setup writes while
     * the endpoint is {@code base} or the server of the MOS entry (a value the user changed since is theirs and
     * kept); {@code mcpServers} and {@code telemetry} go when nothing else was in them.
     */
    public static SettingsEdit.Result remove(Map<String, Object> settings, String base) {
        Map<String, Object> out = new LinkedHashMap<>(settings);
        List<String> notes = new ArrayList<>();
        Set<String> bases = new LinkedHashSet<>(earlierBases(settings));
        bases.add(trim(base));

        if (settings.get(SERVERS) != null) {
            Map<String, Object> servers = new LinkedHashMap<>(object(settings, SERVERS));
            boolean removed = isOurs(servers.get(SERVER));
            if (removed) {
                servers.remove(SERVER);
            } else if (servers.get(SERVER) != null) {
                notes.add(SERVERS + "." + SERVER + " kept: it is not MOS's HTTP entry");
            }
            putOrDrop(out, SERVERS, servers, removed);
        }

        if (settings.get(TELEMETRY) != null) {
            Map<String, Object> telemetry = new LinkedHashMap<>(object(settings, TELEMETRY));
            Object endpoint = telemetry.get("otlpEndpoint");
            boolean removed = false;
            if (endpoint instanceof String e && bases.contains(trim(e))) {
                for (Map.Entry<String, Object> ours : telemetry(e).entrySet()) {
                    Object value = telemetry.get(ours.getKey());
                    if (ours.getValue().equals(value)) {
                        telemetry.remove(ours.getKey());
                        removed = true;
                    } else if (value != null) {
                        notes.add(TELEMETRY + "." + ours.getKey() + " kept: " + quoted(value)
                                + " is not what setup wrote");
                    }
                }
            } else if (endpoint != null) {
                notes.add(TELEMETRY + ".otlpEndpoint kept: " + quoted(endpoint) + " is not a MOS server of this file");
            }
            putOrDrop(out, TELEMETRY, telemetry, removed);
        }
        return new SettingsEdit.Result(out, notes);
    }

    /** MOS's server entry is an HTTP one at some {@code <base>/mcp}. */
    private static boolean isOurs(Object entry) {
        return entry instanceof Map<?, ?> m && m.get("httpUrl") instanceof String url && url.endsWith("/mcp");
    }

    /** The server an earlier run wrote the MOS entry for. */
    private static Set<String> earlierBases(Map<String, Object> settings) {
        Set<String> bases = new LinkedHashSet<>();
        if (settings.get(SERVERS) instanceof Map<?, ?> servers && isOurs(servers.get(SERVER))) {
            String url = (String) ((Map<?, ?>) servers.get(SERVER)).get("httpUrl");
            bases.add(trim(url.substring(0, url.length() - "/mcp".length())));
        }
        return bases;
    }

    private static String trim(String url) {
        return url.replaceAll("/+$", "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a JSON object");
        }
        return (Map<String, Object>) map;
    }

    private static void putOrDrop(Map<String, Object> out, String key, Map<String, Object> value, boolean removed) {
        if (removed && value.isEmpty()) {
            out.remove(key);
        } else {
            out.put(key, value);
        }
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
