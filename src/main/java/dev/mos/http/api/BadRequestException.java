package dev.mos.http.api;

/** A request parameter or path that breaks a rule; the message names it and is sent to the client as is. */
final class BadRequestException extends RuntimeException {

    BadRequestException(String message) {
        super(message, null, false, false);
    }
}
