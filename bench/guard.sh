#!/usr/bin/env bash
# The regression guard: measures the figures users meet (stdio cold on the default store, POST /hooks, OTLP
# in-process, a JMH set) on this work tree and on a baseline commit, alternating in one run, and prints each
# beside the one committed in docs/PERFORMANCE.md ("Regression guard"). Flags (exit 1) a figure worse than 0.7x
# the baseline. A benchmark, not a test: ~10 minutes on 2 cores, not part of ./run-tests. Needs wrk.
#   bench/guard.sh                 # baseline: HEAD (what the work tree changes)
#   bench/guard.sh HEAD~3          # baseline: any commit
#   bench/guard.sh none            # no baseline: only beside the committed figures
#   GUARD_OPTS='--rounds 5 --only stdio,hooks' bench/guard.sh   # groups: stdio, hooks, otlp, jmh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(./mos java-home)}"
ref="${1:-HEAD}"

build() { # project dir: jar, test classes, the test classpath in target/cp.txt
  (cd "$1" && ./mvnw -q -B -DskipTests package test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >&2 && ./mos version >/dev/null)
}

echo "guard: building the work tree" >&2
build .
base_args=()
if [ "$ref" != "none" ]; then
  commit="$(git rev-parse --short "$ref^{commit}")"
  base="target/guard-base"
  git worktree remove --force "$base" >/dev/null 2>&1 || rm -rf "$base"
  git worktree prune
  git worktree add --detach "$base" "$commit" >/dev/null
  trap 'git worktree remove --force "$base" >/dev/null 2>&1 || true' EXIT
  echo "guard: building the baseline $ref ($commit)" >&2
  build "$base"
  base_args=(--base "$base" --base-label "$commit")
fi
"$JAVA_HOME/bin/java" -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.mos.bench.RegressionGuard \
  --now . "${base_args[@]}" --committed docs/PERFORMANCE.md ${GUARD_OPTS:-}
