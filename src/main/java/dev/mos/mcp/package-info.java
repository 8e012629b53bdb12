/**
 * The MCP face of MOS: one class per tool with its schemas, a guarded invoker (circuit breaker, timing, errors
 * without stack traces) shared by the MCP SDK server and the seed's plain {"method", "params"} HTTP form.
 */
package dev.mos.mcp;
