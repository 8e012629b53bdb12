#!/usr/bin/env python3
"""Writes bench/otlp-logs-1000.json: one OTLP JSON logs batch of 1000 Claude Code events (half api_request, half
tool_result) in 16 sessions, for bench/otlp_logs.lua."""
import json


def kv(k, v):
    if isinstance(v, str):
        value = {"stringValue": v}
    elif isinstance(v, int):
        value = {"intValue": str(v)}
    else:
        value = {"doubleValue": v}
    return {"key": k, "value": value}


records = []
for i in range(1000):
    s = "bench-%d" % (i % 16)
    common = [kv("session.id", s), kv("prompt.id", "p-%d" % (i % 16))]
    if i % 2 == 0:
        attrs = [kv("event.name", "api_request")] + common + [
            kv("event.timestamp", "2026-11-25T14:56:33.713Z"), kv("model", "claude-opus-5-5"),
            kv("input_tokens", 120), kv("output_tokens", 30), kv("cost_usd", 0.00108), kv("duration_ms", 25),
            kv("request_id", "req_%d" % i)]
        body = "claude_code.api_request"
    else:
        attrs = [kv("event.name", "tool_result")] + common + [
            kv("event.timestamp", "2026-11-25T14:56:33.805Z"), kv("tool_name", "Bash"),
            kv("tool_use_id", "toolu_%d" % i), kv("success", "true"), kv("duration_ms", "23"),
            kv("tool_input", '{"command":"ls -la"}')]
        body = "claude_code.tool_result"
    records.append({"timeUnixNano": "1795618593633000000", "body": {"stringValue": body}, "attributes": attrs})
doc = {"resourceLogs": [{"resource": {"attributes": [kv("service.name", "claude-code")]},
                         "scopeLogs": [{"scope": {"name": "com.anthropic.claude_code.events"},
                                        "logRecords": records}]}]}
with open("bench/otlp-logs-1000.json", "w") as f:
    json.dump(doc, f)
