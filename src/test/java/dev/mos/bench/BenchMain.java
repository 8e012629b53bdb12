package dev.mos.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH benchmarks of this package with modest settings (1 fork, 2 x 2 s warm-up, 3 x 2 s measurement)
 * and prints the median of the measurement iterations next to JMH's mean.
 *
 * <p>Arguments: optional regular expressions selecting benchmarks (default: every {@code *Benchmark} here).
 * System properties: {@code bench.forks}, {@code bench.warmups}, {@code bench.iterations}, {@code bench.seconds},
 * {@code bench.result} (JSON result file, default {@code target/jmh-result.json}).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        int seconds = Integer.getInteger("bench.seconds", 2);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(Integer.getInteger("bench.forks", 1))
                .warmupIterations(Integer.getInteger("bench.warmups", 2))
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(Integer.getInteger("bench.iterations", 3))
                .measurementTime(TimeValue.seconds(seconds))
                .jvmArgsAppend("-Xms1g", "-Xmx1g")
                .shouldDoGC(true)
                .resultFormat(ResultFormatType.JSON)
                .result(System.getProperty("bench.result", "target/jmh-result.json"));
        if (args.length == 0) {
            options.include("dev\\.mos\\.bench\\..*Benchmark\\..*");
        } else {
            for (String pattern : args) {
                options.include(pattern);
            }
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        printMedians(results);
    }

    static void printMedians(Collection<RunResult> results) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-58s %14s %14s %14s  %s", "benchmark", "median", "mean", "min..max",
                "unit"));
        for (RunResult run : results) {
            var primary = run.getPrimaryResult();
            var stats = primary.getStatistics();
            String name = run.getParams().getBenchmark().replace("dev.mos.bench.", "");
            StringBuilder params = new StringBuilder();
            for (String key : run.getParams().getParamsKeys()) {
                params.append(params.isEmpty() ? " [" : ", ").append(key).append('=')
                        .append(run.getParams().getParam(key));
            }
            if (!params.isEmpty()) {
                params.append(']');
            }
            lines.add(String.format(Locale.ROOT, "%-58s %14s %14s %14s  %s", name + params, fmt(stats.getPercentile(50)),
                    fmt(stats.getMean()), fmt(stats.getMin()) + ".." + fmt(stats.getMax()), primary.getScoreUnit()));
        }
        System.out.println();
        System.out.println("== medians of the measurement iterations ==");
        lines.forEach(System.out::println);
    }

    private static String fmt(double value) {
        if (value >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
