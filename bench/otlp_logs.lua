-- Run bench/make-otlp-logs.py first.
-- wrk script: POST /v1/logs with one OTLP JSON batch of Claude Code events (bench/otlp-logs-1000.json: 1000 log
-- records, half api_request, half tool_result, in 16 sessions). Events/s = requests/s x 1000.
-- wrk -t1 -c8 -d20s --latency -s bench/otlp_logs.lua http://127.0.0.1:3933/v1/logs
local f = assert(io.open("bench/otlp-logs-1000.json", "rb"))
local body = f:read("*all")
f:close()
request = function()
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
