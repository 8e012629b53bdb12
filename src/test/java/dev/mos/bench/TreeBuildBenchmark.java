package dev.mos.bench;

import dev.mos.model.ActivityTree;
import dev.mos.model.DisplaySettings;
import dev.mos.model.Event;
import dev.mos.model.TreeBuilder;
import dev.mos.query.EventJson;
import dev.mos.query.RenderOptions;
import dev.mos.query.TextStyle;
import dev.mos.query.TreeText;
import java.util.List;
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
 * {@link TreeBuilder#build} over one busy session (see {@link SessionScript}), and rendering the built tree as
 * Claude-Code-style text with {@link TreeText} (completed operations included, default display settings, the
 * server's default 500 ms slow threshold). Average time per op in milliseconds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class TreeBuildBenchmark {

    /** 10,000 is the target case; 1,000 is the default maxEventsPerSession. */
    @Param({"10000", "1000"})
    public int events;

    List<Event> session;
    ActivityTree tree;
    TreeText text;
    RenderOptions options;

    @Setup(Level.Trial)
    public void setUp() {
        session = SessionScript.events(events);
        tree = TreeBuilder.build(SessionScript.SESSION, session, 0);
        text = new TreeText(new EventJson(BenchEvents.json()));
        options = RenderOptions.of(DisplaySettings.DEFAULTS, 500, true, null, session.getLast().timestamp() + 1_000);
        String rendered = text.render(tree, options, TextStyle.CLAUDE_CODE);
        System.out.printf("[setup] %d events -> %d operations (%d running, %d roots), text %d lines / %d chars%n",
                session.size(), tree.operationCount(), tree.runningCount(), tree.roots().size(),
                rendered.lines().count(), rendered.length());
    }

    @Benchmark
    public ActivityTree build() {
        return TreeBuilder.build(SessionScript.SESSION, session, 0);
    }

    @Benchmark
    public String renderClaudeCodeText() {
        return text.render(tree, options, TextStyle.CLAUDE_CODE);
    }
}
