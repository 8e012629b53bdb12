-- wrk script: POST /v1/logs with one OTLP batch of 1000 Claude Code log events (user_prompt, api_request,
-- tool_decision, tool_result, assistant_response; 16 sessions) as Claude Code 2.1.332 shapes them. Records/s =
-- requests/s x 1000. Write the bodies first:
--   java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" dev.mos.bench.OtlpLoadDriver write
-- then: OTLP=pb   wrk -t1 -c4 -d10s --latency -s bench/otlp_logs.lua http://127.0.0.1:3933/v1/logs
--       OTLP=json wrk -t1 -c4 -d10s --latency -s bench/otlp_logs.lua http://127.0.0.1:3933/v1/logs
local kind = os.getenv("OTLP") or "json"
local f = assert(io.open("bench/otlp-logs-1000." .. kind, "rb"))
local body = f:read("*all")
f:close()
local contentType = kind == "pb" and "application/x-protobuf" or "application/json"
request = function()
  return wrk.format("POST", nil, {["Content-Type"] = contentType}, body)
end
