#!/usr/bin/env bash
# The CPU time a stdio server takes under a driver, for any server command (ours or a peer's), so that the cost of
# one call can be compared as well as the calls per second. Use it in front of the server command; when the server
# ends, one line "user system" (clock ticks, usually 10 ms, of the server's process) is appended to $CPU_OUT
# (default /tmp/server-cpu.txt):
#   cd ~/.cache/mos-peers
#   CPU_OUT=/tmp/cpu-mos.txt  node stdio-bench.mjs "$OLDPWD/bench/server-cpu.sh $OLDPWD/mos stdio" 20000 64
#   CPU_OUT=/tmp/cpu-seed.txt node stdio-bench.mjs "$OLDPWD/bench/server-cpu.sh node $PWD/seed/src/server.js" 20000 64
# (the drivers start the server in a temporary directory: give the peer's script as an absolute path; the line lands
# when the server has finished shutting down, which can be a moment after the driver has printed its figures).
out="${CPU_OUT:-/tmp/server-cpu.txt}"
last="$(mktemp)"
"$@" <&0 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
# Sampled while it runs: once it has exited its /proc entry is gone.
(while kill -0 "$pid" 2>/dev/null; do
   s=$(cat "/proc/$pid/stat" 2>/dev/null) && { s=${s##*) }; set -- $s; echo "${12} ${13}" > "$last"; }
   sleep 0.05
 done) &
sampler=$!
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; done
wait "$sampler"
cat "$last" >> "$out"
rm -f "$last"
