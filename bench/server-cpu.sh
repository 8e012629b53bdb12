#!/usr/bin/env bash
# The CPU time a stdio server takes under a driver, for any server command (ours or a peer's), so that the cost of
# one call can be compared as well as the calls per second. Use it in front of the server command; when the server
# ends, one line "user system" (clock ticks, usually 10 ms, of the server's process) is appended to $CPU_OUT
# (default /tmp/server-cpu.txt). With $THREADS_OUT set, the last sample of each thread ("name|user+system") is
# also written there, for work that no profiler's Java samples show (time in futex, a JDK thread of its own):
#   cd ~/.cache/mos-peers
#   CPU_OUT=/tmp/cpu-mos.txt  node stdio-bench.mjs "$OLDPWD/bench/server-cpu.sh $OLDPWD/mos stdio" 20000 64
#   CPU_OUT=/tmp/cpu-seed.txt node stdio-bench.mjs "$OLDPWD/bench/server-cpu.sh node $PWD/seed/src/server.js" 20000 64
#   THREADS_OUT=/tmp/mos-threads.txt node stdio-bench.mjs "$OLDPWD/bench/server-cpu.sh $OLDPWD/mos stdio" 20000 64
#   sort -t'|' -k2 -nr /tmp/mos-threads.txt | head
# (the drivers start the server in a temporary directory: give the peer's script as an absolute path; the lines
# land when the server has finished shutting down, which can be a moment after the driver has printed its figures).
out="${CPU_OUT:-/tmp/server-cpu.txt}"
last="$(mktemp)"
"$@" <&0 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
# Sampled while it runs: once it has exited its /proc entries are gone. The threads' sample kept is the one with
# the most CPU in all: a JVM's threads end one by one during its shutdown, taking their times with them.
(most=-1
 while kill -0 "$pid" 2>/dev/null; do
   s=$(cat "/proc/$pid/stat" 2>/dev/null) && { s=${s##*) }; set -- $s; echo "${12} ${13}" > "$last"; }
   if [ -n "${THREADS_OUT:-}" ]; then
     sum=0
     snap=$(for t in /proc/$pid/task/*; do
              s=$(cat "$t/stat" 2>/dev/null) || continue; s=${s##*) }; set -- $s
              echo "$(cat "$t/comm" 2>/dev/null)|$((${12} + ${13}))"
            done)
     while IFS='|' read -r _ ticks; do sum=$((sum + ${ticks:-0})); done <<<"$snap"
     [ "$sum" -ge "$most" ] && { most=$sum; echo "$snap" > "$THREADS_OUT"; }
   fi
   sleep 0.05
 done) &
sampler=$!
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; done
wait "$sampler"
cat "$last" >> "$out"
rm -f "$last"
