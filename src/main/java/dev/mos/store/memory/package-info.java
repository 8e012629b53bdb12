/** The in-memory backend: bounded per session and in total, evicting whole least-recently-active sessions. */
package dev.mos.store.memory;
