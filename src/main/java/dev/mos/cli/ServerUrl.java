package dev.mos.cli;

/**
 * Where the client commands (health, tail, hook, import, setup) find a running server: the --url flag, else $MOS_URL,
 * else http://127.0.0.1:$MCP_PORT (port 3000 by default). One rule, so that every command agrees.
 */
final class ServerUrl {

    static final String DESCRIPTION = "Server base URL (default $MOS_URL, else http://127.0.0.1:$MCP_PORT, port 3000)";

    private ServerUrl() {
    }

    static String resolve(String flag) {
        String url = flag;
        if (url == null || url.isBlank()) {
            url = System.getenv("MOS_URL");
        }
        if (url == null || url.isBlank()) {
            url = "http://127.0.0.1:" + System.getenv().getOrDefault("MCP_PORT", "3000");
        }
        return url.trim().replaceAll("/+$", "");
    }
}
