package dev.mos.fuzz;

/**
 * How long each harness fuzzes when JAZZER_FUZZ is set: the test run's share (seven harnesses, each in a JVM of its
 * own, about two minutes with their starts). bench/fuzz.sh passes a longer time to the same harnesses.
 */
final class FuzzBounds {

    static final String TEST_RUN = "10s";

    private FuzzBounds() {
    }
}
