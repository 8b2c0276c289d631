#!/usr/bin/env bash
# Measures cold startup of the local stack and the memory of each service after startup.
#
#   scripts/measure-startup.sh [runs]     (default 3 runs; JAVA_HOME selects the JDK)
#
# Each run: stop the stack, start it with `scripts/local.sh up` (jars already built) and time it
# from the command to "the gateway routes to users-service and bugs-service", then read every
# service's resident memory (VmRSS). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS=${1:-3}
SERVICES=(registry notificator-service users-service bugs-service gateway)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

scripts/local.sh down >/dev/null
scripts/local.sh up >/dev/null   # builds if needed; the first start is not measured
scripts/local.sh down >/dev/null

times=()
declare -A rss_sum
for ((run = 1; run <= RUNS; run++)); do
  start=$(date +%s%N)
  scripts/local.sh up >/dev/null
  end=$(date +%s%N)
  times+=($(((end - start) / 1000000)))
  sleep 5 # let the first registry fetches and outbox polls settle before reading memory
  for service in "${SERVICES[@]}"; do
    pid=$(cat "var/run/$service.pid")
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    rss_sum[$service]=$(( ${rss_sum[$service]:-0} + kb ))
  done
  scripts/local.sh down >/dev/null
done

sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$((RUNS / 2))]}
jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
printf '### %s, JDK %s, %s cores\n\n' "$(date -u +%Y-%m-%d)" "$jdk" "$(nproc)"
printf 'Cold start of `scripts/local.sh up` to the first routed request, %d runs: median **%d.%03d s** (all: %s ms)\n\n' \
  "$RUNS" $((median / 1000)) $((median % 1000)) "$(IFS=,; echo "${times[*]}")"
printf '| service | RSS after startup (mean of %d runs) |\n|---|---|\n' "$RUNS"
total=0
for service in "${SERVICES[@]}"; do
  mib=$(( rss_sum[$service] / RUNS / 1024 ))
  total=$((total + mib))
  printf '| %s | %d MiB |\n' "$service" "$mib"
done
printf '| **total** | **%d MiB** |\n' "$total"
