package dev.mos.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The shipped monitoring files (deploy/monitoring): the PromQL of every alert rule and dashboard query, and the
 * metric names that PromQL reads, found by a small tokenizer.
 */
final class MonitoringFiles {

    static final Path DIR = Path.of(System.getProperty("mos.repo", "."), "deploy", "monitoring").toAbsolutePath();
    static final Path RULES = DIR.resolve("prometheus/mos-alerts.yml");
    static final Path RULE_TESTS = DIR.resolve("prometheus/mos-alerts.test.yml");
    static final Path PROMETHEUS_CONFIG = DIR.resolve("prometheus/prometheus.yml");
    static final Path DASHBOARD = DIR.resolve("grafana/mos-dashboard.json");

    static final YAMLMapper YAML = YAMLMapper.builder().build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    private MonitoringFiles() {
    }

    /** Alert name to its expression, in file order. */
    static Map<String, String> alertExpressions() throws IOException {
        JsonNode root = YAML.readTree(Files.readString(RULES));
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : root.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                out.put(rule.get("alert").asString(), rule.get("expr").asString());
            }
        }
        return out;
    }

    static JsonNode dashboard() throws IOException {
        return JSON.readTree(Files.readString(DASHBOARD));
    }

    /** "panel title / refId" to the expression of every dashboard query (Grafana variables left in). */
    static Map<String, String> dashboardExpressions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        collectPanels(dashboard().get("panels"), out);
        return out;
    }

    private static void collectPanels(JsonNode panels, Map<String, String> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                out.put(panel.get("title").asString() + " / " + target.get("refId").asString(),
                        target.get("expr").asString());
            }
            if (panel.has("panels")) {
                collectPanels(panel.get("panels"), out);
            }
        }
    }

    /** Metric names the dashboard's variable queries read (label_values(metric, label)). */
    static Set<String> variableMetrics() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        Pattern labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asString() : query.asString("");
            Matcher m = labelValues.matcher(text);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** A dashboard expression with Grafana's variables replaced so Prometheus can run it. */
    static String withGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$instance", ".*");
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "start", "end");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<number>0x[0-9a-fA-F]+|\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[a-z]*)|(?<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)");

    /**
     * The metric names a PromQL expression reads: every identifier that is not a function or aggregation (followed
     * by "("), not a keyword, not a label name (inside {} or a by/without/on/ignoring/group_x list), not a duration,
     * number or string, and not a Grafana variable.
     */
    static Set<String> metricNames(String expr) {
        String s = expr;
        s = s.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`", "\"\""); // strings
        s = s.replaceAll("\\$\\{[^}]*\\}|\\$[a-zA-Z_][a-zA-Z0-9_]*", " "); // Grafana variables
        s = s.replaceAll("\\{[^}]*\\}", " "); // label matchers
        s = s.replaceAll("\\[[^\\]]*\\]", " "); // ranges and subqueries
        s = LABEL_LIST.matcher(s).replaceAll(" ");
        Set<String> out = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            String ident = m.group("ident");
            if (ident == null || KEYWORDS.contains(ident)) {
                continue;
            }
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean call = next < s.length() && s.charAt(next) == '(';
            if (!call) {
                out.add(ident);
            }
        }
        return out;
    }

    /** The sample names of a Prometheus text scrape (histogram and summary suffixes included as they appear). */
    static Set<String> sampleNames(String scrape) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** "where: metric" for every metric an expression reads that the scrape does not have. */
    static List<String> missing(Map<String, String> expressions, Set<String> exported) {
        List<String> out = new ArrayList<>();
        expressions.forEach((where, expr) -> {
            for (String name : metricNames(expr)) {
                if (!exported.contains(name)) {
                    out.add(where + ": " + name);
                }
            }
        });
        return out;
    }
}
