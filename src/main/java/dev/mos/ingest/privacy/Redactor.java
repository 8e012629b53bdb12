package dev.mos.ingest.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in free text with {@code [REDACTED]} before anything reaches the store or a log line. Hook
 * payloads carry whatever a tool read or ran (a {@code cat .env}, a curl with a bearer header), so every string
 * taken from them goes through here.
 */
public final class Redactor {

    public static final String MARK = "[REDACTED]";

    /** Each pattern's group 1, when present, is kept (a key name before its value); the rest is replaced. */
    private static final List<String> BUILT_IN = List.of(
            // private key blocks
            "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
            // Anthropic, OpenAI and similar "sk-" keys
            "\\bsk-(?:ant-)?[A-Za-z0-9_\\-]{16,}",
            // GitHub tokens
            "\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}", "\\bgithub_pat_[A-Za-z0-9_]{20,}",
            // Slack, Google, Stripe, GitLab
            "\\bxox[abposr]-[A-Za-z0-9\\-]{10,}", "\\bAIza[0-9A-Za-z_\\-]{30,}",
            "\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}", "\\bglpat-[A-Za-z0-9_\\-]{20,}",
            // AWS access key ids
            "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b",
            // bearer / basic authorization values
            "(?i)(\\b(?:bearer|basic)\\s+)[A-Za-z0-9._~+/=\\-]{8,}",
            // passwords in URLs: scheme://user:password@host
            "(?i)(\\b[a-z][a-z0-9+.\\-]*://[^/\\s:@]+:)[^@\\s/]+(?=@)",
            // .env-style and JSON-ish assignments of secret-looking keys
            "(?i)(\\b[A-Za-z0-9_.\\-]*(?:secret|token|password|passwd|pwd|api[_-]?key|access[_-]?key|private[_-]?key"
                    + "|credential)[A-Za-z0-9_.\\-]*[\"']?\\s*[=:]\\s*[\"']?)(?!\\[REDACTED\\])[^\\s\"',;]{3,}");

    private final List<Pattern> patterns;

    /** The built-in patterns plus {@code extra} (Java regular expressions, e.g. from configuration). */
    public Redactor(List<String> extra) {
        List<Pattern> all = new ArrayList<>();
        for (String p : BUILT_IN) {
            all.add(Pattern.compile(p));
        }
        for (String p : extra) {
            all.add(Pattern.compile(p));
        }
        this.patterns = List.copyOf(all);
    }

    public static Redactor defaults() {
        return new Redactor(List.of());
    }

    public String redact(String text) {
        if (text == null || text.length() < 8) {
            return text;
        }
        String out = text;
        for (Pattern p : patterns) {
            Matcher m = p.matcher(out);
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
