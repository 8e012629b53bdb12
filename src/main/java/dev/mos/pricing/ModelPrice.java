package dev.mos.pricing;

/** What a model's tokens cost, in US dollars per million tokens of each kind. */
public record ModelPrice(double inputPerMTok, double outputPerMTok, double cacheReadPerMTok,
        double cacheWritePerMTok) {

    /** The cost of a call's tokens; {@code input} is the uncached input. */
    public double cost(long input, long output, long cacheRead, long cacheWrite) {
        return (input * inputPerMTok + output * outputPerMTok + cacheRead * cacheReadPerMTok
                + cacheWrite * cacheWritePerMTok) / 1_000_000d;
    }
}
