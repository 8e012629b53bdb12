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
     * A pattern and the lower-case literals any match contains; no literals: always run. Each literal also comes
     * as the set of its (ASCII) characters, so most texts are ruled out by two mask tests, without a search.
     */
    private record Rule(Pattern pattern, List<String> triggers, long[] masks) {

        Rule(Pattern pattern, List<String> triggers) {
            this(pattern, triggers, masksOf(triggers));
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
                if ((text.low & masks[2 * i]) == masks[2 * i] && (text.high & masks[2 * i + 1]) == masks[2 * i + 1]
                        && text.lower().contains(triggers.get(i))) {
                    return true;
                }
            }
            return false;
        }
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
            rule("(?i)(\\b(?:bearer|basic)\\s+)[A-Za-z0-9._~+/=\\-]{8,}", "bearer", "basic"),
            // passwords in URLs: scheme://user:password@host
            rule("(?i)(\\b[a-z][a-z0-9+.\\-]*://[^/\\s:@]+:)[^@\\s/]+(?=@)", "://"),
            // .env-style and JSON-ish assignments of secret-looking keys
            rule("(?i)(\\b[A-Za-z0-9_.\\-]*(?:secret|token|password|passwd|pwd|api[_-]?key|access[_-]?key"
                    + "|private[_-]?key|credential)[A-Za-z0-9_.\\-]*[\"']?\\s*[=:]\\s*[\"']?)(?!\\[REDACTED\\])"
                    + "[^\\s\"',;]{3,}",
                    "secret", "token", "passw", "pwd", "apikey", "api_key", "api-key", "accesskey", "access_key",
                    "access-key", "privatekey", "private_key", "private-key", "credential"));

    private static final Redactor OFF = new Redactor(List.of(), false);

    private final List<Rule> rules;
    private final boolean enabled;

    /** The built-in patterns plus {@code extra} (Java regular expressions, e.g. from configuration). */
    public Redactor(List<String> extra) {
        this(extra, true);
    }

    private Redactor(List<String> extra, boolean enabled) {
        List<Rule> all = new ArrayList<>(BUILT_IN);
        for (String p : extra) {
            all.add(new Rule(Pattern.compile(p), List.of()));
        }
        this.rules = List.copyOf(all);
        this.enabled = enabled;
    }

    public static Redactor defaults() {
        return new Redactor(List.of());
    }

    /** Redaction switched off by the operator ({@code privacy.redact=false}): text passes unchanged. */
    public static Redactor off() {
        return OFF;
    }

    private static Rule rule(String regex, String... triggers) {
        return new Rule(Pattern.compile(regex), List.of(triggers));
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
