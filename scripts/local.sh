#!/usr/bin/env bash
# Runs the whole bug tracker locally: five JVMs on 127.0.0.1, logs in var/log, pids in var/run.
#
#   scripts/local.sh up        build what is missing or stale, start what is not running, wait until ready
#   scripts/local.sh status    show every service: pid, ports, health
#   scripts/local.sh down      stop every service gracefully (SIGTERM, then SIGKILL after 30 s)
#   scripts/local.sh logs SVC  follow one service's log
#
# Needs a JDK 17 or newer: `java` on the PATH, or JAVA_HOME. JAVA_OPTS overrides the JVM options.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SERVICES=(registry notificator-service users-service bugs-service gateway)
declare -A HTTP_PORT=([registry]=8761 [notificator-service]=8803 [users-service]=8800 [bugs-service]=8801 [gateway]=8080)
declare -A GRPC_PORT=([notificator-service]=8802)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Tuned for a laptop running five JVMs: the serial GC and C1 only (TieredStopAtLevel=1) cut cold
# start from about 40 s to about 25 s on 2 cores and use less memory; peak throughput is lower, so
# benchmarks pass their own JAVA_OPTS.
JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx256m -XX:+ExitOnOutOfMemoryError}"
LOG_DIR="$ROOT/var/log"
RUN_DIR="$ROOT/var/run"
GATEWAY="http://127.0.0.1:${HTTP_PORT[gateway]}"

die() { printf 'local.sh: %s\n' "$*" >&2; exit 1; }

jar_of() {
  local jar
  jar=$(ls "$ROOT/$1/target/$1"-*.jar 2>/dev/null | grep -v -- '-sources\|-tests\|\.original' | head -n 1 || true)
  printf '%s' "$jar"
}

pid_of() {
  local file="$RUN_DIR/$1.pid" pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  # Only our own JVM counts: a recycled pid of some other program does not.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$1/target/$1"; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$file"
  return 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

who_listens() {
  command -v ss >/dev/null 2>&1 && ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n 1
}

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "no java found; install a JDK 17 or newer, or set JAVA_HOME"
  local version
  version=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${version%%.*}" -ge 17 ] 2>/dev/null || die "Java $version is too old: the services need 17 or newer ($JAVA)"
  printf 'Using Java %s (%s)\n' "$version" "$(command -v "$JAVA")"
}

# A service is rebuilt when its jar is missing or when a source it is built from changed after the
# last build that this script made (jar timestamps are fixed by the reproducible build, so they
# cannot be compared).
build_if_needed() {
  local stale=() service stamp
  for service in "${SERVICES[@]}"; do
    stamp="$ROOT/$service/target/.local-build-stamp"
    if [ -z "$(jar_of "$service")" ] || [ ! -f "$stamp" ]; then
      stale+=("$service")
    elif [ -n "$(find pom.xml configs api/src api/pom.xml platform/src platform/pom.xml "$service/src" "$service/pom.xml" \
        -newer "$stamp" -type f -print -quit 2>/dev/null)" ]; then
      stale+=("$service")
    fi
  done
  if [ ${#stale[@]} -gt 0 ]; then
    local list
    list=$(IFS=,; printf '%s' "${stale[*]}")
    printf 'Building %s ...\n' "$list"
    ./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true package -pl "$list" -am \
      || die "the build failed; run ./mvnw verify to see why"
    for service in "${stale[@]}"; do
      touch "$ROOT/$service/target/.local-build-stamp"
    done
  fi
}

# Refuse to start anything if a port of a service that is not running is taken.
check_ports() {
  local service port who
  for service in "${SERVICES[@]}"; do
    pid_of "$service" >/dev/null && continue
    for port in "${HTTP_PORT[$service]}" ${GRPC_PORT[$service]:-}; do
      if port_in_use "$port"; then
        who=$(who_listens "$port" || true)
        die "port $port, needed by $service, is already in use${who:+ by $who}. Stop that program, or run 'scripts/local.sh down' if it is an old stack."
      fi
    done
  done
}

start_service() {
  local service=$1 pid jar args=()
  if pid=$(pid_of "$service"); then
    printf '  %-20s already running (pid %s)\n' "$service" "$pid"
    return 0
  fi
  jar=$(jar_of "$service")
  [ -n "$jar" ] || die "no jar for $service"
  [ -n "${GRPC_PORT[$service]:-}" ] && args+=("--spring.grpc.server.port=${GRPC_PORT[$service]}")
  # shellcheck disable=SC2086
  nohup "$JAVA" $JAVA_OPTS -jar "$jar" "--server.port=${HTTP_PORT[$service]}" "${args[@]}" \
    >>"$LOG_DIR/$service.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$service.pid"
  printf '  %-20s started (pid %s), log: var/log/%s.log\n' "$service" "$!" "$service"
}

http_status() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true; }

wait_ready() {
  local deadline=$((SECONDS + 180)) service
  printf 'Waiting until the gateway routes to users-service and bugs-service '
  while :; do
    if [ "$(http_status "$GATEWAY/users?size=1")" = 200 ] && [ "$(http_status "$GATEWAY/bugs?size=1")" = 200 ]; then
      printf ' ready\n'
      return 0
    fi
    for service in "${SERVICES[@]}"; do
      if ! pid_of "$service" >/dev/null; then
        printf '\n'
        tail -n 30 "$LOG_DIR/$service.log" >&2 || true
        die "$service exited during startup; its log is var/log/$service.log (last lines above)"
      fi
    done
    [ $SECONDS -lt $deadline ] || { printf '\n'; die "not ready after 180 s; see var/log/*.log and 'scripts/local.sh status'"; }
    printf '.'
    sleep 0.5
  done
}

cmd_up() {
  local start_ns
  start_ns=$(date +%s%N)
  check_java
  mkdir -p "$LOG_DIR" "$RUN_DIR" "$ROOT/var/mail" "$ROOT/var/data"
  check_ports
  build_if_needed
  printf 'Starting services:\n'
  for service in "${SERVICES[@]}"; do
    start_service "$service"
  done
  wait_ready
  local elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  cat <<MSG

Bugtracker is up (ready in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s).
  Gateway           $GATEWAY
  Eureka dashboard  http://127.0.0.1:${HTTP_PORT[registry]}/
  Emails            var/mail/*.eml     Logs  var/log/<service>.log     Data  var/data/

Try:
  curl -XPOST $GATEWAY/users/create -d '{"email": "someone@example.com"}'
  curl -XPOST $GATEWAY/bugs/create -d '{"bug": "Login button does nothing"}'

Stop with: scripts/local.sh down
MSG
}

cmd_down() {
  local service pid i stopped=0
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    service=${SERVICES[$i]}
    if pid=$(pid_of "$service"); then
      kill -TERM "$pid" 2>/dev/null || true
      printf '  %-20s stopping (pid %s)\n' "$service" "$pid"
      stopped=1
    fi
  done
  for service in "${SERVICES[@]}"; do
    if pid=$(pid_of "$service"); then
      local deadline=$((SECONDS + 30))
      while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        printf '  %-20s did not stop in 30 s; killing it\n' "$service"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$RUN_DIR/$service.pid"
  done
  [ $stopped = 1 ] && printf 'Stopped.\n' || printf 'Nothing was running.\n'
}

cmd_status() {
  local service pid ports health rss
  printf '%-20s %-8s %-12s %-10s %s\n' SERVICE PID PORTS RSS HEALTH
  for service in "${SERVICES[@]}"; do
    ports=${HTTP_PORT[$service]}${GRPC_PORT[$service]:+,${GRPC_PORT[$service]}(grpc)}
    if pid=$(pid_of "$service"); then
      rss=$(awk '/VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo '?')
      health=$(curl -s -m 2 "http://127.0.0.1:${HTTP_PORT[$service]}/actuator/health/readiness" 2>/dev/null \
        | grep -o '"status":"[A-Z_]*"' | head -n 1 | cut -d'"' -f4 || true)
      printf '%-20s %-8s %-12s %-10s %s\n' "$service" "$pid" "$ports" "$rss" "${health:-STARTING}"
    else
      printf '%-20s %-8s %-12s %-10s %s\n' "$service" - "$ports" - stopped
    fi
  done
}

cmd_logs() {
  [ -n "${1:-}" ] || die "usage: scripts/local.sh logs <service>"
  [ -f "$LOG_DIR/$1.log" ] || die "no log for '$1' in var/log"
  exec tail -n 100 -f "$LOG_DIR/$1.log"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
