#!/usr/bin/env bash
# The CPU time of each thread of a cold `mos stdio`, for finding work that no profiler's Java samples show (time in
# futex, a JDK thread of its own). Use it as the server command of a stdio driver; when the server ends, the last
# sample (utime + stime in clock ticks, usually 10 ms, per thread) is in $THREADS_OUT (default /tmp/mos-threads.txt):
#   cd ~/.cache/mos-peers && node stdio-bench.mjs "$OLDPWD/bench/stdio-threads.sh" 20000 64
#   sort -t'|' -k2 -nr /tmp/mos-threads.txt | head
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${THREADS_OUT:-/tmp/mos-threads.txt}"
"${MOS:-$here/mos}" stdio <&0 &
pid=$!
# Sampled while it runs: at its end the JVM's threads exit before a signal could be caught here.
(while kill -0 "$pid" 2>/dev/null; do
   snap=$(for t in /proc/$pid/task/*; do
            s=$(cat "$t/stat" 2>/dev/null) || continue; s=${s##*) }; set -- $s
            echo "$(cat "$t/comm" 2>/dev/null)|$((${12} + ${13}))"
          done)
   grep -q '^mos-stdio-reade' <<<"$snap" && echo "$snap" > "$out"
   sleep 0.1
 done) &
wait "$pid"
