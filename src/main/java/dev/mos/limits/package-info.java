/**
 * Budgets per client: requests and bytes per second per token and per remote address, so that one runaway client
 * cannot fill the store or starve the others. Token buckets from Bucket4j; the HTTP layer asks and answers 429.
 */
package dev.mos.limits;
