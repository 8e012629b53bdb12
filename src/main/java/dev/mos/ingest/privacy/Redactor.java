package dev.mos.ingest.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in free text with {@code [REDACTED]} before anything reaches the store or a log line. Hook
 * payloads carry whatever a tool read or ran (a {@code cat .env}, a curl with a bearer header), so every string
 * taken from them goes through here.
 *
 * <p>Every string of every event passes through, so speed matters: each built-in pattern names the literals one of
 * its matches must contain, and a pattern runs only when the (lower-cased) text holds one of them. Most values (ids,
 * paths, short outputs) then cost one lower-casing and a few {@code contains} instead of a dozen regex scans.
 */
public final class Redactor {

    public static final String MARK = "[REDACTED]";

    /**
     * What must follow a literal's occurrence, in the lower-cased text, for the pattern to be able to match there:
     * a check of a few characters that rules out most occurrences without running the pattern. It must never say
     * no where the pattern could match. Measured on a 20 KB README read by a tool (it holds "token", "secret",
     * "://" and "basic" in prose): the assignment pattern alone took 845 us, the URL one 314 us, and both ran on
     * every such text, twice per hook event.
     */
    @FunctionalInterface
    private interface Follows {
        boolean at(String lower, int end);
    }

    /**
     * A pattern and the lower-case literals any match contains; no literals: always run. Each literal also comes
     * as the set of its (ASCII) characters, so most texts are ruled out by two mask tests, without a search.
     */
    private record Rule(Pattern pattern, List<String> triggers, long[] masks, Follows follows) {

        Rule(Pattern pattern, List<String> triggers, Follows follows) {
            this(pattern, triggers, masksOf(triggers), follows);
        }

        private static long[] masksOf(List<String> triggers) {
            long[] masks = new long[triggers.size() * 2];
            for (int i = 0; i < triggers.size(); i++) {
                for (char c : triggers.get(i).toCharArray()) {
                    if (c < 64) {
                        masks[2 * i] |= 1L << c;
                    } else if (c < 128) {
                        masks[2 * i + 1] |= 1L << (c - 64);
                    }
                }
            }
            return masks;
        }

        boolean mayMatch(Text text) {
            if (triggers.isEmpty()) {
                return true;
            }
            for (int i = 0; i < triggers.size(); i++) {
                if ((text.low & masks[2 * i]) != masks[2 * i] || (text.high & masks[2 * i + 1]) != masks[2 * i + 1]) {
                    continue;
                }
                String lower = text.lower();
                String literal = triggers.get(i);
                for (int at = lower.indexOf(literal); at >= 0; at = lower.indexOf(literal, at + 1)) {
                    if (follows == null || follows.at(lower, at + literal.length())) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** Java's {@code \s} without UNICODE_CHARACTER_CLASS. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** A key's rest, an optional quote, spaces, then {@code =} or {@code :} (the assignment pattern's shape). */
    private static boolean assignmentFollows(String lower, int end) {
        int i = end;
        int n = lower.length();
        while (i < n && (lower.charAt(i) >= 'a' && lower.charAt(i) <= 'z' || lower.charAt(i) >= '0'
                && lower.charAt(i) <= '9' || lower.charAt(i) == '_' || lower.charAt(i) == '.' || lower.charAt(i) == '-')) {
            i++;
        }
        if (i < n && (lower.charAt(i) == '"' || lower.charAt(i) == '\'')) {
            i++;
        }
        while (i < n && space(lower.charAt(i))) {
            i++;
        }
        return i < n && (lower.charAt(i) == '=' || lower.charAt(i) == ':');
    }

    /** After {@code ://}: a user, {@code :}, a password, {@code @} (the URL pattern's shape). */
    private static boolean userInfoFollows(String lower, int end) {
        int i = end;
        int n = lower.length();
        while (i < n && "/:@".indexOf(lower.charAt(i)) < 0 && !space(lower.charAt(i))) {
            i++;
        }
        if (i == end || i >= n || lower.charAt(i) != ':') {
            return false;
        }
        int password = ++i;
        while (i < n && "/@".indexOf(lower.charAt(i)) < 0 && !space(lower.charAt(i))) {
            i++;
        }
        return i > password && i < n && lower.charAt(i) == '@';
    }

    /** After "bearer" or "basic": spaces, then at least 8 characters of a credential. */
    private static boolean credentialFollows(String lower, int end) {
        int i = end;
        int n = lower.length();
        while (i < n && space(lower.charAt(i))) {
            i++;
        }
        if (i == end) {
            return false;
        }
        int start = i;
        while (i < n && i - start < 8 && (lower.charAt(i) >= 'a' && lower.charAt(i) <= 'z'
                || lower.charAt(i) >= '0' && lower.charAt(i) <= '9' || "._~+/=-".indexOf(lower.charAt(i)) >= 0)) {
            i++;
        }
        return i - start >= 8;
    }

    /** The text being redacted: which (lower-cased ASCII) characters it holds, and its lower-case form on demand. */
    private static final class Text {
        final String original;
        long low;
        long high;
        private String lower;

        Text(String original) {
            this.original = original;
            for (int i = 0, n = original.length(); i < n; i++) {
                char c = original.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c < 64) {
                    low |= 1L << c;
                } else if (c < 128) {
                    high |= 1L << (c - 64);
                }
            }
        }

        String lower() {
            if (lower == null) {
                lower = original.toLowerCase(Locale.ROOT);
            }
            return lower;
        }
    }

    /** Each pattern's group 1, when present, is kept (a key name before its value); the rest is replaced. */
    private static final List<Rule> BUILT_IN = List.of(
            // private key blocks
            rule("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
                    "private key-----"),
            // Anthropic, OpenAI and similar "sk-" keys
            rule("\\bsk-(?:ant-)?[A-Za-z0-9_\\-]{16,}", "sk-"),
            // GitHub tokens
            rule("\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
            rule("\\bgithub_pat_[A-Za-z0-9_]{20,}", "github_pat_"),
            // Slack, Google, Stripe, GitLab
            rule("\\bxox[abposr]-[A-Za-z0-9\\-]{10,}", "xox"),
            rule("\\bAIza[0-9A-Za-z_\\-]{30,}", "aiza"),
            rule("\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}", "_live_", "_test_"),
            rule("\\bglpat-[A-Za-z0-9_\\-]{20,}", "glpat-"),
            // AWS access key ids
            rule("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b", "akia", "asia"),
            // bearer / basic authorization values
            rule("(?i)(\\b(?:bearer|basic)\\s+)[A-Za-z0-9._~+/=\\-]{8,}", Redactor::credentialFollows, "bearer", "basic"),
            // passwords in URLs: scheme://user:password@host
            rule("(?i)(\\b[a-z][a-z0-9+.\\-]*://[^/\\s:@]+:)[^@\\s/]+(?=@)", Redactor::userInfoFollows, "://"),
            // .env-style and JSON-ish assignments of secret-looking keys
            rule("(?i)(\\b[A-Za-z0-9_.\\-]*(?:secret|password|passwd|pwd|api[_-]?key|access[_-]?key"
                    + "|private[_-]?key|credential)[A-Za-z0-9_.\\-]*[\"']?\\s*[=:]\\s*[\"']?)(?!\\[REDACTED\\])"
                    + "[^\\s\"',;]{3,}", Redactor::assignmentFollows,
                    "secret", "passw", "pwd", "apikey", "api_key", "api-key", "accesskey", "access_key",
                    "access-key", "privatekey", "private_key", "private-key", "credential"),
            // the same for "token" keys, except a bare number: what agents report is token counts
            // ("input_tokens": 1600, max_tokens=4096), never a secret
            rule("(?i)(\\b[A-Za-z0-9_.\\-]*token[A-Za-z0-9_.\\-]*[\"']?\\s*[=:]\\s*[\"']?)(?!\\[REDACTED\\])"
                    + "(?![0-9]+(?:[\\s\"',;}\\])]|$))[^\\s\"',;]{3,}", Redactor::assignmentFollows, "token"));

    private static final Redactor OFF = new Redactor(List.<Rule>of(), false);

    private final List<Rule> rules;
    private final boolean enabled;

    /** The built-in patterns plus {@code extra} (Java regular expressions, e.g. from configuration). */
    public Redactor(List<String> extra) {
        this(withExtra(extra), true);
    }

    private Redactor(List<Rule> rules, boolean enabled) {
        this.rules = List.copyOf(rules);
        this.enabled = enabled;
    }

    private static List<Rule> withExtra(List<String> extra) {
        List<Rule> all = new ArrayList<>(BUILT_IN);
        for (String p : extra) {
            all.add(new Rule(Pattern.compile(p), List.of(), null));
        }
        return all;
    }

    /**
     * The built-in patterns with no prefilter: every pattern runs on every text. Slow; the reference the literal
     * and {@link Follows} checks are tested against (they may only skip patterns that cannot match).
     */
    static Redactor unfiltered() {
        return new Redactor(BUILT_IN.stream().map(rule -> new Rule(rule.pattern(), List.of(), null)).toList(), true);
    }

    public static Redactor defaults() {
        return new Redactor(List.of());
    }

    /** Redaction switched off by the operator ({@code privacy.redact=false}): text passes unchanged. */
    public static Redactor off() {
        return OFF;
    }

    private static Rule rule(String regex, String... triggers) {
        return new Rule(Pattern.compile(regex), List.of(triggers), null);
    }

    private static Rule rule(String regex, Follows follows, String... triggers) {
        return new Rule(Pattern.compile(regex), List.of(triggers), follows);
    }

    public String redact(String text) {
        if (!enabled || text == null || text.length() < 8) {
            return text;
        }
        String out = text;
        Text scanned = new Text(text);
        for (Rule rule : rules) {
            if (!rule.mayMatch(scanned)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(out);
            if (!m.find()) {
                continue;
            }
            StringBuilder sb = new StringBuilder(out.length());
            do {
                String keep = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : "";
                m.appendReplacement(sb, Matcher.quoteReplacement(keep + MARK));
            } while (m.find());
            m.appendTail(sb);
            out = sb.toString();
        }
        return out;
    }
}
