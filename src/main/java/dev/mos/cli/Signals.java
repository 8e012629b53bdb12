package dev.mos.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT are the normal way to stop a server (docker stop, kubectl, Ctrl-C): after a clean drain
 * the process should exit 0, not the JVM's default 143/130. Exiting through System.exit still runs the
 * shutdown hooks that drain and close everything.
 */
final class Signals {

    private Signals() {
    }

    static void exitZeroOnTermination() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> new Thread(() -> System.exit(0), "mos-signal").start());
            } catch (IllegalArgumentException unsupported) {
                // this platform does not have the signal; the JVM's default handling stays
            }
        }
    }
}
