/** Redaction of secrets before anything is stored or logged. */
package dev.mos.ingest.privacy;
