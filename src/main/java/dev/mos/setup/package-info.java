/**
 * Connecting an agent to MOS: which Claude Code or Gemini CLI settings file to edit, what MOS puts into it (hooks,
 * OpenTelemetry, the MCP server), how MOS's own entries are recognised again, and the pure merge and removal that
 * keep everything else of the user's as it was.
 */
package dev.mos.setup;
