/**
 * The observability model: events as agents report them, operations (spans) built from their start and end
 * events, and the activity tree. Pure values and pure functions; depends on nothing else in MOS.
 */
package dev.mos.model;
