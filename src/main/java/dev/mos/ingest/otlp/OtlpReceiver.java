package dev.mos.ingest.otlp;

import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.hooks.ForeignHookPayloads;
import dev.mos.ingest.privacy.Redactor;
import dev.mos.model.CodingAgent;
import dev.mos.model.NewEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * OTLP export requests in, events of the agent that sent them (Claude Code, Codex, Gemini CLI, anything speaking
 * the GenAI conventions) through the one ingest pipeline out.
 */
public final class OtlpReceiver {

    /** What an export request did, for OTLP's partial-success response. */
    public record Outcome(int accepted, int rejected, String errorMessage) {
    }

    private final OtlpJsonDecoder json;
    private final OtlpProtoDecoder proto;
    private final ClaudeCodeOtelMapper logs;
    private final GeminiCliOtelMapper geminiLogs;
    private final CodexOtelMapper codexLogs;
    private final ClaudeCodeMetricMapper metrics;
    private final ClaudeCodeSpanMapper spans;
    private final GenAiSpanMapper genAiSpans;
    private final CodexSpanMapper codexSpans;
    private final CodexNotify codexNotify;
    private final IngestPipeline ingest;
    private final Clock clock;

    public OtlpReceiver(OtlpJsonDecoder json, OtlpProtoDecoder proto, ClaudeCodeOtelMapper logs,
            GeminiCliOtelMapper geminiLogs, CodexOtelMapper codexLogs, ClaudeCodeMetricMapper metrics,
            ClaudeCodeSpanMapper spans, GenAiSpanMapper genAiSpans, CodexSpanMapper codexSpans, CodexNotify codexNotify,
            IngestPipeline ingest, Clock clock) {
        this.json = json;
        this.proto = proto;
        this.logs = logs;
        this.geminiLogs = geminiLogs;
        this.codexLogs = codexLogs;
        this.metrics = metrics;
        this.spans = spans;
        this.genAiSpans = genAiSpans;
        this.codexSpans = codexSpans;
        this.codexNotify = codexNotify;
        this.ingest = ingest;
        this.clock = clock;
    }

    /**
     * The receiver with its decoders and the mappers of Claude Code, Gemini CLI, Codex and the GenAI conventions,
     * which share the attribute rules; each agent's events name it ({@link OtlpEvents}); Claude Code's mappers share
     * the joins between signals, {@code links} with the hooks.
     */
    public static OtlpReceiver create(JsonMapper json, Redactor redactor, AgentLinks links, String instanceId,
            IngestPipeline ingest, Clock clock) {
        OtlpAttributes attributes = new OtlpAttributes(redactor);
        OtlpEvents events = new OtlpEvents(json, CodingAgent.CLAUDE_CODE);
        OtlpEvents codexEvents = new OtlpEvents(json, CodingAgent.CODEX);
        OtlpJoins joins = new OtlpJoins();
        CodexThreads codex = new CodexThreads();
        return new OtlpReceiver(new OtlpJsonDecoder(json), new OtlpProtoDecoder(),
                new ClaudeCodeOtelMapper(attributes, events, links, joins),
                new GeminiCliOtelMapper(attributes, new OtlpEvents(json, CodingAgent.GEMINI_CLI),
                        new GeminiCliJoins(), json),
                new CodexOtelMapper(attributes, codexEvents, json, codex),
                new ClaudeCodeMetricMapper(attributes, events, joins),
                new ClaudeCodeSpanMapper(attributes, events, links, joins),
                new GenAiSpanMapper(attributes, new OtlpEvents(json, null), instanceId),
                new CodexSpanMapper(codexEvents, codex), new CodexNotify(codexEvents, codex, clock), ingest, clock);
    }

    /**
     * Codex's turn-complete {@code notify} payloads, which reach {@code /hooks}: mapped here, where the state of
     * Codex's conversations is kept.
     */
    public ForeignHookPayloads codexNotify() {
        return codexNotify;
    }

    /**
     * Maps and stores the log records of one request; a record that breaks a rule is counted as rejected, the
     * others are stored together. Throws {@link OtlpFormatException} when the body is not an export request.
     */
    public Outcome logs(byte[] body, boolean protobuf) {
        return logs(body, protobuf, null);
    }

    /** @param sender the name of the token that sent it, or null */
    public Outcome logs(byte[] body, boolean protobuf, String sender) {
        List<OtlpLogRecord> records = protobuf ? proto.logs(body) : json.logs(body);
        int rejected = 0;
        String firstError = null;
        List<NewEvent> events = new ArrayList<>(records.size() + 8);
        for (OtlpLogRecord record : records) {
            try {
                boolean gemini = GeminiCliOtelMapper.sentBy(
                        OtlpAttributes.text(record.attributes().get("event.name")), record.attributes());
                events.addAll(gemini ? geminiLogs.map(record)
                        : CodexOtelMapper.handles(record) ? codexLogs.map(record) : logs.map(record));
            } catch (EventRejectedException e) {
                rejected++;
                firstError = firstError == null ? e.getMessage() : firstError;
            }
        }
        ingest.acceptValid(events, "otlp", sender);
        return new Outcome(records.size() - rejected, rejected, firstError);
    }

    /** Records every metric point of a Claude Code session as a timeline event (see ClaudeCodeMetricMapper). */
    public Outcome metrics(byte[] body, boolean protobuf) {
        return metrics(body, protobuf, null);
    }

    public Outcome metrics(byte[] body, boolean protobuf, String sender) {
        List<OtlpMetricPoint> points = protobuf ? proto.metrics(body) : json.metrics(body);
        int rejected = 0;
        String firstError = null;
        List<NewEvent> events = new ArrayList<>(points.size());
        for (OtlpMetricPoint point : points) {
            try {
                NewEvent e = metrics.map(point);
                if (e != null) {
                    events.add(e);
                }
            } catch (EventRejectedException e) {
                rejected++;
                firstError = firstError == null ? e.getMessage() : firstError;
            }
        }
        ingest.acceptValid(events, "otlp", sender);
        return new Outcome(points.size() - rejected, rejected, firstError);
    }

    /**
     * Claude Code's spans onto the session's operations once their trace is complete (see ClaudeCodeSpanMapper);
     * spans exported by MOS or in the GenAI conventions each as one operation (see GenAiSpanMapper).
     */
    public Outcome traces(byte[] body, boolean protobuf) {
        return traces(body, protobuf, null);
    }

    public Outcome traces(byte[] body, boolean protobuf, String sender) {
        List<OtlpSpan> decoded = protobuf ? proto.spans(body) : json.spans(body);
        List<OtlpSpan> claude = new ArrayList<>(decoded.size());
        List<OtlpSpan> genAi = new ArrayList<>();
        for (OtlpSpan s : decoded) {
            if (GeminiCliOtelMapper.sentBy(s)) {
                continue; // Gemini CLI's spans: its log records carry all they tell, and the prompt they lack
            }
            (GenAiSpanMapper.handles(s) ? genAi : claude).add(s);
        }
        List<NewEvent> events;
        try {
            events = claude.isEmpty() ? new ArrayList<>() : new ArrayList<>(spans.map(claude, clock.millis()));
        } catch (EventRejectedException e) {
            return new Outcome(0, decoded.size(), e.getMessage());
        }
        int rejected = 0;
        String firstError = null;
        try {
            events.addAll(codexSpans.map(decoded)); // Codex turn ends; its spans have no session.id for the others
        } catch (EventRejectedException e) {
            rejected++;
            firstError = e.getMessage();
        }
        if (!genAi.isEmpty()) {
            GenAiSpanMapper.Result r = genAiSpans.map(genAi);
            events.addAll(r.events());
            rejected += r.rejected();
            firstError = firstError != null ? firstError : r.firstError();
        }
        ingest.acceptValid(events, "otlp", sender);
        return new Outcome(decoded.size() - rejected, rejected, firstError);
    }
}
