/**
 * Health and metrics: request statistics over a sliding window, the healthy/warning/critical verdict and the
 * alerts behind it, the periodic check, circuit breakers and the server's lifecycle state.
 */
package dev.mos.health;
