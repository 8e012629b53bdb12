/** Claude Code hooks (HTTP hooks, mcp_tool hooks, {@code mos hook}) decoded into the one ingest pipeline. */
package dev.mos.ingest.hooks;
