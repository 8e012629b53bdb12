/**
 * The one read service behind the MCP tools and the HTTP endpoints: resolving sessions, building (and caching)
 * their trees, rendering them as Claude-Code-style text, plain text or JSON, analytics and exports.
 */
package dev.mos.query;
