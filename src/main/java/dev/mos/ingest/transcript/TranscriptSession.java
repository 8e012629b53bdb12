package dev.mos.ingest.transcript;

import java.nio.file.Path;
import java.util.Map;

/** One session's transcript file and its subagents' transcripts, by agent id. */
public record TranscriptSession(Path main, Map<String, Path> subagents) {

    public TranscriptSession {
        subagents = Map.copyOf(subagents);
    }
}
