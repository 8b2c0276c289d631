#!/usr/bin/env bash
# HTTP benchmark of the local stack with wrk: throughput, latency and errors through the gateway and
# directly, cold startup, and memory after the load. Writes its results into docs/benchmarks.md.
#
#   scripts/bench.sh [--restart | --tracing]
#
#   --restart     stop a running stack first, so that the cold startup is measured too
#                 (a stack that is not running is always started cold, and timed)
#   --tracing     what tracing costs instead: GET /bugs/{id} through the gateway on a stack started
#                 afresh for each sampling setting (0 %, 100 %, 100 % exported to Zipkin with
#                 --with observability), in TRACING_ROUNDS passes (default 3), the order reversed
#                 every pass; leaves the stack stopped
#
# JAVA_HOME selects the JDK and JAVA_OPTS the JVM options, as for scripts/local.sh. The phases are
# set with WARMUP (seconds of load before each measurement, default 60: the JIT needs it),
# DURATION (seconds measured, default 20), CONNECTIONS (default 32) and THREADS (wrk threads, 2). The
# credential paths (no token, JWT, personal access token) run in AUTH_ROUNDS interleaved rounds
# (default 5) of AUTH_DURATION seconds each (default 10).
#
# The read of a user is held against ceilings we did not write, measured in the same interleaved
# rounds (ROUNDS, default 3, of ROUND_DURATION seconds, default 10, after WARMUP each): a bare Spring
# Boot application doing the same primary-key read (module bench-anchor, on ANCHOR_PORT, 18899, with
# users-service's JVM options), nginx proxying to the same users-service instance and nginx's static
# reply of the same body (on PROXY_PORT, 18081). Each of our paths is reported as a fraction of its
# ceiling: users-service direct of the bare read, the gateway of the nginx hop. The fractions are kept
# in docs/bench-record-jdk<N>.tsv; a run whose fraction falls more than 30 % below the recorded one
# exits with status 1 and names it, and leaves the record as it was (BENCH_ACCEPT=1 records it anyway).
# Installs wrk and nginx from Debian when they are missing (apt-get, as root or through sudo).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WARMUP=${WARMUP:-60}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
GATEWAY=http://127.0.0.1:8080
USERS=http://127.0.0.1:8800
SERVICES=(registry notificator-service users-service bugs-service gateway)
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
WORK="$ROOT/var/bench"
RESULTS="$ROOT/docs/benchmarks.md"
RUN_ID=$(date +%s)

ROUNDS=${ROUNDS:-3}
ROUND_DURATION=${ROUND_DURATION:-10}
ANCHOR_PORT=${ANCHOR_PORT:-18899}
PROXY_PORT=${PROXY_PORT:-18081}

die() { printf 'bench.sh: %s\n' "$*" >&2; exit 1; }

restart=0
tracing=0
for arg in "$@"; do
  case "$arg" in
    --restart) restart=1 ;;
    --tracing) tracing=1 ;;
    *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

NGINX=/usr/sbin/nginx

install_tools() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  [ -x "$NGINX" ] || missing+=(nginx-light)
  [ ${#missing[@]} -gt 0 ] || return 0
  printf 'Installing %s from Debian ...\n' "${missing[*]}"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}; install them (apt-get install ${missing[*]}) and run again"
}

# The ceilings: the bare Spring Boot read and nginx. Stopped when the script ends, however it ends.
anchor_pid=""
stop_ceilings() {
  [ -z "$anchor_pid" ] || { kill "$anchor_pid" 2>/dev/null || true; wait "$anchor_pid" 2>/dev/null || true; }
  anchor_pid=""
  [ ! -f "$WORK/nginx/nginx.pid" ] || { kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; rm -f "$WORK/nginx/nginx.pid"; }
}
trap stop_ceilings EXIT

# start_ceilings BODY: the bare read with users-service's JVM options (without its class-data archive,
# which belongs to users-service's jar), and nginx with a proxy to users-service and BODY as a static reply.
start_ceilings() {
  local body=$1 jar opts deadline port
  for port in "$ANCHOR_PORT" "$PROXY_PORT"; do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
      || die "port $port is taken: stop what listens there, or set ANCHOR_PORT and PROXY_PORT"
  done
  jar=$(ls bench-anchor/target/bench-anchor-*.jar 2>/dev/null | grep -v '\.original' | head -n 1 || true)
  if [ -z "$jar" ] || [ -n "$(find bench-anchor/src bench-anchor/pom.xml -newer "$jar" -type f -print -quit)" ]; then
    ./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true package -pl bench-anchor || die "could not build bench-anchor"
    jar=$(ls bench-anchor/target/bench-anchor-*.jar | grep -v '\.original' | head -n 1)
  fi
  opts=$(tr '\0' '\n' <"/proc/$(cat var/run/users-service.pid)/cmdline" | sed '1d; /^-jar$/,$d' \
    | grep -v -- '^-XX:SharedArchiveFile=\|^-XX:AOTCache=\|^-Dh2\.' | paste -sd' ' -)
  mkdir -p var/log
  # shellcheck disable=SC2086
  "$JAVA" $opts -jar "$jar" --server.port="$ANCHOR_PORT" >var/log/bench-anchor.log 2>&1 </dev/null &
  anchor_pid=$!
  mkdir -p "$WORK/nginx/tmp"
  cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes auto;
error_log $WORK/nginx/error.log warn;
pid $WORK/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  upstream users_service { server ${USERS#http://}; keepalive 64; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location = /static { default_type application/json; return 200 '$body'; }
    location / {
      proxy_pass http://users_service;
      proxy_set_header Host \$http_host;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" || die "nginx did not start (see $WORK/nginx/error.log)"
  deadline=$((SECONDS + 120))
  until curl -sf -o /dev/null "http://127.0.0.1:$ANCHOR_PORT/users/1"; do
    kill -0 "$anchor_pid" 2>/dev/null || die "bench-anchor exited (see var/log/bench-anchor.log)"
    [ $SECONDS -lt $deadline ] || die "bench-anchor did not answer within 120 s (see var/log/bench-anchor.log)"
    sleep 1
  done
}

running() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$GATEWAY/users/me" || true)" = 401 ]; }

# The wrk script: the request (GET, or POST /users with a new email each time) and a RESULT line.
write_lua() {
  mkdir -p "$WORK"
  cat >"$WORK/report.lua" <<'LUA'
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  prefix = args[1] or "run"
  counter = 0
  if args[2] == "post-user" then
    request = function()
      counter = counter + 1
      local body = string.format('{"email": "bench-%s-%d-%d@example.com"}', prefix, tid, counter)
      return wrk.format("POST", "/users", { ["Content-Type"] = "application/json" }, body)
    end
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.requests))
end
LUA
}

# run_wrk SECONDS CONNECTIONS URL [post-user] -> "rps p50 p99 errors requests"
run_wrk() {
  local seconds=$1 connections=$2 url=$3 mode=${4:-get} out
  # WRK_HEADER: one header every request carries (the credentials of the authenticated paths).
  out=$(wrk -t"$THREADS" -c"$connections" -d"${seconds}s" --timeout 10s ${WRK_HEADER:+-H "$WRK_HEADER"} \
    -s "$WORK/report.lua" "$url" \
    -- "$RUN_ID-$RANDOM" "$mode" 2>&1) || die "wrk failed: $out"
  printf '%s\n' "$out" | sed -n 's/^RESULT //p'
}

rss_table() {
  local service pid kb total=0
  for service in "${SERVICES[@]}"; do
    pid=$(cat "var/run/$service.pid" 2>/dev/null || true)
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + kb))
    printf '| %s | %d MiB |\n' "$service" $((kb / 1024))
  done
  printf '| **total** | **%d MiB** |\n' $((total / 1024))
}

# Replaces this JDK's section of docs/benchmarks.md (between its markers), or appends it.
write_results() {
  local section=$1 key=$2 begin end
  begin="<!-- bench.sh $key -->"
  end="<!-- /bench.sh $key -->"
  if grep -qF "$begin" "$RESULTS"; then
    awk -v begin="$begin" -v end="$end" -v file="$section" '
      $0 == begin { print; while ((getline line < file) > 0) print line; skip = 1; next }
      $0 == end { skip = 0 }
      !skip { print }' "$RESULTS" >"$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
  else
    { printf '\n%s\n' "$begin"; cat "$section"; printf '%s\n' "$end"; } >>"$RESULTS"
  fi
}

# CPU time the hypervisor gave to other guests: on a shared virtual machine it can halve the figures.
cpu_ticks() { head -n 1 /proc/stat; }
steal_percent() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    n = split(a, x, " "); split(b, y, " "); total = 0
    for (i = 2; i <= 9 && i <= n; i++) total += y[i] - x[i]
    printf "%.0f", (total > 0) ? 100 * (y[9] - x[9]) / total : 0 }'
}

# The median line (by req/s) of a path's rounds, with the errors and requests of all rounds.
median_of_rounds() {
  printf '%s' "$1" | sort -n -k1,1 | awk '{ line[NR] = $0; errors += $4; requests += $5 }
    END { split(line[int((NR + 1) / 2)], m, " "); printf "%s %s %s %d %d\n", m[1], m[2], m[3], errors, requests }'
}

# A percentage as a fraction: 87 -> 0.87.
fraction() { awk -v p="$1" 'BEGIN { printf "%.2f", p / 100 }'; }

# check_record FILE NAME VALUE [NAME VALUE ...]: compares each fraction with the one FILE recorded
# last (a line "NAME<TAB>VALUE"); one more than 30 % below it fails the run (status 1), naming it, and
# leaves FILE as it was, so that the next run compares with the same figures. Otherwise, or with
# BENCH_ACCEPT=1, FILE records these figures.
check_record() {
  local file=$1 name value last failed=()
  shift
  local new=("$@") i
  for ((i = 0; i < ${#new[@]}; i += 2)); do
    name=${new[$i]} value=${new[$((i + 1))]}
    last=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$file" 2>/dev/null || true)
    if [ -n "$last" ] && awk -v v="$value" -v l="$last" 'BEGIN { exit !(v < 0.7 * l) }'; then
      failed+=("$name: $value, recorded $last")
    fi
  done
  if [ ${#failed[@]} -gt 0 ] && [ "${BENCH_ACCEPT:-0}" != 1 ]; then
    printf '\nbench.sh: REGRESSION, more than 30 %% below the figures recorded in %s:\n' "${file#"$ROOT"/}" >&2
    printf '  %s\n' "${failed[@]}" >&2
    printf 'The record is unchanged; BENCH_ACCEPT=1 records these figures instead.\n' >&2
    exit 1
  fi
  {
    printf '# Figures of the last scripts/bench.sh run that passed its regression check (%s).\n' "$(date -u +%Y-%m-%d)"
    for ((i = 0; i < ${#new[@]}; i += 2)); do printf '%s\t%s\n' "${new[$i]}" "${new[$((i + 1))]}"; done
  } >"$file"
  printf 'Recorded in %s.\n' "${file#"$ROOT"/}"
}

# The spans Zipkin has accepted since it started (its own Prometheus metrics).
zipkin_spans() {
  curl -sf http://127.0.0.1:9411/prometheus | awk '/^zipkin_collector_spans_total/ { n += $2 } END { printf "%.0f", n }'
}

# The CPU time (user and system, in seconds) a process has used.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"
}

# The CPU time of the five services together.
services_cpu_seconds() {
  local service total=0
  for service in "${SERVICES[@]}"; do
    total=$(awk -v t="$total" -v c="$(cpu_seconds "$(cat "var/run/$service.pid")")" 'BEGIN { printf "%.2f", t + c }')
  done
  printf '%s' "$total"
}

# One pass of one setting: a fresh stack, a bug to read, the warm-up, the measurement.
tracing_round() {
  local sampling=$1 with=$2 bug line spans zipkin_cpu rps services_cpu requests
  scripts/local.sh down >/dev/null
  # shellcheck disable=SC2086 # $with is empty or two words
  MANAGEMENT_TRACING_SAMPLING_PROBABILITY=$sampling scripts/local.sh up $with >/dev/null
  bug=$(curl -sf -XPOST "$GATEWAY/bugs/create" -H 'Content-Type: application/json' \
    -d "{\"bug\": \"Tracing benchmark $RUN_ID\"}" | sed -n 's/^{"id":\([0-9]*\).*/\1/p')
  [ -n "$bug" ] || die "could not report the bug to read"
  run_wrk "$WARMUP" "$CONNECTIONS" "$GATEWAY/bugs/$bug" >/dev/null
  [ -z "$with" ] || { spans=$(zipkin_spans); zipkin_cpu=$(cpu_seconds "$(cat var/run/zipkin.pid)"); }
  services_cpu=$(services_cpu_seconds)
  line=$(run_wrk "$DURATION" "$CONNECTIONS" "$GATEWAY/bugs/$bug")
  # The services' CPU time per request (ms): steadier than the throughput from one fresh stack to the next.
  read -r _ _ _ _ requests <<<"$line"
  line="$line $(awk -v a="$services_cpu" -v b="$(services_cpu_seconds)" -v n="$requests" 'BEGIN { printf "%.3f", 1000 * (b - a) / n }')"
  if [ -n "$with" ]; then
    # The figure is only worth something if the spans did reach Zipkin, and Zipkin did not fall over.
    sleep 2
    read -r rps _ <<<"$line"
    spans=$(($(zipkin_spans) - ${spans:-0}))
    [ "$spans" -gt 0 ] || die "Zipkin received no spans during the measurement (see var/log/zipkin.log)"
    line="$line $((spans / DURATION)) $(awk -v a="$zipkin_cpu" -v b="$(cpu_seconds "$(cat var/run/zipkin.pid)")" \
      'BEGIN { printf "%.1f", b - a }') $(awk -v s="$spans" -v r="$rps" -v d="$DURATION" 'BEGIN { printf "%.1f", s / (r * d) }')"
  fi
  printf '%s\n' "$line"
}

tracing_benchmark() {
  local settings=("0 %" "100 %" "100 % + Zipkin") pass k setting line ticks_before steal rps p50 p99 errors requests base
  local passes=${TRACING_ROUNDS:-3}
  declare -A runs
  declare -A sampling=(["0 %"]=0.0 ["100 %"]=1.0 ["100 % + Zipkin"]=1.0)
  declare -A with=(["0 %"]="" ["100 %"]="" ["100 % + Zipkin"]="--with observability")
  scripts/local.sh build
  ticks_before=$(cpu_ticks)
  for ((pass = 0; pass < passes; pass++)); do
    for ((k = 0; k < ${#settings[@]}; k++)); do
      # Forward, then backward: a drift of the host's speed during the run hits every setting alike.
      if ((pass % 2 == 0)); then setting=${settings[$k]}; else setting=${settings[$((${#settings[@]} - 1 - k))]}; fi
      printf 'pass %d of %d, sampling %-15s fresh stack, warm-up %d s, measuring %d s ... ' \
        $((pass + 1)) "$passes" "$setting" "$WARMUP" "$DURATION"
      line=$(tracing_round "${sampling[$setting]}" "${with[$setting]}")
      runs[$setting]+="$line"$'\n'
      printf '%s req/s, p99 %s ms\n' "$(awk '{print $1}' <<<"$line")" "$(awk '{print $3}' <<<"$line")"
    done
  done
  scripts/local.sh down >/dev/null
  steal=$(steal_percent "$ticks_before" "$(cpu_ticks)")
  [ "$steal" -lt 5 ] || printf 'Warning: %s %% of the CPU time was stolen by the hypervisor during the run; the figures are low.\n' "$steal"
  section="$WORK/section-tracing.md"
  {
    printf '#### Tracing: JDK %s\n\n' "$jdk"
    printf '%s, %s cores (%s); all five services, wrk (%d threads) and H2 on the same machine, and with Zipkin: Zipkin, Prometheus and Alertmanager too. CPU per request: user and system time of the five services during the measurement, divided by its requests.\n' \
      "$(date -u +%Y-%m-%d)" "$(nproc)" "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)" "$THREADS"
    printf 'GET /bugs/{id} through the gateway, %d connections; every run on a freshly started stack: %d s warm-up, %d s measured; %d passes, the order reversed every pass. CPU steal: %s %%.\n\n' \
      "$CONNECTIONS" "$WARMUP" "$DURATION" "$passes" "$steal"
    printf '| sampling | req/s (median run) | p50 | p99 | errors | req/s vs 0 %% | every run, req/s | services CPU per request (median; every run) |\n|---|---|---|---|---|---|---|---|\n'
    for setting in "${settings[@]}"; do
      read -r rps p50 p99 errors requests <<<"$(median_of_rounds "${runs[$setting]}")"
      base=${base:-$rps}
      printf '| %s | %s | %s ms | %s ms | %s of %s | %s %% | %s | %s ms; %s |\n' "$setting" "$rps" "$p50" "$p99" "$errors" "$requests" \
        "$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.0f", 100 * a / b }')" \
        "$(printf '%s' "${runs[$setting]}" | awk '{print $1}' | paste -sd, - | sed 's/,/, /g')" \
        "$(printf '%s' "${runs[$setting]}" | awk '{print $6}' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" \
        "$(printf '%s' "${runs[$setting]}" | awk '{print $6}' | paste -sd, - | sed 's/,/, /g')"
    done
    printf '\nWith Zipkin, each measurement, in order: %s.\n' \
      "$(printf '%s' "${runs["100 % + Zipkin"]}" | awk -v d="$DURATION" '{ printf "%s spans/s (%s per request), %s CPU-seconds in Zipkin (%.0f %% of a core)\n", $7, $9, $8, 100 * $8 / d }' \
        | paste -sd';' - | sed 's/;/; /g')"
  } >"$section"
  write_results "$section" "tracing"
  printf '\n'
  cat "$section"
  printf '\nWritten to docs/benchmarks.md.\n'
}

install_tools
write_lua
jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
major=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ $tracing = 1 ]; then
  tracing_benchmark
  exit 0
fi

startup="not measured (the stack was already running)"
if [ $restart = 1 ] && running; then
  scripts/local.sh down >/dev/null
fi
if ! running; then
  scripts/local.sh down >/dev/null
  scripts/local.sh build
  if [ ! -d var/data ]; then
    # The very first start also creates and migrates the databases: not what a cold start measures.
    printf 'Creating the local databases (untimed first start) ...\n'
    scripts/local.sh up >/dev/null
    scripts/local.sh down >/dev/null
  fi
  start_ns=$(date +%s%N)
  scripts/local.sh up >/dev/null
  ms=$((($(date +%s%N) - start_ns) / 1000000))
  startup="$((ms / 1000)).$(printf '%03d' $((ms % 1000))) s"
  printf 'Cold start to the first routed request: %s\n' "$startup"
fi
jvm_opts=$(tr '\0' ' ' <"/proc/$(cat var/run/gateway.pid)/cmdline" | sed 's/^[^ ]* //; s/ -jar .*//')

printf 'Seeding: one user to read, 200 open bugs to list ...\n'
user=$(curl -sf -XPOST "$GATEWAY/users" -H 'Content-Type: application/json' \
  -d "{\"email\": \"bench-reader-$RUN_ID@example.com\"}" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
[ -n "$user" ] || die "could not create the user to read"
# A user with a password and a personal access token, for the authenticated paths (issue 10).
auth_email="bench-auth-$RUN_ID@example.com"
curl -sf -o /dev/null -XPOST "$GATEWAY/users" -H 'Content-Type: application/json' \
  -d "{\"email\": \"$auth_email\", \"password\": \"bench password $RUN_ID\"}" || die "could not sign up"
pat=$(curl -sf -u "$auth_email:bench password $RUN_ID" -XPOST "$GATEWAY/auth/tokens" -H 'Content-Type: application/json' \
  -d '{"name": "bench", "scopes": ["bugs:read", "bugs:write", "users:read"], "expiresInDays": 1}' \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$pat" ] || die "could not create the personal access token"
# A 5-minute access token of that user, as the gateway gets one for the personal access token.
access_token() {
  curl -sf -XPOST "$USERS/internal/tokens/exchange" -H "Authorization: Bearer $pat" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
first_bug=""
for ((i = 0; i < 200; i++)); do
  # The tutorial's anonymous report (bugtracker.security.anonymous-reports, on locally).
  bug=$(curl -sf -XPOST "$GATEWAY/bugs/create" -H 'Content-Type: application/json' \
    -d "{\"bug\": \"Benchmark bug $RUN_ID-$i\"}" | sed -n 's/^{"id":\([0-9]*\).*/\1/p') || die "could not create bug $i"
  first_bug=${first_bug:-$bug}
done

declare -A result
declare -A rounds
AUTH_ROUNDS=${AUTH_ROUNDS:-5}
AUTH_DURATION=${AUTH_DURATION:-10}
CREDENTIALS=("no token" "JWT" "PAT")

credential_header() {
  case "$1" in
    JWT) printf 'Authorization: Bearer %s' "$(access_token)" ;;
    PAT) printf 'Authorization: Bearer %s' "$pat" ;;
  esac
}

# The median of the rounds' ratios (in %) of path A's throughput to path B's, and all of them in the
# order of the rounds (a trend there means the JIT was still at work).
ratio_of_rounds() {
  local ratios
  ratios=$(paste <(printf '%s' "${rounds[$1]}" | awk '{print $1}') <(printf '%s' "${rounds[$2]}" | awk '{print $1}') \
    | awk '{ printf "%.0f\n", 100 * $1 / $2 }')
  printf '%s %s' "$(printf '%s\n' "$ratios" | sort -n | awk '{ r[NR] = $1 } END { print r[int((NR + 1) / 2)] }')" \
    "$(printf '%s\n' "$ratios" | paste -sd, - | sed 's/,/, /g')"
}

credential_rounds() {
  local url="$GATEWAY/bugs/$first_bug" name r k credential line
  # Each path gets the full warm-up: the code that only one credential runs (the JWT's authentication,
  # the gateway's token exchange) is called once per request of that path alone, and reaches C2 only
  # after Tier4InvocationThreshold calls (50,000 with local.sh's options: about 35 s at this rate).
  # With 20 s each, that code was still being compiled during the rounds (JWT 87 %, PAT 85 % then; 102 %
  # and 107 % with the full warm-up).
  for credential in "${CREDENTIALS[@]}"; do
    name="GET /bugs/{id}, gateway, $credential"
    printf '%-40s warm-up %3d s\n' "$name" "$WARMUP"
    WRK_HEADER="$(credential_header "$credential")" run_wrk "$WARMUP" "$CONNECTIONS" "$url" >/dev/null
  done
  for ((r = 0; r < AUTH_ROUNDS; r++)); do
    printf 'credentials, round %d of %d:' $((r + 1)) "$AUTH_ROUNDS"
    for ((k = 0; k < ${#CREDENTIALS[@]}; k++)); do
      credential=${CREDENTIALS[$(((r + k) % ${#CREDENTIALS[@]}))]}
      line=$(WRK_HEADER="$(credential_header "$credential")" run_wrk "$AUTH_DURATION" "$CONNECTIONS" "$url")
      rounds["GET /bugs/{id}, gateway, $credential"]+="$line"$'\n'
      printf ' %s %s req/s;' "$credential" "${line%% *}"
    done
    printf '\n'
  done
  for credential in "${CREDENTIALS[@]}"; do
    name="GET /bugs/{id}, gateway, $credential"
    result[$name]=$(median_of_rounds "${rounds[$name]}")
  done
}

measure() {
  local name=$1 connections=$2 url=$3 mode=${4:-get}
  printf '%-40s warm-up %3d s ... ' "$name" "$WARMUP"
  run_wrk "$WARMUP" "$connections" "$url" "$mode" >/dev/null
  printf 'measuring %d s ... ' "$DURATION"
  result[$name]=$(run_wrk "$DURATION" "$connections" "$url" "$mode")
  printf '%s\n' "${result[$name]}"
}
BARE="GET /users/{id}, bare Spring Boot (ceiling)"
DIRECT="GET /users/{id}, direct"
STATIC="nginx's static reply of the same body (ceiling)"
HOP="GET /users/{id}, nginx → users-service (ceiling)"
VIA_GATEWAY="GET /users/{id}, gateway"
READ_PATHS=("$BARE" "$DIRECT" "$STATIC" "$HOP" "$VIA_GATEWAY")
# The read of a user on every path, in ROUNDS interleaved rounds after a warm-up of each: the host's
# speed drifts from one minute to the next, and a path measured after another would measure the drift.
read_rounds() {
  local r k name line
  declare -A url=(["$BARE"]="http://127.0.0.1:$ANCHOR_PORT/users/1" ["$DIRECT"]="$USERS/users/$user"
    ["$STATIC"]="http://127.0.0.1:$PROXY_PORT/static" ["$HOP"]="http://127.0.0.1:$PROXY_PORT/users/$user"
    ["$VIA_GATEWAY"]="$GATEWAY/users/$user")
  # A path that does not answer 200 would be measured at the speed of its errors.
  for name in "${READ_PATHS[@]}"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${url[$name]}")" = 200 ] \
      || die "$name (${url[$name]}) does not answer 200"
  done
  kill -0 "$anchor_pid" 2>/dev/null || die "bench-anchor exited (see var/log/bench-anchor.log)"
  for name in "${READ_PATHS[@]}"; do
    printf '%-50s warm-up %3d s\n' "$name" "$WARMUP"
    run_wrk "$WARMUP" "$CONNECTIONS" "${url[$name]}" >/dev/null
  done
  for ((r = 0; r < ROUNDS; r++)); do
    printf 'reads, round %d of %d:' $((r + 1)) "$ROUNDS"
    for ((k = 0; k < ${#READ_PATHS[@]}; k++)); do
      name=${READ_PATHS[$(((r + k) % ${#READ_PATHS[@]}))]}
      line=$(run_wrk "$ROUND_DURATION" "$CONNECTIONS" "${url[$name]}")
      rounds[$name]+="$line"$'\n'
      printf ' %s req/s;' "${line%% *}"
    done
    printf '\n'
  done
  for name in "${READ_PATHS[@]}"; do
    result[$name]=$(median_of_rounds "${rounds[$name]}")
  done
}
body=$(curl -sf "$USERS/users/$user") || die "could not read user $user directly"
start_ceilings "$body"
ticks_before=$(cpu_ticks)
read_rounds
measure "GET /bugs?status=OPEN&size=20, gateway" "$CONNECTIONS" "$GATEWAY/bugs?status=OPEN&size=20"
# Twice the connections, once warm: no request may be refused (bulkheads, connection pools).
WARMUP=10 measure "GET /users/{id}, gateway, 64 conn." 64 "$GATEWAY/users/$user"
# What checking credentials costs: the same read without a token (public-read), with an access
# token (a JWT, checked by bugs-service against the cached keys) and with a personal access token
# (exchanged by the gateway for a JWT, cached up to 30 s); and the caller's own account.
# The three are compared in AUTH_ROUNDS interleaved rounds (each path AUTH_DURATION s per round, the
# order rotating), and each ratio is the median of the rounds' ratios: this host's throughput drifts by
# ±20 % between minutes, more than the difference being measured, and one path measured once after the
# other mostly measured the drift.
credential_rounds
WRK_HEADER="Authorization: Bearer $(access_token)" \
  measure "GET /users/me, gateway, JWT" "$CONNECTIONS" "$GATEWAY/users/me"
WRK_HEADER="Authorization: Bearer $pat" measure "GET /users/me, gateway, PAT" "$CONNECTIONS" "$GATEWAY/users/me"
# Last: every new user queues a welcome email, and delivering that backlog (minutes of it) would load
# the machine during any measurement that came after.
measure "POST /users, gateway" "$CONNECTIONS" "$GATEWAY/users" post-user
steal=$(steal_percent "$ticks_before" "$(cpu_ticks)")
[ "$steal" -lt 5 ] || printf 'Warning: %s %% of the CPU time was stolen by the hypervisor during the run; the figures are low.\n' "$steal"
rss=$(rss_table)

read -r _ _ gateway_p99 _ <<<"${result["$VIA_GATEWAY"]}"
read -r _ _ _ errors_64 requests_64 <<<"${result["GET /users/{id}, gateway, 64 conn."]}"
direct_ratio=$(ratio_of_rounds "$DIRECT" "$BARE")
gateway_ratio=$(ratio_of_rounds "$VIA_GATEWAY" "$HOP")
hop_ratio=$(ratio_of_rounds "$HOP" "$STATIC")
jwt_ratio=$(ratio_of_rounds "GET /bugs/{id}, gateway, JWT" "GET /bugs/{id}, gateway, no token")
pat_ratio=$(ratio_of_rounds "GET /bugs/{id}, gateway, PAT" "GET /bugs/{id}, gateway, no token")

section="$WORK/section-$major.md"
{
  printf '#### JDK %s: %s\n\n' "$major" "$jdk"
  printf '%s, %s cores (%s), %s GiB; all five services, wrk (%d threads) and H2 on the same machine.\n' \
    "$(date -u +%Y-%m-%d)" "$(nproc)" "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)" \
    "$(awk '/MemTotal/ {printf "%d", $2/1024/1024 + 0.5}' /proc/meminfo)" "$THREADS"
  printf 'JVM options: `%s` (the bare read: users-service'"'"'s). The reads of a user (the first five rows): %d s warm-up each, then %d interleaved rounds of %d s, the median round shown; the other paths: %d s warm-up, then %d s measured. CPU steal during the run: %s %%.\n\n' \
    "$jvm_opts" "$WARMUP" "$ROUNDS" "$ROUND_DURATION" "$WARMUP" "$DURATION" "$steal"
  printf '| path | conn. | req/s | p50 | p99 | errors |\n|---|---|---|---|---|---|\n'
  for name in "${READ_PATHS[@]}" "GET /bugs?status=OPEN&size=20, gateway" \
      "GET /users/{id}, gateway, 64 conn." "GET /bugs/{id}, gateway, no token" "GET /bugs/{id}, gateway, JWT" \
      "GET /bugs/{id}, gateway, PAT" "GET /users/me, gateway, JWT" "GET /users/me, gateway, PAT" \
      "POST /users, gateway"; do
    read -r rps p50 p99 errors requests <<<"${result[$name]}"
    connections=$CONNECTIONS
    [[ "$name" == *"64 conn."* ]] && connections=64
    printf '| %s | %d | %s | %s ms | %s ms | %s of %s |\n' "${name%, 64 conn.}" "$connections" "$rps" "$p50" "$p99" \
      "$errors" "$requests"
  done
  printf '\n'
  printf -- '- users-service direct, of the bare Spring Boot read: **%s**, median of the rounds'"'"' fractions (target ≥ 0.6; rounds: %s %%)\n' \
    "$(fraction "${direct_ratio%% *}")" "${direct_ratio#* }"
  printf -- '- the gateway, of the nginx hop to the same instance: **%s** (target ≥ 0.5; rounds: %s %%); the nginx hop, of nginx'"'"'s static reply: %s\n' \
    "$(fraction "${gateway_ratio%% *}")" "${gateway_ratio#* }" "$(fraction "${hop_ratio%% *}")"
  printf -- '- p99 through the gateway at %d connections: **%s ms** (target < 25 ms); errors at 64 connections: **%s** of %s (target 0)\n' \
    "$CONNECTIONS" "$gateway_p99" "$errors_64" "$requests_64"
  printf -- '- GET /bugs/{id} with a JWT: **%s %%** of the throughput without a token (target ≥ 90 %%); with a personal access token: **%s %%** (target ≥ 85 %%). Medians of %d interleaved rounds of %d s per path (the table shows the median round of each path, and the errors and requests of all rounds)\n' \
    "${jwt_ratio%% *}" "${pat_ratio%% *}" "$AUTH_ROUNDS" "$AUTH_DURATION"
  printf -- '  - the rounds in order, JWT: %s %%; PAT: %s %%\n' "${jwt_ratio#* }" "${pat_ratio#* }"
  printf -- '- cold start of `scripts/local.sh up` to the first routed request: **%s** (target ≤ 20 s)\n' "$startup"
  printf -- '- RSS after the load (target ≤ 1.2 GiB in all):\n\n| service | RSS |\n|---|---|\n%s\n' "$rss"
} >"$section"
write_results "$section" "jdk$major"
printf '\n'
cat "$section"
printf '\nWritten to docs/benchmarks.md. The stack is still running: scripts/local.sh down stops it.\n'
stop_ceilings
check_record "$ROOT/docs/bench-record-jdk$major.tsv" \
  "users-service direct / bare read" "$(fraction "${direct_ratio%% *}")" \
  "gateway / nginx hop" "$(fraction "${gateway_ratio%% *}")" \
  "JWT / no token" "$(fraction "${jwt_ratio%% *}")" \
  "PAT / no token" "$(fraction "${pat_ratio%% *}")"
