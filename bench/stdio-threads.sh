#!/usr/bin/env bash
# The CPU time of each thread of a cold `mos stdio` (bench/server-cpu.sh with THREADS_OUT): use it as the server
# command of a stdio driver; when the server ends, the last sample per thread is in $THREADS_OUT
# (default /tmp/mos-threads.txt):
#   cd ~/.cache/mos-peers && node stdio-bench.mjs "$OLDPWD/bench/stdio-threads.sh" 20000 64
#   sort -t'|' -k2 -nr /tmp/mos-threads.txt | head
here="$(cd "$(dirname "$0")/.." && pwd)"
THREADS_OUT="${THREADS_OUT:-/tmp/mos-threads.txt}" exec "$here/bench/server-cpu.sh" "${MOS:-$here/mos}" stdio
