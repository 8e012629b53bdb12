/**
 * Claude Code transcripts ({@code ~/.claude/projects/<project>/<session>.jsonl} and their
 * {@code <session>/subagents/agent-<id>.jsonl}) read and mapped into MOS events, for {@code mos import}.
 */
package dev.mos.ingest.transcript;
