-- wrk script: POST log_event (the seed's plain form) with a new correlation id per request.
-- wrk -t2 -c64 -d20s -s bench/log_event.lua http://127.0.0.1:3000/mcp
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format('{"method":"log_event","params":{"event":{"session_id":"wrk-%d","event_type":"%s",' ..
    '"correlation_id":"toolu_%d","details":{"name":"Read","file":"src/Main.java"}}}}',
    counter % 16, (counter % 2 == 0) and "tool_pre_call" or "tool_post_call", math.floor(counter / 2))
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
