#!/usr/bin/env bash
# What one POST /hooks request costs the server: ./mos serve (default SQLite store, fresh data dir, a GC log) under
# wrk (2 x 32, a real Claude Code PostToolUse from the capture), 4 s warm-up then 8 s measured. Prints req/s, p99,
# the server's CPU per request (user + system, from /proc), context switches per request, the KB allocated per
# request (young-GC reclaimed bytes in the GC log) and the young pauses of the measured 8 s (count, median, max).
# A benchmark, not a test; needs wrk.
#   bench/hooks-cost.sh                      # this work tree's ./mos
#   MOS=/other/tree/mos EXTRA=-XX:+UseZGC bench/hooks-cost.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mos="${MOS:-$here/mos}"
w="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$w"' EXIT
python3 - "$here/src/test/resources/claude-code-2.1.332-capture.jsonl" "$w/body.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r['path'] == '/hooks' and json.loads(r['body'])['hook_event_name'] == 'PostToolUse':
        open(sys.argv[2], 'w').write(r['body']); break
PY
cat > "$w/post.lua" <<'LUA'
local f = io.open(os.getenv("BODY_FILE"), "r"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body; wrk.headers["Content-Type"] = "application/json"
LUA
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$w" && MCP_DATA_DIR="$w/data" MOS_JAVA_OPTS="-Xlog:gc:file=$w/gc.log ${EXTRA:-}" exec "$mos" serve --port "$port" \
  >"$w/mos.log" 2>&1) &
pid=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
switches() { cat /proc/$pid/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
BODY_FILE="$w/body.json" wrk -t2 -c32 -d4s -s "$w/post.lua" "http://127.0.0.1:$port/hooks" >/dev/null
c0=$(cpu); s0=$(switches)
BODY_FILE="$w/body.json" wrk -t2 -c32 -d8s --latency -s "$w/post.lua" "http://127.0.0.1:$port/hooks" >"$w/wrk.txt"
c1=$(cpu); s1=$(switches)
python3 - "$w" "$((c1 - c0))" "$((s1 - s0))" <<'PY'
import re, sys
w, ticks, switches = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
report = open(w + '/wrk.txt').read()
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', report).group(1))
# the latency distribution's line (a "99%" can also end the Req/Sec line's "+/- Stdev" column)
p99 = re.search(r'^\s+99%\s+(\S+)', report, re.M).group(1)
n = int(re.search(r'(\d+) requests in', report).group(1))
pauses = [re.search(r'\[([\d.]+)s\].* (\d+)M->(\d+)M\S* ([\d.]+)ms', l) for l in open(w + '/gc.log')
          if 'Pause Young' in l]
pauses = [(float(m.group(1)), int(m.group(2)) - int(m.group(3)), float(m.group(4))) for m in pauses if m]
end = pauses[-1][0] if pauses else 0
measured = [p for p in pauses if p[0] > end - 8]
mb = sum(freed for t, freed, ms in measured)
alloc = f"{mb * 1024 / n:.1f} KB/request" if pauses else "no young-GC lines (not G1/serial?)"
times = sorted(ms for t, freed, ms in measured)
gc = f", young pauses {len(times)}: median {times[len(times) // 2]:.1f} ms, max {times[-1]:.1f} ms" if times else ""
print(f"req/s {rps:.0f}, p99 {p99}, server CPU {ticks * 10000 / n:.0f} us/request, "
      f"{switches / n:.1f} context switches/request, ~{alloc}{gc}")
PY
