/**
 * OTLP/HTTP receiver (protobuf and JSON) for Claude Code's OpenTelemetry: log events, metric points and beta trace
 * spans, each mapped onto the operations hooks report (same join keys) and stored through the one pipeline.
 */
package dev.mos.ingest.otlp;
