package dev.mos.health;

/** A threshold crossed at a health check: what, how bad, the value and the limit. */
public record Alert(String timestamp, String name, String severity, String message, double value, double limit) {
}
