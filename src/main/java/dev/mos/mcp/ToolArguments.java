package dev.mos.mcp;

import dev.mos.audit.Actor;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed access to a tool's arguments with errors that name the parameter and the rule, and who passed them (the
 * sender of what log_event stores).
 */
public final class ToolArguments {

    private final String tool;
    private final Map<String, Object> values;
    private final Actor actor;

    public ToolArguments(String tool, Map<String, Object> values, Set<String> known, Actor actor) {
        this.tool = tool;
        this.actor = actor;
        this.values = values == null ? Map.of() : values;
        for (String key : this.values.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidArgumentException("unknown parameter '" + key + "' for " + tool + "; known: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    public Actor actor() {
        return actor;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public Object raw(String name) {
        return values.get(name);
    }

    public String string(String name, String defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof String s)) {
            throw new InvalidArgumentException(name + " must be a string");
        }
        return s;
    }

    public String choice(String name, String defaultValue, List<String> allowed) {
        String v = string(name, defaultValue);
        if (v == null && defaultValue == null) {
            return null; // an optional filter left out
        }
        if (!allowed.contains(v)) {
            throw new InvalidArgumentException(name + " must be one of " + String.join(", ", allowed) + ", got \""
                    + v + "\"");
        }
        return v;
    }

    public boolean bool(String name, boolean defaultValue) {
        Object v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Boolean b)) {
            throw new InvalidArgumentException(name + " must be true or false");
        }
        return b;
    }

    public Boolean optionalBool(String name) {
        return values.get(name) == null ? null : bool(name, false);
    }

    public Long optionalLong(String name, long min, long max) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue())) {
            throw new InvalidArgumentException(name + " must be an integer");
        }
        long value = n.longValue();
        if (value < min || value > max) {
            throw new InvalidArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** A number of 0 or more, or null when not given. */
    public Double optionalAmount(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() >= 0) || Double.isInfinite(n.doubleValue())) {
            throw new InvalidArgumentException(name + " must be a number of 0 or more, got " + v);
        }
        return n.doubleValue();
    }

    public long integer(String name, long defaultValue, long min, long max) {
        Long v = optionalLong(name, min, max);
        return v == null ? defaultValue : v;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new InvalidArgumentException(name + " must be an object");
        }
        return (Map<String, Object>) m;
    }

    public List<?> list(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            throw new InvalidArgumentException(name + " must be an array");
        }
        return l;
    }

    public String tool() {
        return tool;
    }
}
