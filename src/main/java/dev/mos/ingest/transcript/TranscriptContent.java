package dev.mos.ingest.transcript;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reading the content of Claude Code's transcript entries: a message's blocks of one type, a prompt's text, a
 * tool result's text, a usage number, an entry's time.
 */
final class TranscriptContent {

    private TranscriptContent() {
    }

    static List<JsonNode> blocks(JsonNode message, String type) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode content = message.path("content");
        if (content.isArray()) {
            for (JsonNode block : content) {
                if (type.equals(block.path("type").asString(""))) {
                    out.add(block);
                }
            }
        }
        return out;
    }

    static String promptText(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isString()) {
            return content.stringValue();
        }
        return firstText(message);
    }

    static String firstText(JsonNode message) {
        for (JsonNode block : blocks(message, "text")) {
            if (block.path("text").isString()) {
                return block.path("text").stringValue();
            }
        }
        return message.path("content").isString() ? message.path("content").stringValue() : null;
    }

    /** A tool_result's content: a string, or text blocks joined. */
    static String contentText(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode block : content) {
                if (block.path("text").isString()) {
                    if (!sb.isEmpty()) {
                        sb.append('\n');
                    }
                    sb.append(block.path("text").stringValue());
                }
            }
            return sb.isEmpty() ? null : sb.toString();
        }
        return null;
    }

    /** A count or duration of {@code field}; left out when it is no number or none a {@code long} holds. */
    static void copyNumber(JsonNode from, String field, Map<String, Object> to, String as) {
        JsonNode n = from.path(field);
        if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                to.put(as, n.longValue());
            }
        } else if (n.isNumber() && Double.isFinite(n.doubleValue())) {
            to.put(as, n.doubleValue());
        }
    }


    static long time(JsonNode value) {
        if (!value.isString()) {
            return -1;
        }
        try {
            return Instant.parse(value.stringValue()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
