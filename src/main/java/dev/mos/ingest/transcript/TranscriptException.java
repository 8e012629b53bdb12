package dev.mos.ingest.transcript;

/** A transcript file that cannot be imported; the message names the file and what is wrong. */
public final class TranscriptException extends RuntimeException {

    public TranscriptException(String message) {
        super(message);
    }
}
