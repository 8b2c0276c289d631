#!/usr/bin/env bash
# Runs .ci/run as CI runs it, on a fresh clone of a commit, with an empty Maven repository (and
# Maven downloaded by the wrapper again), and reports how long it took and the slowest starts of
# the services. docs/ci-runs.md records the results.
#
#   scripts/ci-fresh.sh [--fresh-docker] [--hog] [COMMIT]     (COMMIT defaults to HEAD)
#
#   --fresh-docker  stop the Docker engine and delete /var/lib/docker first, as on a new machine
#                   (every image on this machine is gone afterwards: the base images are rebuilt)
#   --hog           one busy process pinned to core 0 for the whole run, to see where the margins are
#
# The clone, its Maven repository and the log are under ${CI_FRESH_DIR:-/tmp/ci-fresh}/<time>.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fresh_docker=false hog=false
while [ $# -gt 0 ]; do
  case "$1" in
    --fresh-docker) fresh_docker=true ;;
    --hog) hog=true ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
commit=$(git -C "$ROOT" rev-parse "${1:-HEAD}")
dir=${CI_FRESH_DIR:-/tmp/ci-fresh}/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dir"
log=$dir/ci.log

if $fresh_docker; then
  "$ROOT/scripts/containers.sh" stop-engine >/dev/null 2>&1 || true
  pkill -x dockerd 2>/dev/null || true
  rm -rf /var/lib/docker
fi
git clone -q --no-local "$ROOT" "$dir/clone"
git -C "$dir/clone" checkout -q "$commit"

hog_pid="" sampler_pid=""
cleanup() {
  [ -z "$hog_pid" ] || kill "$hog_pid" 2>/dev/null || true
  [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null || true
}
trap cleanup EXIT
if $hog; then
  taskset -c 0 sh -c 'while :; do :; done' &
  hog_pid=$!
fi

# The machine's load every 10 s, to tell later how busy it was when.
(while :; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 10; done) >"$dir/load.log" &
sampler_pid=$!

echo "ci-fresh: $commit in $dir (fresh docker: $fresh_docker, hog: $hog); log: $log"
start=$SECONDS
set +e
(cd "$dir/clone" && MAVEN_USER_HOME="$dir/m2" MAVEN_ARGS="-Dmaven.repo.local=$dir/m2/repository" .ci/run) >"$log" 2>&1
status=$?
set -e
elapsed=$((SECONDS - start))
cleanup
hog_pid="" sampler_pid=""

verify=$(grep -o 'Total time: .*' "$log" | tail -n 1 || true)
echo "ci-fresh: exit $status after $((elapsed / 60)) min $((elapsed % 60)) s (maven: ${verify#Total time: })"
grep -E 'Tests run:.*(Fail|Err)' "$log" | grep -E 'Failures: [1-9]|Errors: [1-9]' | head -n 20 || true
echo "ci-fresh: slowest starts of the process stack's JVMs (seconds):"
grep -rhoE 'Started [A-Za-z]+ in [0-9.]+ seconds' "$dir/clone/system-tests/target/stack" 2>/dev/null \
  | awk '{print $4, $2}' | sort -rn | head -n 5 || true
echo "ci-fresh: slowest containers to turn healthy (release.sh):"
grep -hoE 'healthy after [0-9]+ s: .*' "$log" | sort -t' ' -k3 -rn | head -n 5 || true
grep -hoE 'compose stack healthy and routed [0-9]+ s after up -d' "$log" || true
echo "ci-fresh: slowest container starts (seconds):"
grep -hoE '^container /[^:]+: Started [A-Za-z]+ in [0-9.]+ seconds' "$log" | awk '{print $6, $2}' | sort -rn | head -n 5 || true
echo "ci-fresh: highest 1-minute load average (of $(nproc) cores), from $dir/load.log:"
sort -k2 -rn "$dir/load.log" | head -n 1
exit $status
