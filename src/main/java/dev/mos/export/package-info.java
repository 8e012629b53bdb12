/**
 * Trace export: each operation of a session becomes an OpenTelemetry span with GenAI semantic-convention attributes,
 * sent by the OpenTelemetry SDK's OTLP exporter to any OTLP endpoint (Jaeger, Tempo, Phoenix, Langfuse, a
 * collector). See DEPLOYMENT.md, Trace export (OTLP).
 */
package dev.mos.export;
