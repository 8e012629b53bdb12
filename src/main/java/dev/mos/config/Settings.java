package dev.mos.config;

import dev.mos.config.ConfigKeys.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Every key's raw value and where it came from (a default, a file, a variable, a flag), read back as the type the
 * key declares: each reader refuses a value that breaks the key's rule with a message naming key, source and rule.
 */
final class Settings {

    record Setting(Object raw, String source) {
    }

    private static final JsonMapper ENV_JSON = JsonMapper.builder().build();
    private static final int SHOWN_MAX = 120;

    private final Map<String, Setting> values = new HashMap<>();

    /** Starts from every key's default. */
    Settings() {
        ConfigKeys.ALL.values().forEach(k -> values.put(k.path(), new Setting(k.defaultValue(), "default")));
    }

    void put(String path, Object raw, String source) {
        values.put(path, new Setting(raw, source));
    }

    String source(String path) {
        return values.get(path).source();
    }

    /**
     * Export headers: {@code k=v,k2=v2} text (the OTEL_EXPORTER_OTLP_HEADERS form) or a JSON object. They are
     * credentials, so an error names the key and the position, never the value.
     */
    Map<String, String> headers(String path) {
        Setting setting = values.get(path);
        Object raw = setting.raw();
        if (raw instanceof JsonNode node && node.isObject()) {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isString()) {
                    throw new ConfigException(path + " (from " + setting.source() + "): header '" + e.getKey()
                            + "' must have a string value");
                }
                out.put(e.getKey(), e.getValue().stringValue());
            }
            String problem = OtlpEndpoints.headersProblem(out);
            if (problem != null) {
                throw new ConfigException(path + " (from " + setting.source() + "): " + problem);
            }
            return out;
        }
        String text = switch (raw) {
            case String t -> t;
            case JsonNode node when node.isString() -> node.stringValue();
            default -> throw new ConfigException(path + " (from " + setting.source()
                    + ") must be a string k=v,k2=v2 or an object of strings");
        };
        try {
            return OtlpEndpoints.parseHeaders(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + " (from " + setting.source() + "): " + e.getMessage());
        }
    }

    /**
     * Regexes contain commas, so unlike other lists a string is not split: it is one expression, or, when it starts
     * with {@code [}, a JSON array of them (the form for an environment variable holding several).
     */
    List<String> regexes(String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = values.get(path);
        Object raw = setting.raw();
        if (raw instanceof String text && text.trim().startsWith("[")) {
            try {
                raw = ENV_JSON.readTree(text);
            } catch (JacksonException e) {
                throw new ConfigException(path + " (from " + setting.source() + ") starts with '[' but is not a "
                        + "JSON array of strings: " + e.getOriginalMessage());
            }
        }
        List<String> values = strings(raw, text -> List.of(text), key, setting);
        List<String> patterns = values.stream().filter(v -> !v.isBlank()).toList();
        for (int i = 0; i < patterns.size(); i++) {
            try {
                Pattern.compile(patterns.get(i));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(path + "[" + i + "] (from " + setting.source() + ") is not a valid Java "
                        + "regular expression: " + e.getDescription() + " near index " + e.getIndex() + " of "
                        + shown(patterns.get(i)));
            }
        }
        return patterns;
    }

    /** The strings of a list setting: defaults, a JSON array, or text that {@code split} turns into items. */
    private static List<String> strings(Object raw, Function<String, List<String>> split, Key key, Setting setting) {
        List<String> values = new ArrayList<>();
        switch (raw) {
            case List<?> defaults -> defaults.forEach(v -> values.add(v.toString()));
            case String text -> values.addAll(split.apply(text));
            case JsonNode node when node.isString() -> values.addAll(split.apply(node.stringValue()));
            case JsonNode node when node.isArray() -> {
                for (JsonNode item : node) {
                    if (!item.isString()) {
                        throw invalid(key, setting);
                    }
                    values.add(item.stringValue());
                }
            }
            default -> throw invalid(key, setting);
        }
        return values;
    }

    private static ConfigException invalid(Key key, Setting setting) {
        return new ConfigException(key.path() + " (from " + setting.source() + ") must be " + key.rule()
                + ", got " + shown(setting.raw()));
    }

    /** The refused value as JSON on one line (an environment variable may hold newlines), cut when long. */
    private static String shown(Object raw) {
        String json = raw instanceof String text ? StringNode.valueOf(text).toString() : String.valueOf(raw);
        return json.length() <= SHOWN_MAX ? json : json.substring(0, SHOWN_MAX) + "…";
    }

    String str(String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = values.get(path);
        String value = switch (setting.raw()) {
            case String text -> text.trim();
            case JsonNode node when node.isString() -> node.stringValue().trim();
            default -> throw invalid(key, setting);
        };
        if (key.type() == ConfigKeys.Type.CHOICE) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (!key.choices().contains(lower)) {
                throw invalid(key, setting);
            }
            return lower;
        }
        if (value.isEmpty()) {
            throw new ConfigException(path + " (from " + setting.source() + ") must not be empty");
        }
        return value;
    }

    /** A string that may be left empty; empty reads as null. */
    String optionalStr(String path) {
        Setting setting = values.get(path);
        String value = switch (setting.raw()) {
            case String text -> text.trim();
            case JsonNode node when node.isString() -> node.stringValue().trim();
            default -> throw new ConfigException(path + " (from " + setting.source() + ") must be a string");
        };
        return value.isEmpty() ? null : value;
    }

    double num(String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = values.get(path);
        boolean integral = key.type() != ConfigKeys.Type.DOUBLE;
        double value;
        switch (setting.raw()) {
            case Number n -> value = n.doubleValue();
            case String text -> {
                try {
                    value = integral ? Long.parseLong(text.trim()) : Double.parseDouble(text.trim());
                } catch (NumberFormatException e) {
                    throw invalid(key, setting);
                }
            }
            case JsonNode node when integral && node.isIntegralNumber() && node.canConvertToLong() ->
                    value = node.longValue();
            case JsonNode node when !integral && node.isNumber() -> value = node.doubleValue();
            default -> throw invalid(key, setting);
        }
        if (Double.isNaN(value) || value < key.min() || value > key.max()) {
            throw invalid(key, setting);
        }
        return value;
    }

    boolean bool(String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = values.get(path);
        return switch (setting.raw()) {
            case Boolean b -> b;
            case String text when text.trim().equalsIgnoreCase("true") -> true;
            case String text when text.trim().equalsIgnoreCase("false") -> false;
            case JsonNode node when node.isBoolean() -> node.booleanValue();
            default -> throw invalid(key, setting);
        };
    }

    List<String> list(String path) {
        Key key = ConfigKeys.ALL.get(path);
        Setting setting = values.get(path);
        List<String> values = strings(setting.raw(), text -> Arrays.asList(text.split(",")), key, setting);
        return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
}
