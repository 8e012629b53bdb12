package dev.mos.model;

/**
 * One administrative action: who did what to which target, and how it ended. Kept by the store so every replica
 * lists the same entries.
 *
 * @param id assigned by the store (0 before it is stored)
 * @param actor the token's name ("default" for MCP_AUTH_TOKEN), "anonymous" on a server without tokens, "local"
 *     for an in-process caller (stdio)
 * @param address the remote address it came from, null for a local caller
 * @param action the tool (delete_session, configure_otel_export, configure_display)
 * @param target the session id or the export endpoint it acted on, null when none
 * @param outcome "ok", or "error: " and the message
 * @param detail what was set, with secrets left out (export headers are counted, never written)
 */
public record AuditEntry(long id, long atMs, String actor, String address, String action, String target,
        String outcome, String detail) {

    public AuditEntry withId(long assigned) {
        return new AuditEntry(assigned, atMs, actor, address, action, target, outcome, detail);
    }
}
