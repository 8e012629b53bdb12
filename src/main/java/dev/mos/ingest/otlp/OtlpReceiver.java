package dev.mos.ingest.otlp;

import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.IngestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OTLP export requests in, Claude Code events through the one ingest pipeline out. */
public final class OtlpReceiver {

    /** What an export request did, for OTLP's partial-success response. */
    public record Outcome(int accepted, int rejected, String errorMessage) {
    }

    private final OtlpJsonDecoder json;
    private final OtlpProtoDecoder proto;
    private final ClaudeCodeOtelMapper mapper;
    private final IngestPipeline ingest;

    public OtlpReceiver(OtlpJsonDecoder json, OtlpProtoDecoder proto, ClaudeCodeOtelMapper mapper,
            IngestPipeline ingest) {
        this.json = json;
        this.proto = proto;
        this.mapper = mapper;
        this.ingest = ingest;
    }

    /** Throws {@link OtlpFormatException} when the body is not an export request at all. */
    public Outcome logs(byte[] body, boolean protobuf) {
        List<OtlpLogRecord> records = protobuf ? proto.logs(body) : json.logs(body);
        int rejected = 0;
        String firstError = null;
        List<Map<String, Object>> events = new ArrayList<>(records.size() * 2);
        for (OtlpLogRecord record : records) {
            try {
                events.addAll(mapper.map(record));
            } catch (EventRejectedException e) {
                rejected++;
                firstError = firstError == null ? e.getMessage() : firstError;
            }
        }
        for (IngestResult result : ingest.acceptBatch(events, "otlp")) {
            if (!result.accepted()) {
                rejected++;
                firstError = firstError == null ? result.error() : firstError;
            }
        }
        return new Outcome(Math.max(0, records.size() - rejected), rejected, firstError);
    }

    /** Metric points are acknowledged and counted, not yet stored. */
    public Outcome metrics(byte[] body, boolean protobuf) {
        return new Outcome(protobuf ? proto.metricPoints(body) : json.metricPoints(body), 0, null);
    }

    /** Spans are acknowledged and counted, not yet mapped. */
    public Outcome traces(byte[] body, boolean protobuf) {
        return new Outcome(protobuf ? proto.spans(body) : json.spans(body), 0, null);
    }
}
