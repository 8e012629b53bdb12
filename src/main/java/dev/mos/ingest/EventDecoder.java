package dev.mos.ingest;

import static dev.mos.ingest.EventLimits.*;

import dev.mos.ingest.privacy.Redactor;
import dev.mos.model.DisplayInfo;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Turns an event as a client sent it (a JSON object already parsed into maps and lists) into a {@link NewEvent}.
 * Breaking a structural rule refuses the event with a message naming the field and the rule; a string that is
 * merely too long is cut, with a visible marker, and reported back.
 */
public final class EventDecoder {

    /** Event fields; "id" and "sequence" are accepted and ignored so that exported events can be sent again. */
    private static final Set<String> KNOWN_FIELDS = Set.of("session_id", "event_type", "status", "timestamp",
            "duration_ms", "parent_id", "correlation_id", "details", "display_info", "id", "sequence");
    private static final Set<String> NAMED_COLORS = Set.of("black", "red", "green", "yellow", "blue", "magenta",
            "cyan", "white", "gray", "grey", "orange", "purple", "pink", "brown", "default");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern HEX_COLOR = Pattern.compile("#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})");

    private final JsonMapper json;
    private final Clock clock;
    private final Redactor redactor;

    /** A decoder that keeps text as sent (tests, tools that re-read stored events). */
    public EventDecoder(JsonMapper json, Clock clock) {
        this(json, clock, Redactor.off());
    }

    /**
     * {@code redactor} scrubs every string of an event's name, description and details, so that a secret a client
     * put into a plain {@code log_event} never reaches the store either.
     */
    public EventDecoder(JsonMapper json, Clock clock, Redactor redactor) {
        this.json = json;
        this.clock = clock;
        this.redactor = redactor;
    }

    public DecodedEvent decode(Object raw) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw new EventRejectedException("event", "must be a JSON object, got " + describe(raw));
        }
        List<String> notes = new ArrayList<>();
        for (Object key : map.keySet()) {
            if (!KNOWN_FIELDS.contains(String.valueOf(key))) {
                throw new EventRejectedException(shownKey(String.valueOf(key)), "is not an event field; known fields are "
                        + "session_id, event_type, status, timestamp, duration_ms, parent_id, correlation_id, "
                        + "details, display_info");
            }
        }
        String sessionId = identifier(map, "session_id", true);
        EventType type = EventType.fromWire(requiredString(map, "event_type")).orElseThrow(() ->
                new EventRejectedException("event_type", "must be one of " + String.join(", ",
                        EventType.wireNames()) + ", got \"" + map.get("event_type") + "\""));
        EventStatus status = status(map, type);
        long timestamp = timestamp(map.get("timestamp"));
        Long duration = duration(map.get("duration_ms"));
        String parentId = identifier(map, "parent_id", false);
        String correlationId = identifier(map, "correlation_id", false);

        String name = null;
        String description = null;
        String detailsJson = null;
        Object details = map.get("details");
        if (details != null) {
            if (!(details instanceof Map<?, ?> detailMap)) {
                throw new EventRejectedException("details", "must be an object, got " + describe(details));
            }
            Map<String, Object> rest = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : detailMap.entrySet()) {
                String key = String.valueOf(entry.getKey());
                Object value = entry.getValue();
                switch (key) {
                    case "name" -> name = redactor.redact(
                            optionalText("details.name", value, MAX_NAME_LENGTH, notes));
                    case "description" -> description = redactor.redact(
                            optionalText("details.description", value, MAX_STRING_LENGTH, notes));
                    default -> rest.put(key, value);
                }
            }
            checkObject("details", rest, 1, notes, rest);
            if (!rest.isEmpty()) {
                detailsJson = json.writeValueAsString(rest);
                if (detailsJson.length() > MAX_DETAILS_JSON_CHARS) {
                    throw new EventRejectedException("details", "must serialise to at most "
                            + MAX_DETAILS_JSON_CHARS + " characters of JSON, got " + detailsJson.length());
                }
            }
        }
        DisplayInfo display = displayInfo(map.get("display_info"), notes);
        NewEvent event = new NewEvent(sessionId, type, status, timestamp, duration, parentId, correlationId, name,
                description, detailsJson, display);
        return new DecodedEvent(event, notes);
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> value.getClass().getSimpleName();
        };
    }

    private static String requiredString(Map<?, ?> map, String field) {
        Object value = map.get(field);
        if (value == null) {
            throw new EventRejectedException(field, "is required");
        }
        if (!(value instanceof String text)) {
            throw new EventRejectedException(field, "must be a string, got " + describe(value));
        }
        return text;
    }

    private static String identifier(Map<?, ?> map, String field, boolean required) {
        Object value = map.get(field);
        if (value == null) {
            if (required) {
                throw new EventRejectedException(field, "is required");
            }
            return null;
        }
        if (value instanceof Number n && !required) {
            value = n.toString();
        }
        if (!(value instanceof String text)) {
            throw new EventRejectedException(field, "must be a string, got " + describe(value));
        }
        if (text.isBlank()) {
            if (required) {
                throw new EventRejectedException(field, "must not be empty");
            }
            return null;
        }
        if (text.length() > MAX_ID_LENGTH) {
            throw new EventRejectedException(field, "must be at most " + MAX_ID_LENGTH + " characters, got "
                    + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new EventRejectedException(field, "must not contain control characters");
            }
        }
        return text;
    }

    private static EventStatus status(Map<?, ?> map, EventType type) {
        Object value = map.get("status");
        if (value == null) {
            return switch (type.role()) {
                case START -> EventStatus.STARTED;
                case PROGRESS -> EventStatus.RUNNING;
                case END -> EventStatus.SUCCESS;
                case FAIL -> EventStatus.ERROR;
            };
        }
        return EventStatus.fromWire(value instanceof String s ? s : "").orElseThrow(() ->
                new EventRejectedException("status", "must be one of " + String.join(", ", EventStatus.wireNames())
                        + ", got " + (value instanceof String ? "\"" + value + "\"" : describe(value))));
    }

    private long timestamp(Object value) {
        switch (value) {
            case null -> {
                return clock.millis();
            }
            case Number n when n.doubleValue() >= 0 && n.doubleValue() < 1e14 -> {
                return n.longValue();
            }
            case String text -> {
                try {
                    return IsoInstant.parseMillis(text);
                } catch (ArithmeticException e) { // a valid instant beyond epoch milliseconds (year +999999999)
                    throw new EventRejectedException("timestamp", "is out of range, got \"" + text + "\"");
                } catch (DateTimeParseException e) {
                    try {
                        return OffsetDateTime.parse(text).toInstant().toEpochMilli();
                    } catch (ArithmeticException tooFar) { // "+999999999-12-31T23:59Z": valid, no epoch millis
                        throw new EventRejectedException("timestamp", "is out of range, got \"" + text + "\"");
                    } catch (DateTimeParseException again) {
                        throw new EventRejectedException("timestamp", "must be an ISO-8601 instant such as "
                                + "2026-11-25T15:04:05.123Z or epoch milliseconds, got \"" + text + "\"");
                    }
                }
            }
            default -> throw new EventRejectedException("timestamp",
                    "must be an ISO-8601 string or non-negative epoch milliseconds, got " + describe(value));
        }
    }

    private static Long duration(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n) || Double.isNaN(n.doubleValue())) {
            throw new EventRejectedException("duration_ms", "must be a number, got " + describe(value));
        }
        double ms = n.doubleValue();
        if (ms < 0 || ms > MAX_DURATION_MS) {
            throw new EventRejectedException("duration_ms", "must be between 0 and " + MAX_DURATION_MS + ", got "
                    + n);
        }
        return Math.round(ms);
    }

    private static String optionalText(String field, Object value, int max, List<String> notes) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new EventRejectedException(field, "must be a string, got " + describe(value));
        }
        return truncate(field, text, max, notes);
    }

    static String truncate(String field, String text, int max, List<String> notes) {
        if (text.length() <= max) {
            return text;
        }
        int cut = max;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        notes.add(field + " truncated from " + text.length() + " to " + cut + " characters");
        return text.substring(0, cut) + "…[truncated " + (text.length() - cut) + " chars]";
    }

    /** Checks one object level and recurses; over-long strings are replaced in {@code target}. */
    @SuppressWarnings("unchecked")
    private void checkObject(String path, Map<?, ?> object, int depth, List<String> notes,
            Map<String, Object> target) {
        if (depth > MAX_DETAILS_DEPTH) {
            throw new EventRejectedException(path, "nests deeper than " + MAX_DETAILS_DEPTH + " levels");
        }
        if (object.size() > MAX_KEYS) {
            throw new EventRejectedException(path, "has " + object.size() + " keys; at most " + MAX_KEYS
                    + " are allowed per object");
        }
        for (Map.Entry<?, ?> entry : object.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.length() > MAX_KEY_LENGTH) {
                throw new EventRejectedException(path, "has a key of " + key.length() + " characters; keys may be "
                        + "at most " + MAX_KEY_LENGTH);
            }
            String childPath = path + "." + key;
            Object value = entry.getValue();
            Object checked = checkValue(childPath, value, depth, notes);
            if (checked != value) {
                target.put(key, checked);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Object checkValue(String path, Object value, int depth, List<String> notes) {
        switch (value) {
            case String text -> {
                return truncate(path, redactor.redact(text), MAX_STRING_LENGTH, notes);
            }
            case Map<?, ?> child -> {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) child);
                checkObject(path, child, depth + 1, notes, copy);
                return copy;
            }
            case List<?> list -> {
                if (list.size() > MAX_ARRAY_LENGTH) {
                    throw new EventRejectedException(path, "has " + list.size() + " items; arrays may hold at most "
                            + MAX_ARRAY_LENGTH);
                }
                if (depth + 1 > MAX_DETAILS_DEPTH) {
                    throw new EventRejectedException(path, "nests deeper than " + MAX_DETAILS_DEPTH + " levels");
                }
                List<Object> copy = null;
                for (int i = 0; i < list.size(); i++) {
                    Object item = list.get(i);
                    Object checked = checkValue(path + "[" + i + "]", item, depth + 1, notes);
                    if (checked != item) {
                        if (copy == null) {
                            copy = new ArrayList<>(list);
                        }
                        copy.set(i, checked);
                    }
                }
                return copy == null ? list : copy;
            }
            default -> {
                return value;
            }
        }
    }

    private static DisplayInfo displayInfo(Object value, List<String> notes) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new EventRejectedException("display_info", "must be an object, got " + describe(value));
        }
        for (Object key : map.keySet()) {
            if (!Set.of("name", "description", "icon", "color").contains(String.valueOf(key))) {
                throw new EventRejectedException("display_info." + key,
                        "is not a display field; allowed are name, description, icon, color");
            }
        }
        String name = optionalText("display_info.name", map.get("name"), MAX_DISPLAY_NAME_LENGTH, notes);
        String description = optionalText("display_info.description", map.get("description"),
                MAX_DISPLAY_DESCRIPTION_LENGTH, notes);
        String icon = optionalText("display_info.icon", map.get("icon"), Integer.MAX_VALUE, notes);
        if (icon != null && icon.codePointCount(0, icon.length()) > MAX_ICON_CODE_POINTS) {
            throw new EventRejectedException("display_info.icon", "must be at most " + MAX_ICON_CODE_POINTS
                    + " characters (an emoji or a short symbol)");
        }
        String color = optionalText("display_info.color", map.get("color"), Integer.MAX_VALUE, notes);
        if (color != null && (color.length() > MAX_COLOR_LENGTH
                || !NAMED_COLORS.contains(color.toLowerCase()) && !HEX_COLOR.matcher(color).matches())) {
            throw new EventRejectedException("display_info.color", "must be a colour name (" + String.join(", ",
                    NAMED_COLORS.stream().sorted().toList()) + ") or #rgb/#rrggbb, got \"" + color + "\"");
        }
        if (name == null && description == null && icon == null && color == null) {
            return null;
        }
        return new DisplayInfo(name, description, icon, color);
    }

    /**
     * An unknown key as the refusal names it: a plain name as it is, anything else (empty, blank, control
     * characters, very long) as a cut JSON string, so that the message keeps a visible subject on one line.
     */
    private static String shownKey(String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return key;
        }
        return StringNode.valueOf(key.length() > 64 ? key.substring(0, 64) + "…" : key).toString();
    }
}
