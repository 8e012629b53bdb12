/** The MCP tools, one class each, with their input and output schemas. */
package dev.mos.mcp.tools;
