package dev.mos.cli;

import dev.mos.config.LoadedConfig;
import dev.mos.ingest.EventLimits;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.EventIdentity;
import dev.mos.ingest.transcript.TranscriptException;
import dev.mos.ingest.transcript.TranscriptFiles;
import dev.mos.ingest.transcript.TranscriptMapper;
import dev.mos.ingest.transcript.TranscriptReader;
import dev.mos.ingest.transcript.TranscriptReader.Transcript;
import dev.mos.ingest.transcript.TranscriptSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mos import PATH...}: Claude Code transcripts into a running server. It posts rather than writing a store
 * file itself so that an import goes through the one ingest pipeline (validation, redaction, limits), works for
 * every backend (memory, SQLite, PostgreSQL) without fighting the server for the database, and shows up in open
 * dashboards and {@code mos tail} as it lands. Re-importing is safe: events whose operation already has that start
 * or end in the stored session ({@link EventIdentity}) are skipped.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import Claude Code transcripts into a running MOS server: transcript files "
                + "(<session>.jsonl), project folders (~/.claude/projects/<project>) or ~/.claude/projects itself; "
                + "subagent transcripts (<session>/subagents/agent-*.jsonl) are nested under their Agent call.",
                "Importing the same transcripts again adds nothing. Exit status: 0 all imported, 1 some files or "
                        + "events could not be imported, 2 nothing could be imported (e.g. no server)."})
final class ImportCommand implements Callable<Integer> {

    private static final int BATCH = Math.min(500, EventLimits.MAX_BATCH);

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Transcript files or folders")
    List<Path> paths;

    @Option(names = "--url", description = ServerUrl.DESCRIPTION)
    String url;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        LoadedConfig loaded = configOptions.load(Map.of());
        if (loaded == null) {
            return 2;
        }
        JsonMapper json = JsonMapper.builder().build();
        CapturePolicy capture = new CapturePolicy(loaded.config().privacy());
        TranscriptReader reader = new TranscriptReader(json);
        TranscriptMapper mapper = new TranscriptMapper(json, capture);
        ImportClient server = new ImportClient(ServerUrl.resolve(url), HookCommand.token(), json);

        TranscriptFiles.Found found = TranscriptFiles.find(paths);
        found.problems().forEach(p -> err.println("mos import: " + p));
        int sessions = 0;
        long added = 0;
        long alreadyStored = 0;
        long repeatedLines = 0;
        int failedFiles = found.problems().size();
        long refused = 0;
        for (TranscriptSession session : found.sessions()) {
            Transcript main;
            Map<String, Transcript> subagents = new LinkedHashMap<>();
            try {
                main = reader.read(session.main());
            } catch (TranscriptException e) {
                err.println("mos import: " + e.getMessage());
                failedFiles++;
                continue;
            }
            reportBadLines(main, err);
            for (Map.Entry<String, Path> sub : session.subagents().entrySet()) {
                try {
                    Transcript t = reader.read(sub.getValue());
                    reportBadLines(t, err);
                    subagents.put(sub.getKey(), t);
                } catch (TranscriptException e) {
                    err.println("mos import: " + e.getMessage() + " (its subagent is left out)");
                    failedFiles++;
                }
            }
            TranscriptMapper.Mapped mapped = mapper.map(main, subagents);
            try {
                Set<String> stored = server.storedIdentities(mapped.sessionId());
                List<Map<String, Object>> fresh = EventIdentity.newOnes(mapped.events(), stored);
                long sessionAdded = 0;
                for (int i = 0; i < fresh.size(); i += BATCH) {
                    ImportClient.Stored result = server.store(fresh.subList(i, Math.min(fresh.size(), i + BATCH)));
                    sessionAdded += result.accepted();
                    refused += result.refusals().size();
                    result.refusals().stream().limit(3).forEach(r -> err.println("mos import: session "
                            + mapped.sessionId() + ": an event was refused: " + r));
                }
                sessions++;
                added += sessionAdded;
                alreadyStored += mapped.events().size() - fresh.size();
                repeatedLines += mapped.repeatedLines();
                out.printf("%s: %d events imported, %d already stored (%s, %d subagent transcript%s)%n",
                        mapped.sessionId(), sessionAdded, mapped.events().size() - fresh.size(),
                        session.main().getFileName(), subagents.size(), subagents.size() == 1 ? "" : "s");
            } catch (ImportClient.ServerException e) {
                err.println("mos import: " + e.getMessage());
                if (sessions == 0) {
                    return 2;
                }
                failedFiles++;
            } catch (java.io.IOException e) {
                err.println("mos import: " + ServerUrl.resolve(url) + ": " + e.getMessage());
                return 2;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("mos import: interrupted");
                return 2;
            }
        }
        out.printf("imported %d session%s: %d events added, %d skipped as duplicates (%d already stored, %d "
                + "repeated transcript lines merged)%s%n", sessions, sessions == 1 ? "" : "s", added,
                alreadyStored + repeatedLines, alreadyStored, repeatedLines,
                failedFiles + refused == 0 ? "" : "; " + failedFiles + " file(s) failed, " + refused
                        + " event(s) refused");
        if (sessions == 0) {
            return 2;
        }
        return failedFiles + refused == 0 ? 0 : 1;
    }

    private static void reportBadLines(Transcript t, PrintStream err) {
        if (!t.badLines().isEmpty()) {
            err.println("mos import: " + t.file() + ": " + t.badLines().size() + " line(s) skipped, first "
                    + t.badLines().getFirst());
        }
    }
}
