package dev.mos.ingest.otlp;

/** A request body that is not a valid OTLP export request; the message says what is wrong. */
public final class OtlpFormatException extends RuntimeException {

    public OtlpFormatException(String message) {
        super(message, null, false, false);
    }
}
