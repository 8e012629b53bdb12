package dev.mos.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How an agent's settings start {@code mos hook}: this JVM running this jar, which works wherever the settings are
 * used on this machine, without PATH tricks; a short-lived client, so quick start matters more than peak speed.
 * Falls back to {@code mos} on the PATH when the jar cannot be located.
 */
final class HookLauncher {

    private HookLauncher() {
    }

    /** The program and its arguments, up to (not including) {@code hook}. */
    static List<String> argv() {
        String java = ProcessHandle.current().info().command().orElse("java");
        try {
            Path jar = Path.of(HookLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString());
        } catch (Exception e) {
            return List.of("mos");
        }
    }

    /** {@link #argv} as one shell command line. */
    static String shellCommand() {
        return argv().stream().map(HookLauncher::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:@+=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
