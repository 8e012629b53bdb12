/**
 * Gemini CLI session files ({@code ~/.gemini/tmp/<project>/chats/session-*.jsonl} and their subagents'
 * {@code chats/<session id>/<agent id>.jsonl}) found, read and mapped into MOS events for {@code mos import}, onto
 * the live OpenTelemetry mapping's ids where the session was seen live (see docs/agents/gemini-cli.md).
 */
package dev.mos.ingest.transcript.gemini;
