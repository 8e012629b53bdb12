package dev.mos.bench;

import dev.mos.ingest.privacy.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One redaction pass over what a tool typically returns to Claude Code, as a PostToolUse carries it: the first
 * 20,000 characters of a file of ours (a Read). Java code and docs name tokens, secrets and URLs in passing; a hook
 * event's text is redacted twice (when mapped, and when the pipeline decodes it). Run from the project root.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class RedactorBenchmark {

    @Param({"src/main/java/dev/mos/http/HttpServer.java", "docs/agents/codex.md"})
    public String file;

    private final Redactor redactor = Redactor.defaults();
    private String text;

    @Setup(Level.Trial)
    public void read() throws IOException {
        String whole = Files.readString(Path.of(file));
        text = whole.substring(0, Math.min(20_000, whole.length()));
    }

    @Benchmark
    public String redact() {
        return redactor.redact(text);
    }
}
