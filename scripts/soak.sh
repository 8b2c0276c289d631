#!/usr/bin/env bash
# Soak benchmark (not a CI test). Runs the local stack with two instances of users-, bugs- and
# notificator-service and sends a steady, moderate rate of mixed traffic through the gateway (reads,
# searches, registrations, bug reports, comments, transitions; every write with an Idempotency-Key)
# while it restarts one instance every 5 minutes (SIGTERM, then start) and kills one with SIGKILL once.
#
#   scripts/soak.sh [MINUTES] [RATE]      defaults: 30 minutes, 40 requests per second
#
# The services use PostgreSQL, as in production: a throwaway server under /tmp, started from the
# PostgreSQL binaries of the machine (Debian: apt-get install postgresql; or PG_BIN=<its bin directory>)
# and removed at the end. The local H2 files would not do: the first instance of a service serves its
# H2 file to the others, so restarting it fails their requests, which is a limit of the zero-install
# mode and not what a soak is for.
#
# JAVA_HOME picks the JDK for the stack and the load alike. Prints, and writes to var/soak/: requests,
# errors, p50/p99/max latency per minute (minutes with a kill or restart are marked), the RSS and the
# live heap of every instance at minute 5 and at the end, and the outbox backlog at the end. Targets (docs/benchmarks.md):
# zero errors, p99 <= 100 ms in every minute without a kill, RSS growth < 10 % from minute 5 to the
# end, an empty outbox at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MINUTES=${1:-30}
RATE=${2:-40}
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
SCALE=(--scale users-service=2 --scale bugs-service=2 --scale notificator-service=2)
JDK=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/{print $2}')
OUT="var/soak/jdk$JDK-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p var/soak
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT.events"; }
die() { printf 'soak.sh: %s\n' "$*" >&2; exit 1; }

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BIN/initdb" ] || die "needs the PostgreSQL server binaries: apt-get install postgresql, or set PG_BIN"
# PostgreSQL does not run as root: as root, run it as the postgres user that the package creates.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_DIR=""

start_postgres() {
  PG_DIR=$(mktemp -d /tmp/bugtracker-soak-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  local port
  for ((port = 25432; port < 25532; port++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >"$PG_DIR/initdb.log"
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
  local db
  for db in users bugs notificator; do
    as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
      -c "create role $db login password 'soak'" -c "create database $db owner $db"
  done
  export SPRING_PROFILES_ACTIVE=local,postgres DATABASE_HOST=127.0.0.1 DATABASE_PORT=$port DATABASE_PASSWORD=soak
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $PG_DIR"
}

stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}

JCMD="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd"

# "instance RSS-MiB live-heap-MiB" for every instance. RSS alone cannot tell a leak from a heap that is
# still growing towards its cap, so the live heap is read too: the heap in use right after a full GC
# (jcmd GC.run, which costs each JVM one full collection: some 100 ms on these heaps).
memory_table() {
  local file name pid kb live
  for file in var/run/*.pid; do
    name=$(basename "$file" .pid)
    pid=$(cat "$file")
    kb=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    live=-1
    if [ -x "$JCMD" ] && "$JCMD" "$pid" GC.run >/dev/null 2>&1; then
      live=$("$JCMD" "$pid" GC.heap_info 2>/dev/null \
        | awk '/ total / && / used / && !/Metaspace|class space/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K.*/, "", v); sum += v}} END {print int(sum / 1024)}')
    fi
    printf '%s %d %s\n' "$name" $((kb / 1024)) "$live"
  done | sort
}

http_port() {
  if [ -f "var/run/$1.ports" ]; then
    awk '{print $1}' "var/run/$1.ports"
  else
    case $1 in users-service) echo 8800 ;; bugs-service) echo 8801 ;; esac
  fi
}

outbox_backlog() {
  local file name port
  for file in var/run/users-service*.pid var/run/bugs-service*.pid; do
    name=$(basename "$file" .pid)
    port=$(http_port "$name")
    [ -n "$port" ] || continue
    printf '%s %s\n' "$name" "$(curl -s -m 5 "http://127.0.0.1:$port/actuator/prometheus" \
      | awk '/^bugtracker_outbox_pending/{print $2; exit}')"
  done
}

# SIGTERM one instance, wait until it is gone, start it again.
restart() {
  local name=$1 pid
  pid=$(cat "var/run/$name.pid")
  log "restart $name (pid $pid): SIGTERM"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 1; done
  scripts/local.sh up "${SCALE[@]}" >>"$OUT.events" 2>&1
  log "restart $name: back"
}

crash() {
  local name=$1 pid
  pid=$(cat "var/run/$name.pid")
  log "kill -9 $name (pid $pid)"
  kill -KILL "$pid"
  sleep 20 # let the registry and the callers notice it is gone
  scripts/local.sh up "${SCALE[@]}" >>"$OUT.events" 2>&1
  log "kill -9 $name: started again"
}

log "soak: $MINUTES minutes at $RATE requests/s on JDK $JDK"
if scripts/local.sh status 2>/dev/null | awk 'NR > 1 && $2 != "-"' | grep -q .; then
  die "the local stack is running: stop it first (scripts/local.sh down), the soak starts its own"
fi
LOAD=""
trap 'if [ -n "$LOAD" ]; then kill "$LOAD" 2>/dev/null || true; fi; scripts/local.sh down >/dev/null 2>&1 || true; stop_postgres' EXIT
start_postgres
scripts/local.sh up "${SCALE[@]}" >>"$OUT.events" 2>&1
"$JAVA" scripts/soak/Soak.java http://127.0.0.1:8080 "$RATE" "$MINUTES" >"$OUT.minutes" 2>&1 &
LOAD=$!

ROTATION=(users-service-2 bugs-service-2 notificator-service-2 users-service bugs-service notificator-service)
CRASH_MINUTE=$(( MINUTES / 2 + 2 ))
marks=()
START=$(date +%s)
for ((minute = 1; minute <= MINUTES; minute++)); do
  # Until the end of this minute of the load, however long the last restart took.
  sleep $(( START + minute * 60 - $(date +%s) > 0 ? START + minute * 60 - $(date +%s) : 0 )) &
  wait $!
  if [ "$minute" -eq 5 ]; then memory_table >"$OUT.memory-start"; fi
  if [ "$minute" -lt "$MINUTES" ] && [ $((minute % 5)) -eq 0 ]; then
    marks+=($((minute + 1)))
    restart "${ROTATION[$(( (minute / 5 - 1) % ${#ROTATION[@]} ))]}"
  elif [ "$minute" -eq "$CRASH_MINUTE" ]; then
    marks+=($((minute + 1)) $((minute + 2)))
    crash bugs-service-2
  fi
done
wait $LOAD || true
LOAD=""
memory_table >"$OUT.memory-end"
sleep 10 # let the outbox catch up with the last minute's writes
outbox_backlog >"$OUT.outbox"

{
  printf '## Soak on JDK %s: %s minutes at %s requests/s\n\n' "$JDK" "$MINUTES" "$RATE"
  printf '| minute | requests | errors | p50 ms | p99 ms | max ms | event |\n|---|---|---|---|---|---|---|\n'
  grep -E '^[0-9]+ ' "$OUT.minutes" | while read -r m req err p50 p99 max; do
    event=""
    [[ " ${marks[*]} " == *" $m "* ]] && event="restart or kill"
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$m" "$req" "$err" "$p50" "$p99" "$max" "$event"
  done
  printf '\nErrors (first of each minute):\n\n'
  grep '^#' "$OUT.minutes" | head -20 || true
  printf '\n| instance | RSS at minute 5, MiB | RSS at the end, MiB | live heap at minute 5, MiB | live heap at the end, MiB |\n|---|---|---|---|---|\n'
  join "$OUT.memory-start" "$OUT.memory-end" | awk '{printf "| %s | %s | %s | %s | %s |\n", $1, $2, $4, $3, $5}'
  printf '\nOutbox backlog at the end: %s\n' "$(tr '\n' ' ' <"$OUT.outbox")"
} | tee "$OUT.md"
scripts/local.sh down >>"$OUT.events" 2>&1
