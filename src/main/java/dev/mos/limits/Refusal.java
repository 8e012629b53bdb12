package dev.mos.limits;

/**
 * Why a client's request was refused and when it may try again.
 *
 * @param limit the config key whose budget is spent (limits.requestsPerSecond or limits.bytesPerSecond)
 * @param client who spent it, as shown to them: "token 'ci-agent'" or "address 10.1.2.3"
 */
public record Refusal(String limit, String client, long budgetPerSecond, long retryAfterSeconds) {

    public String message() {
        return "rate limit: " + client + " is over " + limit + " (" + budgetPerSecond + "/s); retry after "
                + retryAfterSeconds + " s";
    }
}
