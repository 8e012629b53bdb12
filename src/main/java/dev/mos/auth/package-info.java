/**
 * Who may do what: bearer tokens with scopes ({@code ingest}, {@code read}, {@code admin}), read from the single
 * {@code MCP_AUTH_TOKEN} (all scopes) and from a tokens file of SHA-256 digests that is re-read when it changes,
 * and the rule naming the scope each request needs. No plain token is ever stored or logged.
 */
package dev.mos.auth;
