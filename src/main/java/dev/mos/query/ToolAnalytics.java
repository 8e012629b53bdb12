package dev.mos.query;

import dev.mos.model.ActivityTree;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per-tool call counts, error rates and duration percentiles over a set of trees. */
final class ToolAnalytics {

    private static final class Accumulator {
        final String kind;
        int calls;
        int errors;
        int running;
        long[] durations = new long[8];
        int finished;

        Accumulator(String kind) {
            this.kind = kind;
        }

        void add(long duration) {
            if (finished == durations.length) {
                durations = Arrays.copyOf(durations, finished * 2);
            }
            durations[finished++] = duration;
        }
    }

    private ToolAnalytics() {
    }

    static List<ToolStats> of(List<ActivityTree> trees, String toolName) {
        Map<String, Accumulator> byTool = new TreeMap<>();
        for (ActivityTree tree : trees) {
            tree.forEach(node -> {
                if (node.kind() != OperationKind.TOOL && node.kind() != OperationKind.MCP) {
                    return;
                }
                if (toolName != null && !toolName.equals(node.name())) {
                    return;
                }
                Accumulator acc = byTool.computeIfAbsent(node.name(), n -> new Accumulator(node.kind().wireName()));
                acc.calls++;
                if (node.status() == OperationStatus.ERROR || node.status() == OperationStatus.TIMEOUT) {
                    acc.errors++;
                }
                if (node.running()) {
                    acc.running++;
                } else if (node.durationMs() != null) {
                    acc.add(node.durationMs());
                }
            });
        }
        List<ToolStats> stats = new ArrayList<>(byTool.size());
        byTool.forEach((tool, acc) -> {
            long[] sorted = Arrays.copyOf(acc.durations, acc.finished);
            Arrays.sort(sorted);
            long sum = 0;
            for (long d : sorted) {
                sum += d;
            }
            stats.add(new ToolStats(tool, acc.kind, acc.calls, acc.errors, acc.running,
                    acc.calls == 0 ? 0 : (double) acc.errors / acc.calls, percentile(sorted, 50),
                    percentile(sorted, 95), percentile(sorted, 99), sorted.length == 0 ? 0 : sum / sorted.length,
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
        });
        stats.sort(Comparator.comparingInt(ToolStats::calls).reversed().thenComparing(ToolStats::tool));
        return stats;
    }

    /** Nearest-rank percentile; 0 when there is no sample. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
