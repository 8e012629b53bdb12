package dev.mos.it;

import dev.mos.it.ResponsesApiStandIn.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class CodexCliIT {

    static final String PROMPT = "[[sc:main]] please work";
    static final String MODEL = "gpt-5.1-codex";

    /** The scripted session: a command, a failing command, MOS's own MCP tool, a subagent with its own command. */
    static ResponsesApiStandIn script(ResponsesApiStandIn api) {
        return api.script("main", "All done.",
                        Step.of("exec_command", Map.of("cmd", "echo hello-from-codex")),
                        Step.of("exec_command", Map.of("cmd", "echo boom >&2; exit 3")),
                        Step.namespaced("mcp__mos", "list_sessions", Map.of("limit", 5)),
                        Step.namespaced("multi_agent_v1", "spawn_agent", Map.of("message",
                                "[[sc:sub]] Look around.")),
                        Step.namespaced("multi_agent_v1", "wait_agent", Map.of("targets",
                                List.of(ResponsesApiStandIn.SPAWNED_AGENT), "timeout_ms", 60000)))
                .script("sub", "Subagent finished.",
                        Step.of("exec_command", Map.of("cmd", "sleep 0.3; echo sub-slow")));
    }

    /** config.toml lines that make the stand-in Codex's model provider (no retries: a failure shows at once). */
    static String providerConfig(ResponsesApiStandIn api) {
        return """
                model = "%s"
                model_provider = "standin"

                [model_providers.standin]
                name = "Responses API stand-in"
                base_url = "%s"
                wire_api = "responses"
                env_key = "STANDIN_API_KEY"
                request_max_retries = 0
                stream_max_retries = 0
                """.formatted(MODEL, api.baseUrl());
    }

    /** {@code codex exec} of {@code prompt}, non-interactive, no sandbox or approvals, outside a git repository. */
    static ProcessBuilder exec(Path home, Path codexHome, String prompt) {
        List<String> cmd = new ArrayList<>(List.of(Codex.executable().toString(), "exec", "--skip-git-repo-check",
                "--dangerously-bypass-approvals-and-sandbox", "--color", "never", prompt));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Codex.isolate(pb.environment(), home, codexHome);
        pb.environment().put("STANDIN_API_KEY", "sk-test-not-a-real-key");
        return pb;
    }
}
