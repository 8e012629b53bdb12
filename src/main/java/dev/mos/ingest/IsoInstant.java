package dev.mos.ingest;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Epoch milliseconds of the UTC timestamps agents send ({@code 2026-11-25T15:04:05.123Z}: what JavaScript's
 * {@code toISOString()} writes), read without {@link java.time.format.DateTimeFormatter}, whose general parser
 * was a tenth of the CPU of a stdio {@code log_event} call. Any other form goes to {@link Instant#parse}.
 */
final class IsoInstant {

    private IsoInstant() {
    }

    /** The instant in epoch milliseconds; throws {@link java.time.format.DateTimeParseException} if it is none. */
    static long parseMillis(String text) {
        long fast = fastMillis(text);
        return fast != Long.MIN_VALUE ? fast : Instant.parse(text).toEpochMilli();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or Long.MIN_VALUE for anything else (left to the full parser). */
    private static long fastMillis(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        int millis = 0;
        if (n > 20) {
            int fraction = n - 21; // digits between the '.' and the 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Long.MIN_VALUE;
            }
            for (int i = 0; i < fraction; i++) {
                int d = s.charAt(20 + i) - '0';
                if (d < 0 || d > 9) {
                    return Long.MIN_VALUE;
                }
                if (i < 3) {
                    millis = millis * 10 + d;
                }
            }
            for (int i = fraction; i < 3; i++) {
                millis *= 10;
            }
        } else if (s.charAt(19) != 'Z') {
            return Long.MIN_VALUE;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1_000L + millis;
    }

    /** The decimal number in {@code s[from, from + count)}, or -1 when a character there is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }
}
