package dev.mos.mcp;

/** A tool argument that breaks a rule; the message names the parameter and the rule. */
public final class InvalidArgumentException extends RuntimeException {

    public InvalidArgumentException(String message) {
        super(message, null, false, false);
    }
}
