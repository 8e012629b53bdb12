package dev.mos.query;

/** Tokens and cost of some model calls; all zero when nothing was reported. */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens,
        double costUsd) {

    public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

    public TokenUsage plus(TokenUsage o) {
        return new TokenUsage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cacheReadTokens + o.cacheReadTokens, cacheCreationTokens + o.cacheCreationTokens, costUsd + o.costUsd);
    }

    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheCreationTokens;
    }
}
