package dev.mos.cli;

import dev.mos.config.LoadedConfig;
import dev.mos.ingest.EventLimits;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.ingest.transcript.CodexRolloutFiles;
import dev.mos.ingest.transcript.CodexRolloutMapper;
import dev.mos.ingest.transcript.EventIdentity;
import dev.mos.ingest.transcript.TranscriptException;
import dev.mos.ingest.transcript.TranscriptFiles;
import dev.mos.ingest.transcript.TranscriptMapper;
import dev.mos.ingest.transcript.TranscriptReader;
import dev.mos.ingest.transcript.TranscriptReader.Transcript;
import dev.mos.ingest.transcript.TranscriptSession;
import dev.mos.ingest.transcript.gemini.GeminiChat;
import dev.mos.ingest.transcript.gemini.GeminiLiveMatch;
import dev.mos.ingest.transcript.gemini.GeminiSessionFiles;
import dev.mos.ingest.transcript.gemini.GeminiSessionMapper;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mos import PATH...}: Claude Code transcripts (and Codex CLI and Gemini CLI session files) into a running
 * server. It posts
 * rather than writing a store file itself so that an import goes through the one ingest pipeline (validation,
 * redaction, limits), works for every backend (memory, SQLite, PostgreSQL) without fighting the server for the
 * database, and shows up in open dashboards and {@code mos tail} as it lands. Re-importing is safe: events whose
 * operation already has that start or end in the stored session ({@link EventIdentity}) are skipped.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import Claude Code transcripts into a running MOS server: transcript files "
                + "(<session>.jsonl), project folders (~/.claude/projects/<project>) or ~/.claude/projects itself; "
                + "subagent transcripts (<session>/subagents/agent-*.jsonl) are nested under their Agent call. "
                + "Also OpenAI Codex CLI session files (rollout-*.jsonl, or a folder such as ~/.codex/sessions): "
                + "a subagent's file is nested under its spawn_agent call. "
                + "Also Gemini CLI session files (session-*.jsonl, or a folder such as ~/.gemini/tmp): a subagent's "
                + "chat (chats/<session>/<agent>.jsonl) is nested under its invoke_agent call; a session MOS saw "
                + "live is matched onto the live operations.",
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

    /** What the import did so far, over all sessions. */
    private static final class Tally {
        int sessions;
        long added;
        long alreadyStored;
        long repeatedLines;
        int failedFiles;
        long refused;
    }

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
        CodexRolloutMapper codexMapper = new CodexRolloutMapper(json, capture);
        GeminiSessionMapper geminiMapper = new GeminiSessionMapper(json, capture);
        GeminiLiveMatch geminiMatch = new GeminiLiveMatch(json);
        ImportClient server = new ImportClient(ServerUrl.resolve(url), HookCommand.token(null), json);
        Tally tally = new Tally();

        // Gemini session files first, then Codex's; the paths that hold neither are searched for Claude Code's
        GeminiSessionFiles.Found gemini = GeminiSessionFiles.find(paths, json);
        gemini.problems().forEach(p -> err.println("mos import: " + p));
        tally.failedFiles += gemini.problems().size();
        for (GeminiSessionFiles.Session session : gemini.sessions()) {
            try {
                GeminiChat main = GeminiChat.read(session.main(), json);
                reportBadLines(main.file(), main.badLines(), err);
                Map<String, GeminiChat> subagents = new LinkedHashMap<>();
                for (Map.Entry<String, Path> sub : session.subagents().entrySet()) {
                    try {
                        GeminiChat chat = GeminiChat.read(sub.getValue(), json);
                        reportBadLines(chat.file(), chat.badLines(), err);
                        subagents.put(chat.sessionId(), chat);
                    } catch (TranscriptException e) {
                        err.println("mos import: " + e.getMessage() + " (its subagent is left out)");
                        tally.failedFiles++;
                    }
                }
                Integer exit = store(geminiMapper.map(main, subagents), session.main(), subagents.size(), server,
                        tally, out, err, geminiMatch);
                if (exit != null) {
                    return exit;
                }
            } catch (TranscriptException e) {
                err.println("mos import: " + e.getMessage());
                tally.failedFiles++;
            }
        }
        if (!gemini.sessions().isEmpty() && gemini.others().isEmpty()) {
            return summary(tally, out);
        }

        CodexRolloutFiles.Found codex = CodexRolloutFiles.find(gemini.others(), json);
        codex.problems().forEach(p -> err.println("mos import: " + p));
        tally.failedFiles += codex.problems().size();
        for (CodexRolloutFiles.Session session : codex.sessions()) {
            Transcript root;
            Map<String, Transcript> subagents = new LinkedHashMap<>();
            try {
                root = reader.readCodex(session.root());
                reportBadLines(root, err);
                for (Map.Entry<String, Path> sub : session.subagents().entrySet()) {
                    try {
                        Transcript t = reader.readCodex(sub.getValue());
                        reportBadLines(t, err);
                        subagents.put(sub.getKey(), t);
                    } catch (TranscriptException e) {
                        err.println("mos import: " + e.getMessage() + " (its subagent is left out)");
                        tally.failedFiles++;
                    }
                }
                Integer exit = store(codexMapper.map(root, subagents), session.root(), subagents.size(), server,
                        tally, out, err, null);
                if (exit != null) {
                    return exit;
                }
            } catch (TranscriptException e) {
                err.println("mos import: " + e.getMessage());
                tally.failedFiles++;
            }
        }

        TranscriptFiles.Found found = codex.others().isEmpty() && !codex.sessions().isEmpty()
                ? new TranscriptFiles.Found(List.of(), List.of()) : TranscriptFiles.find(codex.others());
        found.problems().forEach(p -> err.println("mos import: " + p));
        tally.failedFiles += found.problems().size();
        for (TranscriptSession session : found.sessions()) {
            Transcript main;
            Map<String, Transcript> subagents = new LinkedHashMap<>();
            try {
                main = reader.read(session.main());
            } catch (TranscriptException e) {
                err.println("mos import: " + e.getMessage());
                tally.failedFiles++;
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
                    tally.failedFiles++;
                }
            }
            Integer exit = store(mapper.map(main, subagents), session.main(), subagents.size(), server, tally, out,
                    err, null);
            if (exit != null) {
                return exit;
            }
        }
        return summary(tally, out);
    }

    private static int summary(Tally tally, PrintStream out) {
        out.printf("imported %d session%s: %d events added, %d skipped as duplicates (%d already stored, %d "
                + "repeated transcript lines merged)%s%n", tally.sessions, tally.sessions == 1 ? "" : "s",
                tally.added, tally.alreadyStored + tally.repeatedLines, tally.alreadyStored, tally.repeatedLines,
                tally.failedFiles + tally.refused == 0 ? "" : "; " + tally.failedFiles + " file(s) failed, "
                        + tally.refused + " event(s) refused");
        if (tally.sessions == 0) {
            return 2;
        }
        return tally.failedFiles + tally.refused == 0 ? 0 : 1;
    }

    /**
     * Sends a mapped session's new events; an exit status when the import must stop, else null. {@code live}, when
     * given, first moves the events onto the live operations the server already holds of the session.
     */
    private Integer store(TranscriptMapper.Mapped given, Path file, int subagents, ImportClient server, Tally tally,
            PrintStream out, PrintStream err, GeminiLiveMatch live) {
        TranscriptMapper.Mapped mapped = given;
        try {
            List<JsonNode> storedEvents = server.storedEvents(mapped.sessionId());
            String matchedNote = "";
            if (live != null) {
                GeminiLiveMatch.Matched matched = live.apply(mapped, storedEvents);
                mapped = matched.mapped();
                matchedNote = matched.operations() == 0 ? "" : "; " + matched.operations()
                        + " operation(s) matched to those the live channel stored";
            }
            Set<String> stored = ImportClient.identities(storedEvents);
            List<Map<String, Object>> fresh = EventIdentity.newOnes(mapped.events(), stored);
            long sessionAdded = 0;
            for (int i = 0; i < fresh.size(); i += BATCH) {
                ImportClient.Stored result = server.store(fresh.subList(i, Math.min(fresh.size(), i + BATCH)));
                sessionAdded += result.accepted();
                tally.refused += result.refusals().size();
                result.refusals().stream().limit(3).forEach(r -> err.println("mos import: session "
                        + given.sessionId() + ": an event was refused: " + r));
            }
            tally.sessions++;
            tally.added += sessionAdded;
            tally.alreadyStored += mapped.events().size() - fresh.size();
            tally.repeatedLines += mapped.repeatedLines();
            out.printf("%s: %d events imported, %d already stored (%s, %d subagent transcript%s%s)%n",
                    mapped.sessionId(), sessionAdded, mapped.events().size() - fresh.size(), file.getFileName(),
                    subagents, subagents == 1 ? "" : "s", matchedNote);
            return null;
        } catch (ImportClient.ServerException e) {
            err.println("mos import: " + e.getMessage());
            if (tally.sessions == 0) {
                return 2;
            }
            tally.failedFiles++;
            return null;
        } catch (java.io.IOException e) {
            err.println("mos import: " + ServerUrl.resolve(url) + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mos import: interrupted");
            return 2;
        }
    }

    private static void reportBadLines(Transcript t, PrintStream err) {
        reportBadLines(t.file(), t.badLines(), err);
    }

    private static void reportBadLines(Path file, List<String> badLines, PrintStream err) {
        if (!badLines.isEmpty()) {
            err.println("mos import: " + file + ": " + badLines.size() + " line(s) skipped, first "
                    + badLines.getFirst());
        }
    }
}
