/**
 * The storage boundary: one small interface for writing events and reading sessions and events, with the query
 * records it speaks. Backends live in sub-packages and all pass the same contract test suite.
 */
package dev.mos.store;
