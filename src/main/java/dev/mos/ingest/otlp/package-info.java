/** OTLP/HTTP receiver (protobuf and JSON): Claude Code's OpenTelemetry log events decoded into the one pipeline. */
package dev.mos.ingest.otlp;
