/**
 * HTTP serving on embedded Jetty: MCP Streamable HTTP (the SDK's servlet), the seed's plain
 * {"method", "params"} form, health probes and Prometheus metrics, behind bearer-token auth, origin checks and
 * body limits. Nothing served here ever carries a stack trace.
 */
package dev.mos.http;
