#!/usr/bin/env bash
# Releases without downtime on the compose stack (docs/operations.md explains each procedure).
#
#   scripts/release.sh status   SERVICE              containers with their versions, the policy, the gateway's and the registry's view
#   scripts/release.sh rolling  SERVICE TAG          replace the instances one at a time with image TAG
#   scripts/release.sh canary   SERVICE TAG PERCENT  add one instance of TAG; it takes PERCENT % of requests
#   scripts/release.sh share    SERVICE PERCENT      change the canary's share
#   scripts/release.sh promote  SERVICE              roll the other instances onto the canary's image
#   scripts/release.sh rollback SERVICE              all traffic back to the stable version; canary removed
#   scripts/release.sh green    SERVICE TAG          start as many idle instances of TAG as run now
#   scripts/release.sh switch   SERVICE VERSION      all traffic to VERSION, at once (and back the same way)
#   scripts/release.sh retire   SERVICE VERSION      remove the instances of VERSION (the idle colour)
#   scripts/release.sh reset    SERVICE [TAG [N]]    repair a release that stopped half-way: N instances of TAG, no policy
#
# SERVICE is users-service, bugs-service or notificator-service; TAG an image tag of
# ${IMAGE_PREFIX:-bugtracker/}SERVICE (scripts/images.sh makes them; VERSION=... sets the version that
# the image's instances carry in Eureka). Traffic is split by the gateway's release policy
# (/actuator/release on its admin port, GATEWAY_ADMIN_URL, default http://127.0.0.1:8081).
# An instance leaves gracefully: DOWN in Eureka, 12 s for callers to notice, then it drains.
# The tag that the service runs in the end is written to .env (USERS_SERVICE_TAG=...), so that the
# next `docker compose up` keeps it. A release refuses to start on a service that runs more than one
# version outside a canary or blue-green release (one that failed half-way, say): `status` shows
# what runs, and `reset` returns it to one version: TAG defaults to the tag .env records (the last
# completed release), N to the number of healthy instances of the version that has the most.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/compose-lib.sh"

ADMIN=${GATEWAY_ADMIN_URL:-http://127.0.0.1:$(env_value GATEWAY_ADMIN_PORT | grep . || echo 8081)}
# How long the gateway may take to see an instance go: a 3 s registry fetch plus a 3 s
# load-balancer cache in the docker profile (configs/application.yml), and a margin. A new instance
# is not waited for by the clock: the gateway is asked until it routes to it (wait_routed).
SETTLE=${SETTLE:-8}
ROUTE_TIMEOUT=${ROUTE_TIMEOUT:-90}

tag_var() { local s=${1^^}; printf '%s_TAG' "${s//-/_}"; }

check_service() {
  case "$1" in users-service | bugs-service | notificator-service) ;; *) die "cannot release $1: users-service, bugs-service or notificator-service" ;; esac
}

image_version() {
  local image="$(image_prefix)$1:$2"
  docker image inspect "$image" >/dev/null 2>&1 || die "no image $image (scripts/images.sh builds it)"
  docker image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$image"
}

# Starts one more container of SERVICE from image TAG, leaving the running ones as they are; prints its id.
add_instance() {
  local service=$1 tag=$2 before after id n
  before=$(containers_of "$service")
  n=$(printf '%s\n' $before | grep -c . || true)
  env "$(tag_var "$service")=$tag" "${COMPOSE[@]}" up -d --no-deps --no-recreate --scale "$service=$((n + 1))" "$service" >&2
  after=$(containers_of "$service")
  id=$(comm -13 <(printf '%s\n' $before | sort) <(printf '%s\n' $after | sort) | head -n 1)
  [ -n "$id" ] || die "no new container of $service started"
  printf '%s' "$id"
}

# Stops instances gracefully (each leaves Eureka, drains, exits) and removes them. Several at once
# only when none of them takes traffic any more (an idle colour, a rolled-back canary): docker stops
# them in parallel, so the deregistration delays do not add up.
remove_instance() {
  local id
  [ $# -gt 0 ] || return 0
  for id in "$@"; do say "stopping $(name_of "$id") (version $(version_of "$id")): leaves Eureka, drains, exits"; done
  docker stop -t 40 "$@" >/dev/null
  docker rm "$@" >/dev/null
}

policy() {
  local service=$1 body=$2
  curl -fsS -X POST "$ADMIN/actuator/release/$service" -H 'Content-Type: application/json' -d "$body" >/dev/null \
    || die "the gateway at $ADMIN refused the policy $body"
  say "$service: policy $body"
}

clear_policy() { curl -fsS -X DELETE "$ADMIN/actuator/release/$1" >/dev/null || die "the gateway at $ADMIN did not answer"; }

versions_running() { local id; for id in $(containers_of "$1"); do version_of "$id"; done | sort -u; }

# Containers of SERVICE that run VERSION, oldest first.
containers_of_version() {
  local id
  for id in $(containers_of "$1"); do [ "$(version_of "$id")" != "$2" ] || echo "$id"; done
}

tag_of() { local image; image=$(docker inspect -f '{{.Config.Image}}' "$1"); printf '%s' "${image##*:}"; }

# The one version that all instances run.
stable_version() {
  local versions
  versions=$(versions_running "$1")
  [ "$(printf '%s\n' "$versions" | grep -c .)" = 1 ] || die "$1 runs versions $(echo $versions): expected one stable version.
  'scripts/release.sh status $1' shows which instance runs what; 'scripts/release.sh reset $1 [TAG]' returns it
  to one version (TAG's; by default the tag of the last completed release, $(recorded_tag "$1"))"
  printf '%s' "$versions"
}

current_policy() { curl -fsS "$ADMIN/actuator/release/$1" 2>/dev/null || true; }

json_field() { sed -n "s/.*\"$1\" *: *\"\{0,1\}\([^\",}]*\).*/\1/p"; }

# Sets STABLE and CANARY from the gateway's policy of SERVICE; fails when it has no canary.
read_canary_policy() {
  local current
  current=$(current_policy "$1")
  CANARY=$(printf '%s' "$current" | json_field canary)
  STABLE=$(printf '%s' "$current" | json_field stable)
  [ -n "$CANARY" ] && [ "$CANARY" != null ] || die "$1 has no canary"
}

# What the registry says of SERVICE's instances, one line each: id, status, status override. Printed
# when the gateway does not route to a new instance, to tell a registration problem (not listed, or
# DOWN/OUT_OF_SERVICE) from a routing one.
registry_view() {
  local port password
  port=$(env_value REGISTRY_PORT | grep . || echo 8761)
  password=${EUREKA_PASSWORD:-$(env_value EUREKA_PASSWORD)}
  curl -fsS -u "${EUREKA_USERNAME:-eureka}:$password" -H 'Accept: application/json' \
    "http://127.0.0.1:$port/eureka/apps/${1^^}" 2>/dev/null \
    | grep -o '"instanceId":"[^"]*"\|"status":"[A-Z_]*"\|"overriddenStatus":"[A-Z_]*"' | paste -d' ' - - - \
    || echo "(the registry on port $port did not answer)"
}

ip_of() { docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$1" | awk '{print $1}'; }

# Waits until the gateway's load balancer has each given container of SERVICE in its rotation
# (/actuator/loadbalancer/SERVICE on the admin port: known, not ejected). Healthy is not enough: the
# gateway learns of an instance only after the instance has registered, the gateway's next registry
# fetch and its instance cache; a policy set before then sends the instance nothing. The other
# callers (bugs-service's Feign client) fetch on the same schedule.
wait_routed() {
  local service=$1 start=$SECONDS deadline=$((SECONDS + ROUTE_TIMEOUT)) id seen pending
  local -A names=()   # container name by IP, looked up once
  shift
  for id in "$@"; do names[$(ip_of "$id")]=$(name_of "$id"); done
  while :; do
    seen=$(curl -fsS "$ADMIN/actuator/loadbalancer/$service" 2>/dev/null | sed 's/},{/}\n{/g' || true)
    pending=""
    for ip in "${!names[@]}"; do
      printf '%s\n' "$seen" | grep -F "\"host\":\"$ip\"" | grep -q '"ejected":false' || pending="$pending ${names[$ip]}"
    done
    if [ -z "$pending" ]; then say "the gateway routes to ${names[*]} (after $((SECONDS - start)) s)"; return 0; fi
    [ $SECONDS -lt $deadline ] || die "the gateway at $ADMIN does not route to$pending within $ROUTE_TIMEOUT s (its view: ${seen:-none}; the registry's: $(registry_view "$service" | tr '\n' ';'))"
    sleep 1
  done
}

# Starts an instance of SERVICE from TAG, waits until it is healthy and the gateway routes to it,
# then stops OLD (which stays in service for the deregistration delay, while every caller learns).
replace_instance() {
  local service=$1 tag=$2 old=$3 new
  new=$(add_instance "$service" "$tag")
  say "started $(name_of "$new") from $tag; waiting until it is healthy and the gateway routes to it"
  wait_healthy "$new"
  wait_routed "$service" "$new"
  remove_instance "$old"
}

rolling() {
  local service=$1 tag=$2 old id
  image_version "$service" "$tag" >/dev/null
  old=$(containers_of "$service")
  [ -n "$old" ] || die "$service does not run"
  stable_version "$service" >/dev/null
  for id in $old; do replace_instance "$service" "$tag" "$id"; done
  set_env "$(tag_var "$service")" "$tag"
  say "$service runs $tag ($(versions_running "$service"))"
}

canary() {
  local service=$1 tag=$2 percent=$3 stable version id
  version=$(image_version "$service" "$tag")
  stable=$(stable_version "$service")
  [ "$version" != "$stable" ] || die "$tag carries version $version, which already runs"
  # The policy first: the canary takes nothing until its share is set.
  policy "$service" "{\"stable\": \"$stable\", \"canary\": \"$version\", \"canaryPercent\": 0}"
  id=$(add_instance "$service" "$tag")
  say "started canary $(name_of "$id") (version $version); waiting until it is healthy and the gateway routes to it"
  wait_healthy "$id"
  wait_routed "$service" "$id"
  policy "$service" "{\"stable\": \"$stable\", \"canary\": \"$version\", \"canaryPercent\": $percent}"
}

share() {
  read_canary_policy "$1"
  policy "$1" "{\"stable\": \"$STABLE\", \"canary\": \"$CANARY\", \"canaryPercent\": $2}"
}

promote() {
  local service=$1 tag extra id
  read_canary_policy "$service"
  extra=$(containers_of_version "$service" "$CANARY" | head -n 1)
  tag=$(tag_of "$extra")
  # Replace the stable instances one at a time; the new ones join the canary's version.
  for id in $(containers_of_version "$service" "$STABLE"); do replace_instance "$service" "$tag" "$id"; done
  clear_policy "$service"
  say "$service: every instance runs $CANARY; the policy is cleared"
  sleep "$SETTLE"
  # As many instances as before the canary came.
  remove_instance "$extra"
  set_env "$(tag_var "$service")" "$tag"
}

rollback() {
  local service=$1 id
  read_canary_policy "$service"
  policy "$service" "{\"stable\": \"$STABLE\"}"
  sleep "$SETTLE"
  # shellcheck disable=SC2046
  remove_instance $(containers_of_version "$service" "$CANARY")
  clear_policy "$service"
  say "$service: rolled back to $STABLE"
}

green() {
  local service=$1 tag=$2 version blue ids=() id
  version=$(image_version "$service" "$tag")
  blue=$(stable_version "$service")
  [ "$version" != "$blue" ] || die "$tag carries version $version, which already runs"
  policy "$service" "{\"stable\": \"$blue\"}"
  for id in $(containers_of "$service"); do ids+=("$(add_instance "$service" "$tag")"); done
  wait_healthy "${ids[@]}"
  wait_routed "$service" "${ids[@]}"
  say "$service: ${#ids[@]} instance(s) of $version are up and idle; 'switch $service $version' sends them the traffic"
}

switch() {
  local service=$1 version=$2
  versions_running "$service" | grep -qxF "$version" || die "no instance of $service runs version $version"
  policy "$service" "{\"stable\": \"$version\"}"
}

retire() {
  local service=$1 version=$2 id remaining
  [ "$(current_policy "$service" | json_field stable)" != "$version" ] || die "$version takes the traffic: switch first"
  # shellcheck disable=SC2046
  remove_instance $(containers_of_version "$service" "$version")
  remaining=$(versions_running "$service")
  if [ "$(printf '%s\n' "$remaining" | grep -c .)" = 1 ]; then
    clear_policy "$service"
    set_env "$(tag_var "$service")" "$(tag_of "$(containers_of "$service" | head -n 1)")"
  fi
  say "$service runs $(echo $remaining)"
}

# The tag that .env records for SERVICE: the last completed release's (latest if none).
recorded_tag() { env_value "$(tag_var "$1")" | grep . || echo latest; }

# Back to one version after a release that stopped half-way (a new instance that never became
# healthy, a canary or a green colour left behind): instances that are not healthy go; COUNT
# healthy instances of TAG run and the gateway routes to them; then they take all the traffic at
# once, the instances of every other version leave gracefully, and the policy is cleared.
reset() {
  local service=$1 tag=${2:-$(recorded_tag "$1")} count=${3:-} version id have
  version=$(image_version "$service" "$tag")
  for id in $(containers_of "$service"); do
    [ "$(health_of "$id")" = healthy ] || { say "$(name_of "$id") is $(health_of "$id")"; remove_instance "$id"; }
  done
  if [ -z "$count" ]; then
    count=$(for id in $(containers_of "$service"); do version_of "$id"; done | sort | uniq -c | sort -rn | awk 'NR == 1 {print $1}')
    count=${count:-1}
  fi
  have=$(containers_of_version "$service" "$version" | grep -c . || true)
  say "resetting $service to $count instance(s) of $tag (version $version); $have run now"
  while [ "$have" -lt "$count" ]; do
    id=$(add_instance "$service" "$tag")
    say "started $(name_of "$id") from $tag"
    wait_healthy "$id"
    have=$((have + 1))
  done
  # shellcheck disable=SC2046
  wait_routed "$service" $(containers_of_version "$service" "$version")
  policy "$service" "{\"stable\": \"$version\"}"
  sleep "$SETTLE"
  # shellcheck disable=SC2046
  remove_instance $(for id in $(containers_of "$service"); do [ "$(version_of "$id")" = "$version" ] || echo "$id"; done)
  for id in $(containers_of_version "$service" "$version" | tail -n +"$((count + 1))"); do remove_instance "$id"; done
  clear_policy "$service"
  set_env "$(tag_var "$service")" "$tag"
  say "$service runs $count instance(s) of $tag (version $version); the policy is cleared"
}

status() {
  local id
  for id in $(containers_of "$1"); do
    printf '%-40s %-24s %-10s %s\n' "$(name_of "$id")" "$(docker inspect -f '{{.Config.Image}}' "$id")" "$(version_of "$id")" "$(health_of "$id")"
  done
  printf 'policy: %s\n' "$(current_policy "$1" | grep . || echo 'none (every instance takes requests)')"
  printf 'the gateway routes to: %s\n' "$(curl -fsS "$ADMIN/actuator/loadbalancer/$1" 2>/dev/null | grep . || echo 'no instance')"
  printf 'the registry lists:\n%s\n' "$(registry_view "$1" | grep . || echo 'no instance')"
}

command=${1:-}
[ $# -ge 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
check_service "$2"
case "$command" in
  status) status "$2" ;;
  rolling) [ $# = 3 ] || die "usage: rolling SERVICE TAG"; rolling "$2" "$3" ;;
  canary) [ $# = 4 ] || die "usage: canary SERVICE TAG PERCENT"; canary "$2" "$3" "$4" ;;
  share) [ $# = 3 ] || die "usage: share SERVICE PERCENT"; share "$2" "$3" ;;
  promote) promote "$2" ;;
  rollback) rollback "$2" ;;
  green) [ $# = 3 ] || die "usage: green SERVICE TAG"; green "$2" "$3" ;;
  switch) [ $# = 3 ] || die "usage: switch SERVICE VERSION"; switch "$2" "$3" ;;
  retire) [ $# = 3 ] || die "usage: retire SERVICE VERSION"; retire "$2" "$3" ;;
  reset) [ $# -le 4 ] || die "usage: reset SERVICE [TAG [N]]"; reset "$2" "${3:-}" "${4:-}" ;;
  *) die "unknown command $command" ;;
esac
