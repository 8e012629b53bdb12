#!/usr/bin/env bash
# Ingestion throughput (log_event over HTTP, wrk) with trace export off, on (to a sink that answers 200) and to a
# dead backend (closed port). Each mode: a fresh server on SQLite in a temp dir, 10 s warm-up, then RUNS runs of
# DURATION; prints every run, the median and the load average.
#   bench/otlp-export.sh [RUNS=3] [DURATION=15s]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
DURATION=${2:-15s}
JAVA="$(./mos java-home)/bin/java"
[ -f target/mos.jar ] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 1; }
PORT=3950
SINK_PORT=3951
DEAD_PORT=3952
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# A sink that accepts OTLP/HTTP exports and answers 200 (what a collector does), threaded.
python3 - "$SINK_PORT" <<'PY' &
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200); self.send_header('Content-Type', 'application/x-protobuf')
        self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
S(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
pids+=($!)

run_mode() {
  local mode=$1 endpoint=$2 dir
  dir=$(mktemp -d)
  MCP_DATA_DIR="$dir" MCP_OTLP_EXPORT_ENDPOINT="$endpoint" MCP_LOG_LEVEL=warn \
    "$JAVA" -jar target/mos.jar serve --port $PORT >"$dir/log" 2>&1 &
  local pid=$!
  pids+=($pid)
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  wrk -t1 -c64 -d10s -s bench/log_event.lua "http://127.0.0.1:$PORT/mcp" >/dev/null
  local rates=()
  for i in $(seq 1 "$RUNS"); do
    local r
    r=$(wrk -t1 -c64 -d"$DURATION" -s bench/log_event.lua "http://127.0.0.1:$PORT/mcp" | awk '/Requests\/sec/ {print $2}')
    rates+=("$r")
    echo "$mode run $i: $r calls/s ($(uptime | sed 's/.*load average/load average/'))"
  done
  local median
  median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$mode median: $median calls/s"
  curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^mos_otlp_export_spans_total|otlpExport",state="open"' || true
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir"
}

run_mode off ""
run_mode on "http://127.0.0.1:$SINK_PORT"
run_mode dead "http://127.0.0.1:$DEAD_PORT"
