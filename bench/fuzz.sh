#!/usr/bin/env bash
# Longer fuzzing than the test run's: every harness in src/test/java/dev/mos/fuzz for about SECONDS (default 300)
# each, in rounds of the harness's own bound (FuzzBounds.TEST_RUN, 10 s: Jazzer's JUnit runner takes its time from
# the annotation only). Rounds continue from the corpus the earlier ones grew (.cifuzz-corpus/, not committed), so
# the rounds add up to one long run. A finding stops that harness: its input is written to
# src/test/resources/dev/mos/fuzz/<Harness>Inputs/<method>/crash-*, where the plain test run replays it from then
# on. Usage: bench/fuzz.sh [seconds-per-harness] [Harness ...]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME="$(./mos java-home)"
seconds="${1:-300}"
shift || true
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=($(ls src/test/java/dev/mos/fuzz/*FuzzTest.java | xargs -n1 basename | sed 's/\.java$//'))
fi
round_seconds=10
rounds=$(( (seconds + round_seconds - 1) / round_seconds ))
./mvnw -o -q test-compile 2>/dev/null || ./mvnw -o test-compile || exit 2
mkdir -p target/fuzz
failed=()
for h in "${harnesses[@]}"; do
  log="target/fuzz/$h.log"
  : > "$log"
  status=ok
  done_rounds=0
  for ((r = 1; r <= rounds; r++)); do
    if ! ./mvnw -o -B surefire:test@fuzz-"$h" >> "$log" 2>&1; then
      status=finding
      break
    fi
    done_rounds=$r
  done
  execs=$(grep -Eo '^#[0-9]+[[:space:]]+DONE' "$log" | grep -Eo '[0-9]+' | paste -sd+ | bc 2>/dev/null || echo "?")
  corpus_files=$(find ".cifuzz-corpus/dev.mos.fuzz.$h" -type f 2>/dev/null | wc -l)
  if [ "$status" = ok ]; then
    echo "fuzz: $h: no finding in $done_rounds round(s) of ${round_seconds}s, $execs inputs run, corpus $corpus_files files"
  else
    failed+=("$h")
    echo "fuzz: $h: FINDING in round $((done_rounds + 1)) (log $log):"
    grep -E '^(Caused by|expected|Expecting| but was)' -A1 "$log" | sort -u | head -6 | sed 's/^/  /'
    find src/test/resources/dev/mos/fuzz -name 'crash-*' -newer "$log" -o -name 'crash-*' -mmin -1 2>/dev/null \
      | sort -u | sed 's/^/  input: /'
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: findings in ${failed[*]}"; exit 1; }
