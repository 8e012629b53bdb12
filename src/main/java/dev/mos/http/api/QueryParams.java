package dev.mos.http.api;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Typed access to query parameters; every bad value fails with a message naming the parameter and the rule. */
final class QueryParams {

    private final HttpServletRequest request;

    QueryParams(HttpServletRequest request) {
        this.request = request;
    }

    String string(String name) {
        String v = request.getParameter(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    long integer(String name, long fallback, long min, long max) {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequestException("query parameter '" + name + "' must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new BadRequestException("query parameter '" + name + "' must be between " + min + " and " + max
                    + ", got " + n);
        }
        return n;
    }

    String choice(String name, String fallback, List<String> allowed) {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw new BadRequestException("query parameter '" + name + "' must be one of " + allowed + ", got '"
                    + v + "'");
        }
        return v;
    }

    /** ISO-8601 instant or epoch milliseconds; null when absent. */
    /** A number of 0 or more (a cost, say), or null when not given. */
    Double amount(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            double n = Double.parseDouble(v);
            if (n >= 0 && Double.isFinite(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new BadRequestException("query parameter '" + name + "' must be a number of 0 or more, e.g. 0.05, got '"
                + v + "'");
    }

    Long time(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        if (v.chars().allMatch(Character::isDigit)) {
            return integer(name, 0, 0, Long.MAX_VALUE);
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadRequestException("query parameter '" + name
                    + "' must be an ISO-8601 instant (2026-01-01T12:00:00Z) or epoch milliseconds, got '" + v + "'");
        }
    }
}
