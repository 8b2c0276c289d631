#!/usr/bin/env bash
# Measures the compose stack: the time from `docker compose up -d` (fresh volume, images built) to the
# first 201 of the tutorial's POST through the gateway, RUNS times (default 3, the median is the
# figure), then the image sizes and every container's memory after startup. Results for
# docs/benchmarks.md. Uses the project's .env (scripts/compose.sh up makes it) and its ports;
# the stack must not be running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/compose-lib.sh"
RUNS=${RUNS:-3}
GATEWAY="http://127.0.0.1:$(env_value GATEWAY_PORT | grep . || echo 8080)"
[ -f .env ] || die "no .env: run scripts/compose.sh up once"
times=()
for run in $(seq "$RUNS"); do
  compose down -v --timeout 40 >/dev/null 2>&1
  start=$(date +%s%N)
  compose up -d >/dev/null 2>&1
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -XPOST "$GATEWAY/users/create" -d "{\"email\": \"first-$run@example.com\"}")" = 201 ]; do
    [ $(( ($(date +%s%N) - start) / 1000000000 )) -lt 180 ] || die "no 201 within 180 s"
    sleep 0.2
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  times+=("$ms")
  printf 'run %d: first routed 201 after %d.%01d s\n' "$run" $((ms / 1000)) $((ms % 1000 / 100))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
printf 'median of %d: %d.%01d s\n' "$RUNS" $((median / 1000)) $((median % 1000 / 100))
wait_healthy $(compose ps -q) && sleep 10
echo "image sizes:"
for s in registry gateway users-service bugs-service notificator-service; do
  docker image inspect -f "  $s {{.Size}}" "$(image_prefix)$s:latest" | awk '{printf "  %-22s %d MB\n", $1, $2/1000000}'
done
for i in JRE_IMAGE POSTGRES_IMAGE MAILDEV_IMAGE; do
  image=$(env_value $i); [ -n "$image" ] || continue
  docker image inspect -f '{{.Size}}' "$image" | awk -v n="$image" '{printf "  %-22s %d MB\n", n, $1/1000000}'
done
echo "memory after startup (docker stats):"
docker stats --no-stream --format '  {{.Name}}\t{{.MemUsage}}' $(compose ps -q)
