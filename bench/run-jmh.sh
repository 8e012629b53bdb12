#!/usr/bin/env bash
# Compiles the test classes (the JMH annotation processor writes META-INF/BenchmarkList into
# target/test-classes) and runs dev.mos.bench.BenchMain on the test classpath.
#   bench/run-jmh.sh                       # every benchmark, ~3 minutes
#   bench/run-jmh.sh 'IngestBenchmark'     # only those matching the regex(es)
#   BENCH_OPTS='-Dbench.iterations=5' bench/run-jmh.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(./mos java-home)}"
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
if [[ ! -f target/test-classes/META-INF/BenchmarkList ]]; then
  echo "target/test-classes/META-INF/BenchmarkList is missing: the JMH annotation processor did not run" >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" ${BENCH_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
  dev.mos.bench.BenchMain "$@"
