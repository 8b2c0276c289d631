#!/usr/bin/env bash
# Where one service spends its CPU on one request path, with JDK Flight Recorder: wrk puts load on
# URL for a warm-up, then JFR records DURATION seconds under the same load (its default settings:
# Java execution samples every 20 ms), and scripts/JfrTop.java lists the methods
# that were running (self) and those on the stack (inclusive) as shares of all samples. Needs the
# local stack (scripts/local.sh up) and wrk (apt-get install wrk); load on 127.0.0.1 only.
#
#   scripts/profile.sh SERVICE URL [DURATION] [CONNECTIONS] [INCLUDE ...]
#   scripts/profile.sh users-service http://127.0.0.1:8800/users/1 30 32 org.springframework.security. dev.bugtracker.
#
# Writes var/profile/<service>-<time>.jfr and .txt (the listing, with wrk's figures).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
service=$1 url=$2 duration=${3:-30} connections=${4:-32}
shift $(( $# < 4 ? $# : 4 ))
case "$url" in http://127.0.0.1:*|http://localhost:*) ;; *) echo "profile.sh: load tests only against 127.0.0.1" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "profile.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
pid=$(cat "$ROOT/var/run/$service.pid" 2>/dev/null) || { echo "profile.sh: no $service running (scripts/local.sh up)" >&2; exit 1; }
kill -0 "$pid" 2>/dev/null || { echo "profile.sh: $service (pid $pid) is not running" >&2; exit 1; }
jcmd=$(dirname "$(readlink -f "$(command -v java)")")/jcmd
out="$ROOT/var/profile"; mkdir -p "$out"
name="$service-$(date -u +%Y%m%dT%H%M%SZ)"
echo "profile.sh: warming $url up for 30 s at $connections connections"
wrk -t2 -c"$connections" -d30s "$url" >/dev/null
echo "profile.sh: recording $service (pid $pid) for $duration s under the same load"
"$jcmd" "$pid" JFR.start name=profile settings=default duration="${duration}s" filename="$out/$name.jfr" >/dev/null
wrk -t2 -c"$connections" -d"${duration}s" --latency "$url" >"$out/$name.wrk"
sleep 2
"$jcmd" "$pid" JFR.stop name=profile >/dev/null 2>&1 || true
for _ in $(seq 1 30); do [ -s "$out/$name.jfr" ] && break; sleep 1; done
{ echo "# $service, $url, $connections connections, $duration s ($(nproc) cores)"; grep -E "Requests/sec|99%" "$out/$name.wrk"; echo
  java "$ROOT/scripts/JfrTop.java" "$out/$name.jfr" 30 "$@"; } | tee "$out/$name.txt"
echo "profile.sh: $out/$name.jfr, $out/$name.txt"
