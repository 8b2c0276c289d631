# Shared by scripts/compose.sh and scripts/release.sh (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="/usr/bin:$PATH" DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1

die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
# With the time: a release's steps line up with the services' logs.
say() { printf '%s %s: %s\n' "$(date +%T)" "$(basename "$0")" "$*"; }

# The variables of the stack (passwords, ports, image tags): .env unless ENV_FILE names another file.
ENV_FILE=${ENV_FILE:-.env}
# Compose v2 (docker compose) where the plugin is there, Debian's docker-compose v1.29 otherwise.
if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose); else COMPOSE=(docker-compose); fi
COMPOSE+=(--env-file "$ENV_FILE")
compose() { "${COMPOSE[@]}" "$@"; }

# KEY=VALUE into the env file (replacing the line of KEY), so that the next `compose up` keeps it.
set_env() {
  local key=$1 value=$2
  touch "$ENV_FILE"
  if grep -q "^$key=" "$ENV_FILE"; then sed -i "s|^$key=.*|$key=$value|" "$ENV_FILE"; else printf '%s=%s\n' "$key" "$value" >>"$ENV_FILE"; fi
}

env_value() { sed -n "s/^$1=//p" "$ENV_FILE" 2>/dev/null | tail -n 1; }

# The service images' name prefix (IMAGE_PREFIX in the env file, default bugtracker/).
image_prefix() { env_value IMAGE_PREFIX | grep . || echo bugtracker/; }

# Containers of a compose service, oldest first.
containers_of() {
  local id
  for id in $(compose ps -q "$1" 2>/dev/null); do
    docker inspect -f '{{.Created}} {{.Id}}' "$id"
  done | sort | awk '{print $2}'
}

health_of() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2>/dev/null || echo gone; }

version_of() { docker inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$1"; }

name_of() { docker inspect -f '{{.Name}}' "$1" | sed 's|^/||'; }

# Waits until every container given is healthy; fails on one that exits or turns unhealthy.
wait_healthy() {
  local start=$SECONDS deadline=$((SECONDS + ${HEALTH_TIMEOUT:-360})) id state pending
  while :; do
    pending=0
    for id in "$@"; do
      state=$(health_of "$id")
      case "$state" in
        healthy) ;;
        unhealthy | exited | dead | gone) die "$(name_of "$id" 2>/dev/null || echo "$id") is $state after $((SECONDS - start)) s (load: $(cut -d' ' -f1-3 /proc/loadavg)); its last lines:
$(docker logs --tail 30 "$id" 2>&1 | cut -c1-400)" ;;
        *) pending=1 ;;
      esac
    done
    if [ $pending = 0 ]; then say "healthy after $((SECONDS - start)) s: $(for id in "$@"; do name_of "$id"; done | tr '\n' ' ')"; return 0; fi
    [ $SECONDS -lt $deadline ] || die "not healthy within ${HEALTH_TIMEOUT:-360} s: $* (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    sleep 1
  done
}
