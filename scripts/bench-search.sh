#!/usr/bin/env bash
# Search benchmark of bugs-service: loads 100,000 bugs into an embedded PostgreSQL and measures
# p50/p99 of typical first-page searches at the database layer and through the HTTP endpoint.
#
#   scripts/bench-search.sh [bugs] [iterations]      (defaults: 100000 1000; JAVA_HOME selects the JDK)
#
# Prints a Markdown table (also in bugs-service/target/search-benchmark.md) for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true install -pl bugs-service -am
rm -f bugs-service/target/search-benchmark.md
./mvnw -B -q -Dspring-javaformat.skip=true surefire:test -pl bugs-service -Dtest=SearchBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true -Dbench.bugs="${1:-100000}" -Dbench.iterations="${2:-1000}" \
  -DtrimStackTrace=false >/dev/null || true
[ -f bugs-service/target/search-benchmark.md ] \
  || { echo "the benchmark failed; see bugs-service/target/surefire-reports/*SearchBenchmark*" >&2; exit 1; }
cat bugs-service/target/search-benchmark.md
