/** The command line: parse, load and validate config, wire the server by hand, run, shut down cleanly. */
package dev.mos.cli;
