package dev.mos.cli;

import dev.mos.auth.Scope;
import dev.mos.auth.TokensFile;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** mos token new: a fresh random token and the tokens-file line that accepts it (its digest, not the token). */
@Command(name = "token", mixinStandardHelpOptions = true, subcommands = TokenCommand.New.class,
        description = "Make scoped tokens for server.tokensFile (MCP_TOKENS_FILE).")
final class TokenCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("mos token: use `mos token new --name NAME --scopes ingest,read` (see --help)");
        return 2;
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Prints a new token (line 1: give it to the client) and the JSON entry for the tokens "
                    + "file (line 2: add it to the array). The server re-reads the file when it changes."})
    static final class New implements Callable<Integer> {

        @Option(names = "--name", required = true, description = "who the token is for (recorded, shown)")
        String name;

        @Option(names = "--scopes", required = true, split = ",",
                description = "comma-separated: ingest (hooks, OTLP, log_event), read (REST, SSE, dashboard, "
                        + "read-only MCP tools), admin (delete, runtime configuration)")
        String[] scopes;

        @Override
        public Integer call() {
            if (name.isBlank()) {
                System.err.println("mos token new: --name must not be empty");
                return 2;
            }
            Set<Scope> parsed = EnumSet.noneOf(Scope.class);
            for (String scope : scopes) {
                try {
                    parsed.add(Scope.parse(scope.trim()));
                } catch (IllegalArgumentException e) {
                    System.err.println("mos token new: --scopes: " + e.getMessage());
                    return 2;
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = "mos_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            System.out.println(token);
            System.out.println(TokensFile.line(name, parsed, token));
            return 0;
        }
    }
}
