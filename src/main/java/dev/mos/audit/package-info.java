/**
 * Who did what: administrative actions (deleting sessions, changing runtime configuration) written as log lines
 * and kept by the store, so an admin can list them from any replica.
 */
package dev.mos.audit;
