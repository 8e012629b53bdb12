/**
 * Live fan-out: {@link dev.mos.live.LiveFeed} publishes every session's events once and in sequence order, whether
 * ingested here or committed by another process or replica, into {@link dev.mos.live.StreamHub}, whose bounded
 * per-subscriber buffers feed SSE streams, MCP resource notifications and stream_activity long polls.
 */
package dev.mos.live;
