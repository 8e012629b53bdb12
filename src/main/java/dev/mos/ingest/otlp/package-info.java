/**
 * OTLP/HTTP receiver (protobuf and JSON) for agents' OpenTelemetry: Claude Code's log events, metric points and beta
 * trace spans (mapped onto the operations hooks report, same join keys), Gemini CLI's log events and metric points,
 * and spans in the GenAI conventions, all stored through the one pipeline.
 */
package dev.mos.ingest.otlp;
