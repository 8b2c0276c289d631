#!/usr/bin/env bash
# What tracing costs in throughput: GET /bugs/{id} through the gateway with wrk, on a freshly started
# local stack for each setting:
#   0 %          no trace sampled (ids still propagated and logged)
#   100 %        every trace sampled: spans recorded, not exported (the local profile's default)
#   100 % + Zipkin  every trace sampled and sent to Zipkin (scripts/local.sh up --with observability,
#                which also runs Prometheus, Alertmanager and the mail catcher)
# Each setting is warmed for WARMUP seconds (default 60: the JIT), then measured in ROUNDS rounds
# (default 3) of DURATION seconds (default 20) at CONNECTIONS connections (default 32). Prints a
# Markdown table (the one measured on the reference machine is in docs/benchmarks.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WARMUP=${WARMUP:-60}
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
GATEWAY=http://127.0.0.1:8080

die() { printf 'bench-tracing.sh: %s\n' "$*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"

# wrk output -> "requests/s p99-in-ms"
summarise() {
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" {
      value = $2; unit = value; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", value)
      p99 = (unit == "us") ? value / 1000 : (unit == "s") ? value * 1000 : value
    }
    END { printf "%.0f %.1f\n", rps, p99 }'
}

measure() {
  local label=$1 with=$2 sampling=$3 id round rps p99 all=()
  scripts/local.sh down >/dev/null
  # shellcheck disable=SC2086
  MANAGEMENT_TRACING_SAMPLING_PROBABILITY=$sampling scripts/local.sh up $with >/dev/null
  id=$(curl -s -XPOST "$GATEWAY/bugs/create" -d '{"bug": "Benchmarked"}' | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  [ -n "$id" ] || die "could not report a bug to read"
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" "$GATEWAY/bugs/$id" >/dev/null
  for ((round = 1; round <= ROUNDS; round++)); do
    read -r rps p99 < <(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$GATEWAY/bugs/$id" | summarise)
    all+=("$rps req/s, p99 $p99 ms")
    printf '  %s, round %d: %s req/s, p99 %s ms\n' "$label" "$round" "$rps" "$p99" >&2
  done
  printf '| %s | %s |\n' "$label" "$(IFS=';'; printf '%s' "${all[*]}" | sed 's/;/; /g')"
}

printf '| sampling | rounds (%d s each, after %d s of warm-up, %d connections) |\n|---|---|\n' \
  "$DURATION" "$WARMUP" "$CONNECTIONS"
measure "0 %" "" 0.0
measure "100 %" "" 1.0
measure "100 % + Zipkin" "--with observability" 1.0
scripts/local.sh down >/dev/null
