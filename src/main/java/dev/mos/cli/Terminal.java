package dev.mos.cli;

import java.io.Console;

/** Whether stdout is an interactive terminal, on JDK 21 and on the JDKs where System.console() is always set. */
final class Terminal {

    private Terminal() {
    }

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: console() exists even when redirected; isTerminal() tells the truth.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only for a terminal
        }
    }
}
