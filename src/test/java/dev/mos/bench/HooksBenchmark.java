package dev.mos.bench;

import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.hooks.HookEventMapper;
import dev.mos.ingest.privacy.CapturePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CPU work of one {@code POST /hooks} request before the store, one op = one payload, alternating the
 * PreToolUse and PostToolUse payloads of {@code bench/hooks.lua} (~330 bytes): JSON body to map ({@code parse}),
 * plus mapping to MOS events with redaction and cutting ({@code parseMap}), plus the pipeline's decoding and
 * validation of those events, with its own redaction pass ({@code parseMapDecode}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HooksBenchmark {

    @State(Scope.Thread)
    public static class Payloads {
        final JsonMapper json = JsonMapper.builder().build();
        byte[][] bodies;
        HookEventMapper mapper;
        EventDecoder decoder;
        EventDecoder plainDecoder;
        int cursor;

        @Setup(Level.Trial)
        public void setUp() {
            bodies = new byte[1024][];
            for (int i = 0; i < bodies.length; i++) {
                boolean pre = i % 2 == 0;
                bodies[i] = ("{\"session_id\":\"wrk-" + (i % 16) + "\",\"prompt_id\":\"p-" + (i % 16)
                        + "\",\"cwd\":\"/home/dev/project\",\"transcript_path\":\"/home/dev/.claude/projects/x/"
                        + "wrk.jsonl\",\"permission_mode\":\"default\",\"hook_event_name\":\""
                        + (pre ? "PreToolUse" : "PostToolUse") + "\",\"tool_name\":\"Read\",\"tool_input\":"
                        + "{\"file_path\":\"src/Main.java\"},\"tool_use_id\":\"toolu_" + (i / 2) + "\""
                        + (pre ? "" : ",\"tool_response\":{\"content\":\"ok\"},\"duration_ms\":3") + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            CapturePolicy capture = CapturePolicy.defaults();
            mapper = new HookEventMapper(json, capture, new AgentLinks());
            decoder = new EventDecoder(json, Clock.systemUTC(), capture.redactor());
            plainDecoder = new EventDecoder(json, Clock.systemUTC());
        }

        byte[] next() {
            return bodies[cursor++ & (bodies.length - 1)];
        }
    }

    @Benchmark
    public Object parse(Payloads p) {
        return p.json.readValue(p.next(), Map.class);
    }

    @Benchmark
    public Object parseMap(Payloads p) {
        return p.mapper.map(p.json.readValue(p.next(), Map.class));
    }

    @Benchmark
    public void parseMapDecode(Payloads p, Blackhole bh) {
        List<Map<String, Object>> events = p.mapper.map(p.json.readValue(p.next(), Map.class));
        for (Map<String, Object> e : events) {
            bh.consume(p.decoder.decode(e));
        }
    }

    @Benchmark
    public void parseMapDecodeNoRedact(Payloads p, Blackhole bh) {
        List<Map<String, Object>> events = p.mapper.map(p.json.readValue(p.next(), Map.class));
        for (Map<String, Object> e : events) {
            bh.consume(p.plainDecoder.decode(e));
        }
    }
}
