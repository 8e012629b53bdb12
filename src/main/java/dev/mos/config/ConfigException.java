package dev.mos.config;

/** A configuration that cannot be used; the message is one line naming the key and the problem. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
