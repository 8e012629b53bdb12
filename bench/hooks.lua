-- wrk script: POST /hooks with Claude Code hook payloads, alternating PreToolUse and PostToolUse of one
-- tool_use_id (16 sessions).
-- wrk -t1 -c64 -d20s --latency -s bench/hooks.lua http://127.0.0.1:3933/hooks
local counter = 0
request = function()
  counter = counter + 1
  local pre = counter % 2 == 0
  local body = string.format('{"session_id":"wrk-%d","prompt_id":"p-%d","cwd":"/home/dev/project",' ..
    '"transcript_path":"/home/dev/.claude/projects/x/wrk.jsonl","permission_mode":"default",' ..
    '"hook_event_name":"%s","tool_name":"Read","tool_input":{"file_path":"src/Main.java"},' ..
    '"tool_use_id":"toolu_%d"%s}',
    counter % 16, counter % 16, pre and "PreToolUse" or "PostToolUse", math.floor(counter / 2),
    pre and "" or ',"tool_response":{"content":"ok"},"duration_ms":3')
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
