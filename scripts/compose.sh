#!/usr/bin/env bash
# Runs the whole system in containers with one command.
#
#   scripts/compose.sh up [--scale SVC=N ...]   make .env if missing (random passwords), build what is
#                                               missing (engine and base images where no registry is
#                                               reachable, jars, service images), start everything,
#                                               wait until every container is healthy, print the URLs
#   scripts/compose.sh down [-v]                stop everything gracefully (-v: delete the data too)
#   scripts/compose.sh status                   containers, health, memory
#   scripts/compose.sh rebuild                  rebuild the service images from the current sources
#
# It is a thin wrapper: docker-compose.yml works with plain `docker compose up` once the images exist.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/compose-lib.sh"

random_secret() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }

ensure_env() {
  local line key
  if [ ! -f "$ENV_FILE" ]; then
    say "writing $ENV_FILE with random passwords and secrets (from .env.example)"
    while IFS= read -r line; do
      key=${line%%=*}
      case "$line" in
        *_PASSWORD=* | *_SECRET=*) printf '%s=%s\n' "$key" "$(random_secret)" ;;
        *) printf '%s\n' "$line" ;;
      esac
    done <.env.example >"$ENV_FILE"
    chmod 600 "$ENV_FILE"
    return 0
  fi
  # A .env from an older release: add the secrets it lacks, leave everything else as it is.
  while IFS= read -r line; do
    key=${line%%=*}
    case "$line" in
      *_PASSWORD=* | *_SECRET=*)
        if ! grep -q "^$key=" "$ENV_FILE"; then
          say "adding a random $key to $ENV_FILE"
          printf '%s=%s\n' "$key" "$(random_secret)" >>"$ENV_FILE"
        fi ;;
    esac
  done <.env.example
  # A copy of .env.example is not a deployment's secrets: its placeholders are refused, by name.
  local placeholders
  placeholders=$(grep -E '^[A-Z0-9_]+=[[:space:]]*change-me' "$ENV_FILE" | cut -d= -f1 | tr '\n' ' ' || true)
  [ -z "$placeholders" ] || die "$ENV_FILE still has the placeholders of .env.example for: $placeholders(delete those lines and scripts/compose.sh writes random values, or set your own)"
}

# Where the public base images cannot be pulled (no registry), build the local ones from Debian packages
# and select them in .env.
ensure_base_images() {
  local jre
  jre=$(env_value JRE_IMAGE)
  if [ -z "$jre" ]; then
    if docker image inspect eclipse-temurin:17-jre >/dev/null 2>&1 || timeout 30 docker pull -q eclipse-temurin:17-jre >/dev/null 2>&1; then
      return 0
    fi
    say "no registry reachable: building local base images from Debian packages"
    scripts/containers.sh base
    eval "$(scripts/containers.sh env)"
    set_env JRE_IMAGE "$JRE_IMAGE"
    set_env POSTGRES_IMAGE "$POSTGRES_IMAGE"
    set_env MAILDEV_IMAGE "$MAILDEV_IMAGE"
  elif [[ $jre == local/* ]]; then
    scripts/containers.sh base
  fi
}

# scripts/images.sh with the base image and prefix of the env file.
build_images() { JRE_IMAGE=$(env_value JRE_IMAGE) IMAGE_PREFIX=$(image_prefix) scripts/images.sh "$@"; }

ensure_images() {
  local missing=() s
  for s in registry gateway users-service bugs-service notificator-service; do
    docker image inspect "$(image_prefix)$s:latest" >/dev/null 2>&1 || missing+=("$s")
  done
  [ ${#missing[@]} -eq 0 ] || build_images "${missing[@]}"
}

up() {
  command -v docker >/dev/null || die "Docker is not installed (scripts/containers.sh engine installs it on Debian)"
  docker info >/dev/null 2>&1 || scripts/containers.sh engine
  ensure_env
  ensure_base_images
  ensure_images
  local start=$SECONDS
  compose up -d "$@"
  wait_healthy $(compose ps -q)
  # Healthy is not yet routed: the gateway sees a new instance at its next registry fetch (3 s).
  local gateway="http://127.0.0.1:$(env_value GATEWAY_PORT | grep . || echo 8080)" deadline=$((SECONDS + 60))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$gateway/users/me")" = 401 ] \
      && [ "$(curl -s -o /dev/null -w '%{http_code}' "$gateway/bugs?page=0")" = 200 ]; do
    [ $SECONDS -lt $deadline ] || die "the gateway does not route to users-service and bugs-service (docker logs of the gateway)"
    sleep 0.5
  done
  say "every container is healthy and the gateway routes, $((SECONDS - start)) s after up"
  cat <<INFO

  gateway            http://localhost:$(env_value GATEWAY_PORT | grep . || echo 8080)/
  Eureka dashboard   http://localhost:$(env_value REGISTRY_PORT | grep . || echo 8761)/
  mail (MailDev)     http://localhost:$(env_value MAIL_UI_PORT | grep . || echo 1080)/
  gateway admin      http://127.0.0.1:$(env_value GATEWAY_ADMIN_PORT | grep . || echo 8081)/actuator

  curl -XPOST http://localhost:8080/users/create -d '{"email": "someone@example.com"}'
INFO
}

status() {
  local ids
  ids=$(compose ps -q)
  [ -n "$ids" ] || { say "nothing runs"; return 0; }
  docker stats --no-stream --format 'table {{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}' $ids
  for id in $ids; do printf '%-45s %s\n' "$(name_of "$id")" "$(health_of "$id")"; done
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) shift; compose down --timeout 40 "$@" ;;
  status) status ;;
  rebuild) ensure_env; ensure_base_images; build_images ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
