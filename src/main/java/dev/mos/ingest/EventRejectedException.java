package dev.mos.ingest;

/** An event that breaks a rule; the message names the field and the rule. */
public final class EventRejectedException extends RuntimeException {

    private final String field;

    public EventRejectedException(String field, String rule) {
        super(field + " " + rule, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
