#!/usr/bin/env bash
# Fills a MemorySessionStore with 1,000 sessions x 1,000 events in a 512 MB heap and reports heap used after GC
# next to the store's estimate. Extra JVM options go in MEM_OPTS, e.g.
#   MEM_OPTS='-Dfootprint.histogram=true' bench/run-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(./mos java-home)}"
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" -Xmx512m ${MEM_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
  dev.mos.bench.MemoryFootprint "$@"
