package dev.mos.setup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pure edits of a Claude Code settings object (as parsed, key order kept): {@link #apply} puts MOS's entries in,
 * replacing whatever an earlier run wrote; {@link #remove} takes them out again. Nothing else is touched: the user's
 * own hooks (other URLs, other commands, other matchers) stay where they are, in their order, and so do all other
 * keys. Inputs are never modified.
 */
public final class SettingsEdit {

    /** The edited settings, and what the user should be told about them (values of theirs replaced, kept). */
    public record Result(Map<String, Object> settings, List<String> notes) {

        public Result {
            notes = List.copyOf(notes);
        }
    }

    private static final String HOOKS = "hooks";
    private static final String ENV = "env";
    private static final String HELPER = "otelHeadersHelper";

    private SettingsEdit() {
    }

    /**
     * {@code settings} with MOS's entries replaced by {@code ours}: each event gets exactly one MOS group, at the
     * place where the old one was (appended when there was none); MOS's hooks on events {@code ours} no longer
     * has are dropped. OpenTelemetry variables are set (a differing value of the user's is replaced, and said so);
     * a headers helper of MOS's that {@code ours} has no more is dropped.
     *
     * @throws IllegalArgumentException when {@code hooks}, an event's list or {@code env} has another JSON type
     *                                  than Claude Code's (nothing sensible to merge into)
     */
    public static Result apply(Map<String, Object> settings, MosEntries ours) {
        Map<String, Object> out = new LinkedHashMap<>(settings);
        List<String> notes = new ArrayList<>();
        Set<String> earlierBases = OwnEntries.serverBases(settings);

        Map<String, Object> hooks = new LinkedHashMap<>(object(settings, HOOKS));
        for (String event : List.copyOf(hooks.keySet())) {
            Stripped stripped = strip(event, hooks.get(event));
            if (ours.hooks().containsKey(event)) {
                List<Object> groups = new ArrayList<>(stripped.groups());
                groups.addAll(stripped.firstOurs() < 0 ? groups.size() : stripped.firstOurs(),
                        list(ours.hooks().get(event)));
                hooks.put(event, groups);
            } else if (stripped.emptiedByUs()) {
                hooks.remove(event);
            } else if (stripped.changed()) {
                hooks.put(event, stripped.groups());
            }
        }
        ours.hooks().forEach(hooks::putIfAbsent);
        out.put(HOOKS, hooks);

        if (!ours.env().isEmpty()) {
            Map<String, Object> env = new LinkedHashMap<>(object(settings, ENV));
            ours.env().forEach((key, value) -> {
                Object old = env.get(key);
                boolean earlierOfOurs = key.equals(MosEntries.OTLP_ENDPOINT) && earlierBases.contains(old);
                if (old != null && !old.equals(value) && !earlierOfOurs) {
                    notes.add("env " + key + " was " + quoted(old) + ", now " + quoted(value)
                            + " (--remove will not bring the old value back; the backup has it)");
                }
                env.put(key, value); // an existing key keeps its place
            });
            out.put(ENV, env);
        }

        Object helper = settings.get(HELPER);
        if (ours.otelHeadersHelper() != null) {
            if (helper != null && !helper.equals(ours.otelHeadersHelper()) && !OwnEntries.isOurHeadersHelper(helper)) {
                notes.add(HELPER + " was " + quoted(helper) + ", now MOS's (the backup has the old one)");
            }
            out.put(HELPER, ours.otelHeadersHelper());
        } else if (OwnEntries.isOurHeadersHelper(helper)) {
            out.remove(HELPER);
        }
        return new Result(out, notes);
    }

    /**
     * {@code settings} without MOS's entries: its hooks on every event; event lists, the {@code hooks} object and
     * the {@code env} object when only MOS's entries were in them; the OpenTelemetry variables when they (still)
     * send to MOS, i.e. the endpoint is {@code base} or a server MOS's hooks in the file send to, each only while it
     * has the value setup writes (a value the user changed since is theirs); MOS's headers helper.
     */
    public static Result remove(Map<String, Object> settings, String base) {
        Map<String, Object> out = new LinkedHashMap<>(settings);
        List<String> notes = new ArrayList<>();
        Set<String> bases = new LinkedHashSet<>(OwnEntries.serverBases(settings));
        bases.add(base);

        if (settings.get(HOOKS) != null) {
            Map<String, Object> hooks = new LinkedHashMap<>(object(settings, HOOKS));
            boolean removedAny = false;
            for (String event : List.copyOf(hooks.keySet())) {
                Stripped stripped = strip(event, hooks.get(event));
                removedAny |= stripped.firstOurs() >= 0;
                if (stripped.emptiedByUs()) {
                    hooks.remove(event);
                } else if (stripped.changed()) {
                    hooks.put(event, stripped.groups());
                }
            }
            putOrDrop(out, HOOKS, hooks, removedAny);
        }

        if (settings.get(ENV) != null) {
            Map<String, Object> env = new LinkedHashMap<>(object(settings, ENV));
            Object endpoint = env.get(MosEntries.OTLP_ENDPOINT);
            boolean removedAny = false;
            if (endpoint instanceof String e && bases.contains(e.replaceAll("/+$", ""))) {
                for (Map.Entry<String, String> ours : MosEntries.otelVariables(e).entrySet()) {
                    Object value = env.get(ours.getKey());
                    if (ours.getValue().equals(value)) {
                        env.remove(ours.getKey());
                        removedAny = true;
                    } else if (value != null) {
                        notes.add("env " + ours.getKey() + " kept: " + quoted(value) + " is not what setup wrote");
                    }
                }
            } else if (endpoint != null) {
                notes.add("env " + MosEntries.OTLP_ENDPOINT + " kept: " + quoted(endpoint)
                        + " is not a MOS server this file sends hooks to");
            }
            putOrDrop(out, ENV, env, removedAny);
        }

        if (OwnEntries.isOurHeadersHelper(settings.get(HELPER))) {
            out.remove(HELPER);
        }
        return new Result(out, notes);
    }

    /** An event's groups without MOS's handlers; where the first of them was; whether that emptied the list. */
    private record Stripped(List<Object> groups, int firstOurs, boolean changed, boolean emptiedByUs) {
    }

    @SuppressWarnings("unchecked")
    private static Stripped strip(String event, Object value) {
        if (!(value instanceof List<?> groups)) {
            throw new IllegalArgumentException("\"hooks\".\"" + event + "\" is not a JSON array");
        }
        List<Object> kept = new ArrayList<>();
        int firstOurs = -1;
        for (Object group : groups) {
            if (!(group instanceof Map<?, ?> g) || !(g.get("hooks") instanceof List<?> handlers)
                    || handlers.stream().noneMatch(OwnEntries::isOurs)) {
                kept.add(group);
                continue;
            }
            boolean first = firstOurs < 0;
            if (first) {
                firstOurs = kept.size();
            }
            List<Object> theirs = handlers.stream().filter(h -> !OwnEntries.isOurs(h)).map(h -> (Object) h)
                    .toList();
            if (!theirs.isEmpty()) {
                // the user put a handler of theirs into a group with ours: it stays, and ours goes right after it
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) g);
                copy.put("hooks", new ArrayList<>(theirs));
                kept.add(copy);
                if (first) {
                    firstOurs = kept.size();
                }
            }
        }
        boolean changed = firstOurs >= 0;
        return new Stripped(kept, firstOurs, changed, changed && kept.isEmpty() && !groups.isEmpty());
    }

    /** {@code map} under {@code key}, or empty when there is none. */
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

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** Puts {@code value} back, or drops the key when removing MOS's entries left it empty. */
    private static void putOrDrop(Map<String, Object> out, String key, Map<String, Object> value, boolean removedAny) {
        if (removedAny && value.isEmpty()) {
            out.remove(key);
        } else {
            out.put(key, value);
        }
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
