package dev.mos.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.MutableClock;
import dev.mos.model.EventStatus;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class EventDecoderTest {

    private static final long NOW = 1_764_000_000_000L;

    private final MutableClock clock = new MutableClock(NOW);
    private final JsonMapper json = JsonMapper.builder().build();
    private final EventDecoder decoder = new EventDecoder(json, clock);

    private static Map<String, Object> valid() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("session_id", "s1");
        raw.put("event_type", "tool_pre_call");
        return raw;
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> raw = valid();
        raw.put(key, value);
        return raw;
    }

    private static Map<String, Object> withDetails(Map<String, Object> details) {
        return with("details", details);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Object raw, String field) {
        return assertThatThrownBy(() -> decoder.decode(raw))
                .isInstanceOf(EventRejectedException.class)
                .satisfies(e -> assertThat(((EventRejectedException) e).field()).isEqualTo(field))
                .hasMessageStartingWith(field + " ");
    }

    /** A details object with {@code levels} object levels, details itself counting as the first. */
    private static Map<String, Object> nested(int levels) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("leaf", 1);
        for (int i = 1; i < levels; i++) {
            Map<String, Object> outer = new LinkedHashMap<>();
            outer.put("a", inner);
            inner = outer;
        }
        return inner;
    }

    @Test
    void aRedactingDecoderScrubsSecretsFromPlainEventsAtAnyDepth() {
        EventDecoder redacting = new EventDecoder(json, clock, new dev.mos.ingest.privacy.Redactor(
                List.of("tenant-[0-9]{5}")));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", "call with sk-ant-api03-abcdefghijklmnopqrstuvwx");
        details.put("description", "Authorization: Bearer abcdefghijklmn0123");
        details.put("env", List.of("OK=1", "DB_PASSWORD=hunter2hunter2"));
        details.put("nested", Map.of("url", "postgres://app:pa55word@db:5432/x", "id", "tenant-12345"));
        NewEvent e = redacting.decode(withDetails(details)).event();

        String all = e.name() + e.description() + e.detailsJson();
        assertThat(all).doesNotContain("abcdefghijklmnopqrstuvwx", "abcdefghijklmn0123", "hunter2hunter2",
                "pa55word", "tenant-12345").contains("[REDACTED]").contains("OK=1");
        // the plain decoder keeps text as sent
        assertThat(decoder.decode(withDetails(details)).event().detailsJson()).contains("hunter2hunter2");
    }

    @Test
    void decodesAMinimalEvent() {
        DecodedEvent decoded = decoder.decode(valid());

        NewEvent e = decoded.event();
        assertThat(e.sessionId()).isEqualTo("s1");
        assertThat(e.type()).isEqualTo(EventType.TOOL_PRE_CALL);
        assertThat(e.status()).isEqualTo(EventStatus.STARTED);
        assertThat(e.timestamp()).isEqualTo(NOW);
        assertThat(e.durationMs()).isNull();
        assertThat(e.name()).isNull();
        assertThat(e.detailsJson()).isNull();
        assertThat(e.displayInfo()).isNull();
        assertThat(decoded.truncations()).isEmpty();
    }

    @Test
    void refusesNonObjects() {
        assertRejected(List.of(1), "event").hasMessageContaining("must be a JSON object, got an array");
        assertRejected("text", "event").hasMessageContaining("got a string");
    }

    @Test
    void missingSessionIdIsRefused() {
        Map<String, Object> raw = valid();
        raw.remove("session_id");
        assertRejected(raw, "session_id").hasMessage("session_id is required");
    }

    @Test
    void blankOrNonStringSessionIdIsRefused() {
        assertRejected(with("session_id", "  "), "session_id").hasMessageContaining("must not be empty");
        assertRejected(with("session_id", 42), "session_id").hasMessageContaining("must be a string, got a number");
        assertRejected(with("session_id", "x".repeat(EventLimits.MAX_ID_LENGTH + 1)), "session_id")
                .hasMessageContaining("at most " + EventLimits.MAX_ID_LENGTH);
        assertRejected(with("session_id", "a\nb"), "session_id").hasMessageContaining("control characters");
    }

    @Test
    void badEventTypeListsTheAllowedValues() {
        assertRejected(with("event_type", "tool_call"), "event_type")
                .hasMessageContaining("\"tool_call\"")
                .hasMessageContaining(String.join(", ", EventType.wireNames()));
        Map<String, Object> missing = valid();
        missing.remove("event_type");
        assertRejected(missing, "event_type").hasMessage("event_type is required");
    }

    @Test
    void badStatusListsTheAllowedValues() {
        assertRejected(with("status", "done"), "status")
                .hasMessageContaining("must be one of started, running, success, error, timeout")
                .hasMessageContaining("\"done\"");
        assertRejected(with("status", 3), "status").hasMessageContaining("got a number");
    }

    @Test
    void badTimestampIsRefused() {
        assertRejected(with("timestamp", "yesterday"), "timestamp")
                .hasMessageContaining("ISO-8601").hasMessageContaining("\"yesterday\"");
        assertRejected(with("timestamp", -5), "timestamp").hasMessageContaining("non-negative epoch milliseconds");
        assertRejected(with("timestamp", true), "timestamp").hasMessageContaining("got a boolean");
        assertRejected(with("timestamp", 1e15), "timestamp");
    }

    @Test
    void negativeOrNonNumericDurationIsRefused() {
        assertRejected(with("duration_ms", -1), "duration_ms")
                .hasMessageContaining("must be between 0 and " + EventLimits.MAX_DURATION_MS);
        assertRejected(with("duration_ms", EventLimits.MAX_DURATION_MS + 1), "duration_ms");
        assertRejected(with("duration_ms", "12"), "duration_ms").hasMessageContaining("must be a number");
        assertThat(decoder.decode(with("duration_ms", 12.6)).event().durationMs()).isEqualTo(13L);
        assertThat(decoder.decode(with("duration_ms", 0)).event().durationMs()).isZero();
    }

    @Test
    void detailsMustBeAnObject() {
        assertRejected(with("details", "text"), "details").hasMessage("details must be an object, got a string");
        assertRejected(with("details", List.of()), "details").hasMessageContaining("got an array");
    }

    @Test
    void detailsDeeperThanTheLimitAreRefused() {
        assertThat(decoder.decode(withDetails(nested(EventLimits.MAX_DETAILS_DEPTH))).event().detailsJson())
                .contains("\"leaf\":1");

        assertThatThrownBy(() -> decoder.decode(withDetails(nested(EventLimits.MAX_DETAILS_DEPTH + 1))))
                .isInstanceOf(EventRejectedException.class)
                .hasMessageContaining("nests deeper than " + EventLimits.MAX_DETAILS_DEPTH + " levels")
                .satisfies(e -> assertThat(((EventRejectedException) e).field()).startsWith("details.a"));
    }

    @Test
    void arraysCountAsALevelOfNesting() {
        Map<String, Object> details = nested(EventLimits.MAX_DETAILS_DEPTH);
        // replace the deepest leaf by an array: one level too deep
        Map<String, Object> deepest = details;
        while (deepest.get("a") instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> next = (Map<String, Object>) m;
            deepest = next;
        }
        deepest.put("leaf", List.of(1, 2));
        assertThatThrownBy(() -> decoder.decode(withDetails(details)))
                .isInstanceOf(EventRejectedException.class)
                .hasMessageContaining("nests deeper than");
    }

    @Test
    void arraysLongerThanTheLimitAreRefused() {
        List<Integer> ok = Collections.nCopies(EventLimits.MAX_ARRAY_LENGTH, 1);
        assertThat(decoder.decode(withDetails(Map.of("items", ok))).event().detailsJson()).startsWith("{\"items\":[");

        List<Integer> tooLong = Collections.nCopies(EventLimits.MAX_ARRAY_LENGTH + 1, 1);
        assertRejected(withDetails(Map.of("items", tooLong)), "details.items")
                .hasMessageContaining("has " + (EventLimits.MAX_ARRAY_LENGTH + 1) + " items")
                .hasMessageContaining("at most " + EventLimits.MAX_ARRAY_LENGTH);
    }

    @Test
    void objectsWithTooManyKeysAreRefused() {
        Map<String, Object> ok = new LinkedHashMap<>();
        for (int i = 0; i < EventLimits.MAX_KEYS; i++) {
            ok.put("k" + i, i);
        }
        ok.put("name", "Read"); // extracted, not counted among the free keys
        assertThat(decoder.decode(withDetails(ok)).event().name()).isEqualTo("Read");

        Map<String, Object> nestedTooMany = new LinkedHashMap<>();
        for (int i = 0; i <= EventLimits.MAX_KEYS; i++) {
            nestedTooMany.put("k" + i, i);
        }
        assertRejected(withDetails(Map.of("input", nestedTooMany)), "details.input")
                .hasMessageContaining("has " + (EventLimits.MAX_KEYS + 1) + " keys")
                .hasMessageContaining("at most " + EventLimits.MAX_KEYS);
    }

    @Test
    void keysLongerThanTheLimitAreRefused() {
        String okKey = "k".repeat(EventLimits.MAX_KEY_LENGTH);
        assertThat(decoder.decode(withDetails(Map.of(okKey, 1))).event().detailsJson()).contains(okKey);

        String longKey = "k".repeat(EventLimits.MAX_KEY_LENGTH + 1);
        assertRejected(withDetails(Map.of(longKey, 1)), "details")
                .hasMessageContaining("key of " + (EventLimits.MAX_KEY_LENGTH + 1) + " characters")
                .hasMessageContaining("at most " + EventLimits.MAX_KEY_LENGTH);
    }

    @Test
    void unknownTopLevelFieldIsRefused() {
        assertRejected(with("sesion_id", "typo"), "sesion_id")
                .hasMessageContaining("is not an event field")
                .hasMessageContaining("session_id, event_type");
    }

    @Test
    void displayInfoIsValidated() {
        assertRejected(with("display_info", Map.of("color", "chartreuse")), "display_info.color")
                .hasMessageContaining("\"chartreuse\"").hasMessageContaining("#rgb/#rrggbb");
        assertRejected(with("display_info", Map.of("color", "#12345")), "display_info.color");
        assertRejected(with("display_info", Map.of("icon", "🔧".repeat(EventLimits.MAX_ICON_CODE_POINTS + 1))),
                "display_info.icon").hasMessageContaining("at most " + EventLimits.MAX_ICON_CODE_POINTS);
        assertRejected(with("display_info", Map.of("iconz", "x")), "display_info.iconz")
                .hasMessageContaining("not a display field");
        assertRejected(with("display_info", "red"), "display_info").hasMessageContaining("must be an object");

        var ok = decoder.decode(with("display_info",
                Map.of("icon", "🔧".repeat(EventLimits.MAX_ICON_CODE_POINTS), "color", "#A0b1C2", "name", "Read it")))
                .event().displayInfo();
        assertThat(ok.icon()).isEqualTo("🔧".repeat(EventLimits.MAX_ICON_CODE_POINTS));
        assertThat(ok.color()).isEqualTo("#A0b1C2");
        assertThat(ok.name()).isEqualTo("Read it");
        assertThat(decoder.decode(with("display_info", Map.of("color", "Red"))).event().displayInfo().color())
                .isEqualTo("Red");
        assertThat(decoder.decode(with("display_info", Map.of())).event().displayInfo()).isNull();
    }

    @Test
    void overLongStringsAreTruncatedWithAMarkerAndANote() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", "n".repeat(EventLimits.MAX_NAME_LENGTH + 5));
        details.put("description", "d".repeat(EventLimits.MAX_STRING_LENGTH + 1));
        details.put("output", Map.of("stdout", "o".repeat(EventLimits.MAX_STRING_LENGTH + 100)));
        details.put("lines", List.of("short", "l".repeat(EventLimits.MAX_STRING_LENGTH + 2)));
        Map<String, Object> raw = withDetails(details);
        raw.put("display_info", Map.of("name", "x".repeat(EventLimits.MAX_DISPLAY_NAME_LENGTH + 3)));

        DecodedEvent decoded = decoder.decode(raw);
        NewEvent e = decoded.event();

        assertThat(e.name()).isEqualTo("n".repeat(EventLimits.MAX_NAME_LENGTH) + "…[truncated 5 chars]");
        assertThat(e.description()).startsWith("d".repeat(EventLimits.MAX_STRING_LENGTH))
                .endsWith("…[truncated 1 chars]");
        assertThat(e.detailsJson()).contains("…[truncated 100 chars]").contains("…[truncated 2 chars]")
                .contains("\"short\"").doesNotContain("o".repeat(EventLimits.MAX_STRING_LENGTH + 1));
        assertThat(e.displayInfo().name()).endsWith("…[truncated 3 chars]");
        assertThat(decoded.truncations()).containsExactlyInAnyOrder(
                "details.name truncated from 205 to 200 characters",
                "details.description truncated from 10001 to 10000 characters",
                "details.output.stdout truncated from 10100 to 10000 characters",
                "details.lines[1] truncated from 10002 to 10000 characters",
                "display_info.name truncated from 103 to 100 characters");
    }

    @Test
    void truncationDoesNotSplitASurrogatePair() {
        String name = "a".repeat(EventLimits.MAX_NAME_LENGTH - 1) + "😀" + "tail";
        NewEvent e = decoder.decode(withDetails(Map.of("name", name))).event();

        assertThat(e.name()).startsWith("a".repeat(EventLimits.MAX_NAME_LENGTH - 1) + "…[truncated");
        assertThat(Character.isHighSurrogate(e.name().charAt(EventLimits.MAX_NAME_LENGTH - 1))).isFalse();
    }

    @Test
    void stringsAtTheLimitAreKeptWhole() {
        String exact = "d".repeat(EventLimits.MAX_STRING_LENGTH);
        DecodedEvent decoded = decoder.decode(withDetails(Map.of("description", exact)));

        assertThat(decoded.event().description()).isEqualTo(exact);
        assertThat(decoded.truncations()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "task_started, started",
            "task_progress, running",
            "task_complete, success",
            "task_failed, error",
            "tool_pre_call, started",
            "tool_post_call, success",
            "tool_error, error",
            "mcp_request, started",
            "mcp_response, success",
            "mcp_error, error",
            "subagent_spawn, started",
            "subagent_complete, success",
            "subagent_failed, error"})
    void statusDefaultsByRole(String type, String expectedStatus) {
        NewEvent e = decoder.decode(with("event_type", type)).event();

        assertThat(e.type().wireName()).isEqualTo(type);
        assertThat(e.status().wireName()).isEqualTo(expectedStatus);
    }

    @Test
    void explicitStatusWinsOverTheDefault() {
        Map<String, Object> raw = with("event_type", "tool_post_call");
        raw.put("status", "timeout");
        assertThat(decoder.decode(raw).event().status()).isEqualTo(EventStatus.TIMEOUT);
    }

    @Test
    void timestampsMayBeIsoOrEpochMillis() {
        long expected = Instant.parse("2026-11-25T15:04:05.123Z").toEpochMilli();

        assertThat(decoder.decode(with("timestamp", "2026-11-25T15:04:05.123Z")).event().timestamp())
                .isEqualTo(expected);
        assertThat(decoder.decode(with("timestamp", "2026-11-25T16:04:05.123+01:00")).event().timestamp())
                .isEqualTo(expected);
        assertThat(decoder.decode(with("timestamp", expected)).event().timestamp()).isEqualTo(expected);
        assertThat(decoder.decode(with("timestamp", (double) expected)).event().timestamp()).isEqualTo(expected);
        clock.set(NOW + 42);
        assertThat(decoder.decode(valid()).event().timestamp()).isEqualTo(NOW + 42);
    }

    @Test
    void detailsNameAndDescriptionAreExtractedAndTheRestKeptAsJson() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", "Read");
        details.put("description", "Read a file");
        details.put("path", "/tmp/x");
        details.put("lines", List.of(1, 2));

        NewEvent e = decoder.decode(withDetails(details)).event();

        assertThat(e.name()).isEqualTo("Read");
        assertThat(e.description()).isEqualTo("Read a file");
        assertThat(e.detailsJson()).isEqualTo("{\"path\":\"/tmp/x\",\"lines\":[1,2]}");

        NewEvent onlyName = decoder.decode(withDetails(Map.of("name", "Bash"))).event();
        assertThat(onlyName.name()).isEqualTo("Bash");
        assertThat(onlyName.detailsJson()).isNull();

        assertRejected(withDetails(Map.of("name", 5)), "details.name").hasMessageContaining("must be a string");
    }

    @Test
    void identifiersAreKeptAndNumericParentIdsBecomeText() {
        Map<String, Object> raw = with("parent_id", 42);
        raw.put("correlation_id", "call-7");
        raw.put("id", "client-side-id");
        raw.put("sequence", 9);

        NewEvent e = decoder.decode(raw).event();

        assertThat(e.parentId()).isEqualTo("42");
        assertThat(e.correlationId()).isEqualTo("call-7");
        assertThat(decoder.decode(with("parent_id", "")).event().parentId()).isNull();
        assertRejected(with("correlation_id", "c".repeat(EventLimits.MAX_ID_LENGTH + 1)), "correlation_id");
    }

    @Test
    void detailsTooLargeAsJsonAreRefused() {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            chunks.add("z".repeat(EventLimits.MAX_STRING_LENGTH));
        }
        assertRejected(withDetails(Map.of("chunks", chunks)), "details")
                .hasMessageContaining("at most " + EventLimits.MAX_DETAILS_JSON_CHARS + " characters");
    }

    /** Found by EventDecoderFuzzTest: an empty or blank key made a refusal without a visible subject. */
    @Test
    void anUnusualKeyIsNamedAsAJsonStringInItsRefusal() {
        assertThatThrownBy(() -> decoder.decode(with("", "x"))).isInstanceOf(EventRejectedException.class)
                .hasMessageStartingWith("\"\" is not an event field");
        assertThatThrownBy(() -> decoder.decode(with(" ", "x"))).isInstanceOf(EventRejectedException.class)
                .hasMessageStartingWith("\" \" is not an event field");
        assertThatThrownBy(() -> decoder.decode(with("a\nb", "x"))).isInstanceOf(EventRejectedException.class)
                .hasMessageStartingWith("\"a\\nb\" is not an event field");
        assertThatThrownBy(() -> decoder.decode(with("k".repeat(500), "x"))).isInstanceOf(EventRejectedException.class)
                .hasMessageStartingWith("\"" + "k".repeat(64) + "…\" is not an event field");
        assertThatThrownBy(() -> decoder.decode(with("toolName", "x"))).isInstanceOf(EventRejectedException.class)
                .hasMessageStartingWith("toolName is not an event field");
    }

    /** An instant beyond epoch milliseconds used to escape as an ArithmeticException (a 500). */
    @Test
    void aTimestampBeyondEpochMillisecondsIsRefused() {
        assertThatThrownBy(() -> decoder.decode(with("timestamp", "+999999999-12-31T23:59:59Z")))
                .isInstanceOf(EventRejectedException.class)
                .hasMessage("timestamp is out of range, got \"+999999999-12-31T23:59:59Z\"");
    }
}
