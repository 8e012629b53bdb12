/**
 * The one ingestion pipeline: decoding and validating raw events (refusing what breaks a rule, truncating
 * what is merely too long), storing them and handing them to live subscribers. Every transport enters here.
 */
package dev.mos.ingest;
