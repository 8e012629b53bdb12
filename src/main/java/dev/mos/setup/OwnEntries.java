package dev.mos.setup;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises what an earlier {@code mos setup claude-code} wrote, whatever server URL it was run with, so that a
 * new run replaces it instead of adding a second set beside it (every tool call would otherwise POST to old, dead
 * ports too), and {@code --remove} finds it. MOS's entries are: an HTTP hook whose URL path ends in {@code /hooks};
 * a command hook that runs {@code mos hook} (the {@code mos} script, a mos jar, or any command followed by
 * {@code hook --url }, which is how setup writes a custom {@code --hook-command}); and the headers helper setup
 * writes.
 */
public final class OwnEntries {

    private static final Pattern MOS_PROGRAM = Pattern.compile("(?i)mos(\\.cmd|\\.bat|\\.exe)?|mos([-_.][\\w.+-]*)?"
            + "\\.jar");
    private static final Pattern HEADERS_HELPER = Pattern.compile(Pattern.quote(MosEntries.headersHelper("VAR"))
            .replace("$VAR", "\\E\\$[A-Za-z_][A-Za-z0-9_]*\\Q"));

    private OwnEntries() {
    }

    /** A hook handler of MOS's: an HTTP hook to a {@code /hooks} path, or a command hook running {@code mos hook}. */
    public static boolean isOurs(Object handler) {
        if (!(handler instanceof Map<?, ?> h)) {
            return false;
        }
        return h.get("command") instanceof String c ? isMosHookCommand(c) : hooksBase(h.get("url")) != null;
    }

    /**
     * The server base of an HTTP hook URL whose path ends in {@code /hooks} ({@code http://h:1/hooks} gives
     * {@code http://h:1}), or null when it is not such a URL.
     */
    static String hooksBase(Object url) {
        if (!(url instanceof String s) || !(s.startsWith("http://") || s.startsWith("https://"))) {
            return null;
        }
        int cut = indexOfAny(s, "?#");
        String path = (cut < 0 ? s : s.substring(0, cut)).replaceAll("/+$", "");
        if (!path.endsWith("/hooks") || path.indexOf('/', path.indexOf("//") + 2) < 0) {
            return null;
        }
        return path.substring(0, path.length() - "/hooks".length());
    }

    /** A command that runs mos's {@code hook} subcommand. */
    public static boolean isMosHookCommand(String command) {
        if (command.contains(MosEntries.HOOK_URL_ARGUMENT)) {
            return true;
        }
        List<String> words = words(command);
        for (int i = 1; i < words.size(); i++) {
            if (words.get(i).equals("hook") && MOS_PROGRAM.matcher(fileName(words.get(i - 1))).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The headers helper setup writes for some token variable. */
    public static boolean isOurHeadersHelper(Object value) {
        return value instanceof String s && HEADERS_HELPER.matcher(s).matches();
    }

    /**
     * The base URLs of the servers MOS's hooks in {@code settings} send to: what an earlier run was set up for,
     * so that its OpenTelemetry endpoint can be recognised as MOS's too.
     */
    public static Set<String> serverBases(Map<String, Object> settings) {
        Set<String> bases = new LinkedHashSet<>();
        if (!(settings.get("hooks") instanceof Map<?, ?> hooks)) {
            return bases;
        }
        for (Object groups : hooks.values()) {
            if (!(groups instanceof List<?> list)) {
                continue;
            }
            for (Object group : list) {
                if (group instanceof Map<?, ?> g && g.get("hooks") instanceof List<?> handlers) {
                    for (Object handler : handlers) {
                        String base = baseOf(handler);
                        if (base != null) {
                            bases.add(base);
                        }
                    }
                }
            }
        }
        return bases;
    }

    private static String baseOf(Object handler) {
        if (!isOurs(handler)) {
            return null;
        }
        Map<?, ?> h = (Map<?, ?>) handler;
        if (h.get("command") instanceof String c) {
            List<String> words = words(c);
            int url = words.indexOf("--url");
            return url >= 0 && url + 1 < words.size() ? words.get(url + 1).replaceAll("/+$", "") : null;
        }
        return hooksBase(h.get("url"));
    }

    /** A shell command's words, near enough for recognition: split on blanks, quotes dropped. */
    private static List<String> words(String command) {
        String plain = command.replace("'", "").replace("\"", "").strip();
        return plain.isEmpty() ? List.of() : List.of(plain.split("\\s+"));
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
