#!/usr/bin/env bash
# Runs the whole bug tracker locally: five JVMs on 127.0.0.1, logs in var/log, pids in var/run.
#
#   scripts/local.sh up [--scale SVC=N ...] [--with observability]
#                              build what is missing or stale, start what is not running, wait until
#                              ready; --scale runs exactly N instances of users-service, bugs-service or
#                              notificator-service (extra ones on free ports; surplus ones stop gracefully);
#                              --with observability also runs Zipkin (9411), Prometheus (9090), Alertmanager
#                              (9093) and a mail catcher for its email (2525, into var/mail), and has the
#                              services started now send their spans to Zipkin
#   scripts/local.sh build     build what is missing or stale, start nothing
#   scripts/local.sh status    show every instance: pid, ports, memory, health
#   scripts/local.sh down      stop every instance gracefully (SIGTERM, then SIGKILL after 30 s)
#   scripts/local.sh logs SVC  follow one instance's log (users-service, users-service-2, ...)
#   scripts/local.sh logs [--trace ID] [--level LEVEL] [--since DURATION] [--service SERVICE]
#                              every instance's lines, merged in time order: one request's (the id in
#                              its X-Trace-Id), of one level and above, of the last 10m, of one service
#
# Needs a JDK 17 or newer: `java` on the PATH, or JAVA_HOME. JAVA_OPTS overrides the JVM options.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SERVICES=(registry notificator-service users-service bugs-service gateway)
SCALABLE=(notificator-service users-service bugs-service)
# The first instance of each service listens on these ports; extra instances (users-service-2, ...) get
# free ports, written to var/run/<instance>.ports.
declare -A HTTP_PORT=([registry]=8761 [notificator-service]=8803 [users-service]=8800 [bugs-service]=8801 [gateway]=8080)
declare -A GRPC_PORT=([notificator-service]=8802)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Tuned for a laptop running five JVMs (docs/benchmarks.md has the measurements): the serial GC, a heap
# that starts small (the default initial heap is 1/64 of RAM: 384 MiB here, soon all touched) and may
# grow to 256 MiB (at 128 MiB users-service spent 3 s of 4 minutes of load in full GCs, p99 70 ms), and
# small thread stacks. JAVA_OPTS replaces these.
JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xss512k -Xms16m -Xmx256m -XX:+ExitOnOutOfMemoryError}"
# The registry and notificator are off the request path: C1 only starts them faster and keeps them
# smaller. The gateway, users-service and bugs-service get C2, which serves requests about 3x faster
# once warm (p99 through the gateway 16 ms instead of 40 ms), but only for methods ten times hotter
# than by default: on 2 cores, C2 compiling startup code made the cold start about 4 s longer.
# SERVICE_JAVA_OPTS=none turns this off.
C1_ONLY="-XX:TieredStopAtLevel=1"
C2_HOT="-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=60000 -XX:Tier4BackEdgeThreshold=400000"
declare -A SERVICE_OPTS=([registry]="$C1_ONLY" [notificator-service]="$C1_ONLY" [users-service]="$C2_HOT"
  [bugs-service]="$C2_HOT" [gateway]="$C2_HOT")
[ "${SERVICE_JAVA_OPTS:-}" = none ] && SERVICE_OPTS=()
# glibc gives every thread that allocates its own malloc arena (64 MiB reserved each); two are plenty
# for a JVM, whose heap is not malloc'ed.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# Instances of a service share its H2 database (AUTO_SERVER=TRUE in configs/): the first process to
# open it serves it to the others over TCP, bound to loopback only by this property.
H2_OPTS="-Dh2.bindAddress=127.0.0.1"
# BUGTRACKER_LOG_DIR points `logs` at another stack's logs (the system tests do so).
LOG_DIR="${BUGTRACKER_LOG_DIR:-$ROOT/var/log}"
RUN_DIR="$ROOT/var/run"
GATEWAY="http://127.0.0.1:${HTTP_PORT[gateway]}"

die() { printf 'local.sh: %s\n' "$*" >&2; exit 1; }

jar_of() {
  local jar
  jar=$(ls "$ROOT/$1/target/$1"-*.jar 2>/dev/null | grep -v -- '-sources\|-tests\|\.original' | head -n 1 || true)
  printf '%s' "$jar"
}

# users-service-2 -> users-service
service_of() { printf '%s' "${1%-[0-9]*}"; }

# The instances that have a pid file, first instances first: "users-service users-service-2 ...".
instances_of() {
  local service=$1 file
  [ -f "$RUN_DIR/$service.pid" ] && printf '%s\n' "$service"
  for file in "$RUN_DIR/$service"-[0-9]*.pid; do
    [ -f "$file" ] && basename "$file" .pid
  done | sort -t- -k3 -n
  return 0
}

pid_of() {
  local file="$RUN_DIR/$1.pid" pid service
  service=$(service_of "$1")
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  # Only our own JVM counts: a recycled pid of some other program does not.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$service/target/$service"; then
    printf '%s' "$pid"
    return 0
  fi
  rm -f "$file" "$RUN_DIR/$1.ports"
  return 1
}

# "HTTP [GRPC]" of an instance.
ports_of() {
  if [ -f "$RUN_DIR/$1.ports" ]; then
    cat "$RUN_DIR/$1.ports"
  else
    printf '%s %s' "${HTTP_PORT[$1]}" "${GRPC_PORT[$1]:-}"
  fi
}

# A port nobody listens on, from the dynamic range; the kernel picks such ports for clients only above
# ip_local_port_range's start, so 20000-32767 is left to us.
# free_port [EXCEPT]
free_port() {
  local port tries
  for ((tries = 0; tries < 200; tries++)); do
    port=$((20000 + RANDOM % 12768))
    if [ "$port" != "${1:-}" ] && ! port_in_use "$port" && ! grep -qw -- "$port" "$RUN_DIR"/*.ports 2>/dev/null; then
      printf '%s' "$port"
      return 0
    fi
  done
  die "found no free port"
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
  JAVA_MAJOR=${version%%.*}
}

# Class data sharing: each service runs from its extracted jar (target/<service>-app/) with an archive of
# the classes its startup loads, made by one training run per build and JDK (Spring Boot's
# -Dspring.context.exit=onRefresh: the context starts, nothing listens, the JVM exits). JDK 25 and
# newer get an AOT cache (classes loaded and linked), older ones a dynamic CDS archive. Cold start
# takes about a third less CPU. CDS=off runs the plain jars.
CDS=${CDS:-on}

app_dir_of() { printf '%s' "$ROOT/$1/target/$1-app"; }

archive_of() {
  local suffix=jsa
  [ "$JAVA_MAJOR" -ge 25 ] && suffix=aot
  printf '%s/jdk%s.%s' "$(app_dir_of "$1")" "$JAVA_MAJOR" "$suffix"
}

# The JVM arguments that launch a service: "-jar <jar>", with its archive when there is one.
launch_of() {
  local service=$1 archive app
  archive=$(archive_of "$service")
  app="$(app_dir_of "$service")/$(basename "$(jar_of "$service")")"
  if [ "$CDS" != off ] && [ -f "$archive" ] && [ -f "$app" ]; then
    if [ "$JAVA_MAJOR" -ge 25 ]; then
      printf -- '-XX:AOTCache=%s -jar %s' "$archive" "$app"
    else
      printf -- '-XX:SharedArchiveFile=%s -jar %s' "$archive" "$app"
    fi
  else
    printf -- '-jar %s' "$(jar_of "$service")"
  fi
}

prepare_cds() {
  [ "$CDS" != off ] || return 0
  load_secrets
  local service app_dir archive jar stamp record
  for service in "${SERVICES[@]}"; do
    archive=$(archive_of "$service")
    stamp="$ROOT/$service/target/.local-build-stamp"
    [ -f "$archive" ] && [ "$archive" -nt "$stamp" ] && continue
    app_dir=$(app_dir_of "$service")
    jar=$(jar_of "$service")
    printf '  %-22s training run for class data sharing (once per build and JDK) ...\n' "$service"
    # Extracted again only when the jar changed (its timestamps are fixed by the reproducible build).
    if [ "$(cat "$app_dir/source.sha1" 2>/dev/null)" != "$(sha1sum <"$jar")" ]; then
      rm -rf "$app_dir"
      "$JAVA" -Djarmode=tools -jar "$jar" extract --destination "$app_dir" >/dev/null \
        || die "could not extract $jar"
      sha1sum <"$jar" >"$app_dir/source.sha1"
    fi
    record="-XX:ArchiveClassesAtExit=$archive"
    [ "$JAVA_MAJOR" -ge 25 ] && record="-XX:AOTCacheOutput=$archive"
    rm -f "$archive"
    # shellcheck disable=SC2086
    if ! "$JAVA" $JAVA_OPTS ${SERVICE_OPTS[$service]:-} $record -Dspring.context.exit=onRefresh -jar "$app_dir/$(basename "$jar")" \
        --spring.datasource.url=jdbc:h2:mem:cds-training --eureka.client.register-with-eureka=false \
        --eureka.client.fetch-registry=false >"$LOG_DIR/$service-cds.log" 2>&1 || [ ! -f "$archive" ]; then
      printf '  %-22s no archive (see var/log/%s-cds.log); it starts without one\n' "$service" "$service"
      rm -f "$archive"
    fi
  done
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
    elif [ -n "$(find pom.xml configs api/src api/pom.xml platform/src platform/pom.xml loadbalancing/src loadbalancing/pom.xml "$service/src" "$service/pom.xml" \
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

# start_instance NAME [HTTP_PORT [GRPC_PORT]]: the first instance takes the service's fixed ports.
# Secrets come from the environment only (docs/operations.md, "Secrets"). Locally, each one that is not
# set is generated once into var/secrets/ (readable by its owner only) and reused by every start.
SECRETS_DIR="$ROOT/var/secrets"
load_secrets() {
  local variable file
  for variable in BUGS_SERVICE_CLIENT_SECRET IDEMPOTENCY_SECRET SIGNING_KEYS_SECRET; do
    [ -n "${!variable:-}" ] && continue
    file="$SECRETS_DIR/$(printf '%s' "$variable" | tr 'A-Z_' 'a-z-')"
    if [ ! -s "$file" ]; then
      mkdir -p "$SECRETS_DIR"
      (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$file")
    fi
    export "$variable=$(cat "$file")"
  done
}

start_instance() {
  local instance=$1 service pid jar http grpc args=()
  load_secrets
  service=$(service_of "$instance")
  if pid=$(pid_of "$instance"); then
    printf '  %-22s already running (pid %s)\n' "$instance" "$pid"
    return 0
  fi
  jar=$(jar_of "$service")
  [ -n "$jar" ] || die "no jar for $service"
  local launch
  launch=$(launch_of "$service")
  http=${2:-${HTTP_PORT[$service]}}
  grpc=${3:-${GRPC_PORT[$service]:-}}
  [ -n "$grpc" ] && args+=("--spring.grpc.server.port=$grpc")
  # shellcheck disable=SC2086
  # The console goes to var/log/<instance>.log for people; JSON lines to var/log/<instance>.json for
  # `logs --trace` and log shippers.
  args+=("--logging.file.name=$LOG_DIR/$instance.json")
  nohup "$JAVA" $JAVA_OPTS ${SERVICE_OPTS[$service]:-} $H2_OPTS $launch "--server.port=$http" "${args[@]}" \
    >>"$LOG_DIR/$instance.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$instance.pid"
  [ "$instance" = "$service" ] || printf '%s %s' "$http" "$grpc" >"$RUN_DIR/$instance.ports"
  printf '  %-22s started (pid %s), ports %s, log: var/log/%s.log\n' "$instance" "$!" "$http${grpc:+,$grpc(grpc)}" "$instance"
}

# Stops instances gracefully, all at once: SIGTERM (they leave Eureka, then drain), SIGKILL after 30 s.
stop_instances() {
  local instance pid pids=() names=()
  for instance in "$@"; do
    if pid=$(pid_of "$instance"); then
      kill -TERM "$pid" 2>/dev/null || true
      printf '  %-22s stopping (pid %s)\n' "$instance" "$pid"
      pids+=("$pid")
      names+=("$instance")
    fi
  done
  local i deadline=$((SECONDS + 30))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      printf '  %-22s did not stop in 30 s; killing it\n' "${names[$i]}"
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  for instance in "$@"; do
    rm -f "$RUN_DIR/$instance.pid" "$RUN_DIR/$instance.ports"
  done
}

# The gateway's actuator listens on a port of its own, on loopback (configs/gateway.yml); the others'
# on their HTTP port.
declare -A MANAGEMENT_PORT=([gateway]=8081)

readiness_of() {
  local http
  read -r http _ <<<"$(ports_of "$1")"
  http=${MANAGEMENT_PORT[$(service_of "$1")]:-$http}
  curl -s -m 2 "http://127.0.0.1:$http/actuator/health/readiness" 2>/dev/null \
    | grep -o '"status":"[A-Z_]*"' | head -n 1 | cut -d'"' -f4 || true
}

# Waits until the given instances are ready (their readiness probe says UP).
wait_instances_ready() {
  [ $# -gt 0 ] || return 0
  local deadline=$((SECONDS + 180)) instance pending
  printf 'Waiting for %s ' "$*"
  while :; do
    pending=0
    for instance in "$@"; do
      if ! pid_of "$instance" >/dev/null; then
        printf '\n'
        tail -n 30 "$LOG_DIR/$instance.log" >&2 || true
        die "$instance exited during startup; its log is var/log/$instance.log (last lines above)"
      fi
      [ "$(readiness_of "$instance")" = UP ] || pending=1
    done
    if [ $pending = 0 ]; then
      printf ' ready\n'
      return 0
    fi
    [ $SECONDS -lt $deadline ] || { printf '\n'; die "not ready after 180 s; see var/log/ and 'scripts/local.sh status'"; }
    printf '.'
    sleep 0.5
  done
}

# Brings a service to exactly N instances: starts the missing ones on free ports, and stops the
# surplus ones (the newest first) gracefully.
scale_service() {
  local service=$1 count=$2 instances=() instance n started=() surplus=()
  mapfile -t instances < <(instances_of "$service")
  for instance in "${instances[@]}"; do
    n=${instance##*-}
    [ "$instance" = "$service" ] && n=1
    [ "$n" -gt "$count" ] && surplus+=("$instance")
  done
  if [ ${#surplus[@]} -gt 0 ]; then
    printf 'Scaling %s down to %s:\n' "$service" "$count"
    stop_instances "${surplus[@]}"
  fi
  for ((n = 2; n <= count; n++)); do
    instance="$service-$n"
    if ! pid_of "$instance" >/dev/null; then
      [ ${#started[@]} -gt 0 ] || printf 'Scaling %s up to %s:\n' "$service" "$count"
      local http grpc=
      http=$(free_port)
      [ -n "${GRPC_PORT[$service]:-}" ] && grpc=$(free_port "$http")
      start_instance "$instance" "$http" "$grpc"
      started+=("$instance")
    fi
  done
  wait_instances_ready "${started[@]}"
}

http_status() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true; }

wait_ready() {
  local deadline=$((SECONDS + 180)) service
  printf 'Waiting until the gateway routes to users-service and bugs-service '
  while :; do
    # users-service answers "who are you?" with 401 (the gateway would answer 503 without it).
    if [ "$(http_status "$GATEWAY/users/me")" = 401 ] && [ "$(http_status "$GATEWAY/bugs?size=1")" = 200 ]; then
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

# --with observability: Zipkin (its executable jar, from Maven Central), Prometheus and Alertmanager
# (Debian's packages) with the configuration of deployments/observability rendered for 127.0.0.1, and
# scripts/SmtpSink.java, which writes Alertmanager's email as .eml files beside notificator's.
OBS_DIR="$ROOT/var/observability"
TOOLS=(zipkin prometheus alertmanager smtp-sink)
declare -A TOOL_PORT=([zipkin]=9411 [prometheus]=9090 [alertmanager]=9093 [smtp-sink]=2525)

tool_pid_of() {
  local file="$RUN_DIR/$1.pid" pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$OBS_DIR\|SmtpSink"; then
    printf '%s' "$pid"
    return 0
  fi
  return 1
}

zipkin_jar() {
  local version jar
  version=$(sed -n 's|.*<zipkin-server.version>\(.*\)</zipkin-server.version>.*|\1|p' "$ROOT/pom.xml")
  jar="$OBS_DIR/zipkin-server-$version-exec.jar"
  if [ ! -f "$jar" ]; then
    printf '  downloading the Zipkin server %s from Maven Central (about 135 MB, once)\n' "$version" >&2
    "$ROOT/mvnw" -q -B -N dependency:copy -Dartifact="io.zipkin:zipkin-server:$version:jar:exec" \
      -DoutputDirectory="$OBS_DIR" >&2 || die "could not download the Zipkin server"
  fi
  printf '%s' "$jar"
}

start_tool() {
  local name=$1 pid
  shift
  if pid=$(tool_pid_of "$name"); then
    printf '  %-22s already running (pid %s)\n' "$name" "$pid"
    return 0
  fi
  if port_in_use "${TOOL_PORT[$name]}"; then
    local who
    who=$(who_listens "${TOOL_PORT[$name]}" || true)
    die "port ${TOOL_PORT[$name]}, needed by $name, is already in use${who:+ by $who}"
  fi
  nohup "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
  printf '  %-22s started (pid %s), port %s, log: var/log/%s.log\n' "$name" "$!" "${TOOL_PORT[$name]}" "$name"
}

start_observability() {
  command -v prometheus >/dev/null && command -v prometheus-alertmanager >/dev/null \
    || die "--with observability needs Prometheus and Alertmanager: apt-get install prometheus prometheus-alertmanager"
  local jar
  jar=$(zipkin_jar)
  mkdir -p "$OBS_DIR"
  "$ROOT/scripts/observability.sh" render "$OBS_DIR/config" --registry "http://127.0.0.1:${HTTP_PORT[registry]}" \
    --alertmanager "127.0.0.1:${TOOL_PORT[alertmanager]}" --smtp "127.0.0.1:${TOOL_PORT[smtp-sink]}"
  printf 'Starting observability:\n'
  start_tool smtp-sink "$JAVA" "$ROOT/scripts/SmtpSink.java" "${TOOL_PORT[smtp-sink]}" "$ROOT/var/mail"
  # shellcheck disable=SC2086
  # Zipkin keeps spans in memory: at most 20,000. Its default, 500,000, and 100,000 too, outgrew 256 MiB
  # within a minute of scripts/bench.sh --tracing (thousands of spans a second) and left it unresponsive.
  start_tool zipkin "$JAVA" -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -Dzipkin.dir="$OBS_DIR" -jar "$jar" \
    "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].port=${TOOL_PORT[zipkin]}" "--armeria.ports[0].protocols[0]=http" \
    "--zipkin.storage.mem.max-spans=20000"
  start_tool prometheus prometheus "--config.file=$OBS_DIR/config/prometheus.yml" \
    "--storage.tsdb.path=$OBS_DIR/prometheus-data" "--web.listen-address=127.0.0.1:${TOOL_PORT[prometheus]}"
  # No cluster: Alertmanager would otherwise listen for peers on every interface.
  start_tool alertmanager prometheus-alertmanager "--config.file=$OBS_DIR/config/alertmanager.yml" \
    "--storage.path=$OBS_DIR/alertmanager-data" "--web.listen-address=127.0.0.1:${TOOL_PORT[alertmanager]}" \
    "--cluster.listen-address="
  local deadline=$((SECONDS + 120)) name
  for name in zipkin prometheus alertmanager smtp-sink; do
    until tool_ready "$name"; do
      tool_pid_of "$name" >/dev/null || die "$name exited; see var/log/$name.log"
      [ $SECONDS -lt $deadline ] || die "$name is not ready after 120 s; see var/log/$name.log"
      sleep 0.5
    done
  done
}

# Whether a tool answers: its health or readiness endpoint, the mail catcher its port.
tool_ready() {
  case $1 in
    zipkin) [ "$(http_status "http://127.0.0.1:${TOOL_PORT[zipkin]}/health")" = 200 ] ;;
    smtp-sink) port_in_use "${TOOL_PORT[smtp-sink]}" ;;
    *) [ "$(http_status "http://127.0.0.1:${TOOL_PORT[$1]}/-/ready")" = 200 ] ;;
  esac
}

stop_observability() {
  local name pid stopped=()
  for name in "${TOOLS[@]}"; do
    if pid=$(tool_pid_of "$name"); then
      kill "$pid" 2>/dev/null || true
      stopped+=("$pid")
    fi
    rm -f "$RUN_DIR/$name.pid"
  done
  for pid in ${stopped[@]+"${stopped[@]}"}; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ ${#stopped[@]} -eq 0 ] || printf 'Stopped observability (%s).\n' "${TOOLS[*]}"
}

cmd_up() {
  local start_ns scale=() arg service count started=0 observability=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --scale) [ $# -ge 2 ] || die "--scale needs SERVICE=N"; arg=$2; shift 2 ;;
      --scale=*) arg=${1#--scale=}; shift ;;
      --with)
        [ "${2:-}" = observability ] || die "--with takes 'observability'"
        observability=1; shift 2; continue ;;
      *) die "unknown option '$1' (usage: scripts/local.sh up [--scale SERVICE=N ...] [--with observability])" ;;
    esac
    service=${arg%%=*}
    count=${arg#*=}
    [[ " ${SCALABLE[*]} " == *" $service "* ]] \
      || die "cannot scale '$service': only ${SCALABLE[*]} run as several instances (registry and gateway have fixed ports)"
    [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 9 ] \
      || die "--scale $arg: the number of instances must be 1 to 9 ('scripts/local.sh down' stops everything)"
    scale+=("$service=$count")
  done
  check_java
  mkdir -p "$LOG_DIR" "$RUN_DIR" "$ROOT/var/mail" "$ROOT/var/data"
  check_ports
  build_if_needed
  prepare_cds
  if [ $observability = 1 ]; then
    start_observability
    # Services started from here on send their spans to Zipkin (on localhost:9411, Boot's default).
    export MANAGEMENT_TRACING_EXPORT_ZIPKIN_ENABLED=true
  fi
  start_ns=$(date +%s%N)
  printf 'Starting services:\n'
  local fresh=()
  for service in "${SERVICES[@]}"; do
    pid_of "$service" >/dev/null || { started=1; fresh+=("$service"); }
    start_instance "$service"
  done
  wait_ready
  local elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 )) ready
  # The gateway may already route to other instances: wait for the ones just started too.
  [ ${#fresh[@]} -eq 0 ] || wait_instances_ready "${fresh[@]}"
  ready="first routed request $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s after the start"
  [ $started = 1 ] || ready="it was already running"
  # Extra instances start once the first ones are up: they then find their database migrated and open
  # it through the first instance.
  for arg in "${scale[@]}"; do
    scale_service "${arg%%=*}" "${arg#*=}"
  done
  cat <<MSG

Bugtracker is up ($ready).
  Gateway           $GATEWAY
  Eureka dashboard  http://127.0.0.1:${HTTP_PORT[registry]}/
  Emails            var/mail/*.eml     Logs  var/log/<service>.log     Data  var/data/

Try:
  curl -XPOST $GATEWAY/users/create -d '{"email": "someone@example.com"}'
  curl -XPOST $GATEWAY/bugs/create -d '{"bug": "Login button does nothing"}'

Stop with: scripts/local.sh down
MSG
  if [ $observability = 1 ]; then
    cat <<MSG
Observability:
  Zipkin            http://127.0.0.1:${TOOL_PORT[zipkin]}/        (spans of the services started with --with observability)
  Prometheus        http://127.0.0.1:${TOOL_PORT[prometheus]}/classic/alerts (Debian's package has the classic UI)
  Alertmanager      http://127.0.0.1:${TOOL_PORT[alertmanager]}/   (email to var/mail/alert-*.eml)
  Logs of a request scripts/local.sh logs --trace <X-Trace-Id>
MSG
  fi
}

cmd_down() {
  local i service instances=() all=()
  # Gateway first, registry last; the instances of a service stop together.
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    service=${SERVICES[$i]}
    mapfile -t instances < <(instances_of "$service")
    all+=("${instances[@]}")
  done
  local running=()
  for service in "${all[@]}"; do
    pid_of "$service" >/dev/null && running+=("$service")
  done
  local tools=0 name
  for name in "${TOOLS[@]}"; do tool_pid_of "$name" >/dev/null && tools=1; done
  if [ ${#running[@]} -eq 0 ] && [ $tools = 0 ]; then
    printf 'Nothing was running.\n'
    return 0
  fi
  if [ ${#running[@]} -gt 0 ]; then
    stop_instances "${running[@]}"
    printf 'Stopped.\n'
  fi
  stop_observability
}

cmd_status() {
  local service instance instances pid http grpc ports health rss
  printf '%-22s %-8s %-18s %-10s %s\n' INSTANCE PID PORTS RSS HEALTH
  for service in "${SERVICES[@]}"; do
    mapfile -t instances < <(instances_of "$service")
    [ ${#instances[@]} -gt 0 ] || instances=("$service")
    for instance in "${instances[@]}"; do
      read -r http grpc <<<"$(ports_of "$instance")"
      ports=$http${grpc:+,$grpc(grpc)}
      if pid=$(pid_of "$instance"); then
        rss=$(awk '/VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo '?')
        health=$(readiness_of "$instance")
        printf '%-22s %-8s %-18s %-10s %s\n' "$instance" "$pid" "$ports" "$rss" "${health:-STARTING}"
      else
        printf '%-22s %-8s %-18s %-10s %s\n' "$instance" - "$ports" - stopped
      fi
    done
  done
  local name
  for name in "${TOOLS[@]}"; do
    if pid=$(tool_pid_of "$name"); then
      rss=$(awk '/VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo '?')
      health="NOT RESPONDING (see var/log/$name.log)"
      tool_ready "$name" && health=UP
      printf '%-22s %-8s %-18s %-10s %s\n' "$name" "$pid" "${TOOL_PORT[$name]}" "$rss" "$health"
    fi
  done
}

cmd_logs() {
  case ${1:-} in
    --*) query_logs "$@" ;;
    '') die "usage: scripts/local.sh logs <instance> | logs [--trace ID] [--level LEVEL] [--since DURATION] [--service SERVICE]" ;;
    *)
      [ -f "$LOG_DIR/$1.log" ] || die "no log for '$1' in var/log"
      exec tail -n 100 -f "$LOG_DIR/$1.log" ;;
  esac
}

# 90s, 10m, 2h, 1d -> seconds
seconds_of() {
  case $1 in
    *[0-9]s) printf '%d' "${1%s}" ;;
    *[0-9]m) printf '%d' $(( ${1%m} * 60 )) ;;
    *[0-9]h) printf '%d' $(( ${1%h} * 3600 )) ;;
    *[0-9]d) printf '%d' $(( ${1%d} * 86400 )) ;;
    *) return 1 ;;
  esac
}

# The JSON lines (Elastic Common Schema) of every instance, filtered and merged in time order, one
# readable line each. Plain bash, awk and sort: nothing to install.
query_logs() {
  local trace='' level='' since='' service='' cutoff='' levels='' file name files=()
  while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case $1 in
      --trace) trace=$2 ;;
      --level) level=$(printf '%s' "$2" | tr '[:lower:]' '[:upper:]') ;;
      --since) since=$2 ;;
      --service) service=$2 ;;
      *) die "unknown option $1 (--trace, --level, --since, --service)" ;;
    esac
    shift 2
  done
  case $level in
    '' | TRACE) levels='' ;;
    DEBUG) levels='DEBUG|INFO|WARN|ERROR' ;;
    INFO) levels='INFO|WARN|ERROR' ;;
    WARN) levels='WARN|ERROR' ;;
    ERROR) levels='ERROR' ;;
    *) die "--level is one of TRACE, DEBUG, INFO, WARN, ERROR (that level and above)" ;;
  esac
  if [ -n "$since" ]; then
    local seconds
    seconds=$(seconds_of "$since") || die "--since takes a duration such as 90s, 10m, 2h or 1d"
    cutoff=$(date -u -d "@$(( $(date +%s) - seconds ))" +%Y-%m-%dT%H:%M:%S)
  fi
  [ -z "$trace" ] || [[ $trace =~ ^[0-9a-f]{16,32}$ ]] || die "--trace takes a trace id: 32 hex digits (X-Trace-Id)"
  for file in "$LOG_DIR"/*.json; do
    [ -f "$file" ] || continue
    name=$(basename "$file" .json)
    [ -z "$service" ] || [ "$name" = "$service" ] || [ "$(service_of "$name")" = "$service" ] || continue
    files+=("$file")
  done
  [ ${#files[@]} -gt 0 ] || die "no JSON logs${service:+ of $service} in var/log (scripts/local.sh up writes them)"
  # The fixed-string grep narrows a trace's lines before awk parses them.
  { if [ -n "$trace" ]; then grep -h -F "\"traceId\":\"$trace\"" "${files[@]}" || true; else cat "${files[@]}"; fi; } |
    awk -v levels="^($levels)\$" -v cutoff="$cutoff" '
      function value(pattern,   found) {
        if (!match($0, pattern)) return ""
        found = substr($0, RSTART, RLENGTH)
        sub(/^"[^"]*":[{]?("[^"]*":)?"/, "", found)
        sub(/"$/, "", found)
        return found
      }
      {
        time = value("\"@timestamp\":\"[^\"]*\"")
        if (time == "" || (cutoff != "" && substr(time, 1, 19) < cutoff)) next
        level = value("\"level\":\"[A-Z]*\"")
        if (levels != "^()$" && level !~ levels) next
        # Sort on the time with its fraction padded to nanoseconds.
        seconds = substr(time, 1, 19); fraction = substr(time, 21); sub(/Z$/, "", fraction)
        key = seconds "." substr(fraction "000000000", 1, 9)
        instance = value("\"node\":[{]\"name\":\"[^\"]*\"")
        logger = value("\"logger\":\"[^\"]*\""); sub(/.*\./, "", logger)
        message = value("\"message\":\"([^\"\\\\]|\\\\.)*\"")
        gsub(/\\n/, " | ", message); gsub(/\\t/, " ", message); gsub(/\\"/, "\"", message)
        error = value("\"type\":\"[^\"]*\"")
        user = value("\"user\":[{]\"id\":\"[^\"]*\"")
        traceId = value("\"traceId\":\"[0-9a-f]*\"")
        printf "%s\t%s %-36s %-5s %-28s %s%s%s%s\n", key, substr(time, 1, 23) "Z", instance, level, logger, message,
          (error != "" ? " [" error "]" : ""), (user != "" ? " user=" user : ""), (traceId != "" ? " trace=" traceId : "")
      }' | sort -s -t "$(printf '\t')" -k1,1 | cut -f2-
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  build) check_java; mkdir -p "$LOG_DIR"; build_if_needed; prepare_cds ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
