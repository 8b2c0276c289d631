#!/usr/bin/env bash
# The container toolbox of the project: a Docker engine, base images, the service images.
#
#   scripts/containers.sh engine     make sure a Docker engine answers: install Debian's docker.io,
#                                    docker-compose and debootstrap if they are missing (root only),
#                                    start dockerd in the background if none runs (log: var/docker/)
#   scripts/containers.sh base       build local equivalents of the public base images from Debian
#                                    packages (no registry needed): local/debian:bookworm,
#                                    local/jre:17, local/postgres:15, local/maildev; cached by tag
#   scripts/containers.sh env        print the variables that select the local base images
#                                    (eval "$(scripts/containers.sh env)")
#   scripts/containers.sh images     the service images (scripts/images.sh)
#   scripts/containers.sh setup      engine + base + images: everything `docker compose up` needs
#   scripts/containers.sh stop-engine   stop the dockerd that this script started
#
# Where a registry is reachable (a laptop with Docker Desktop), none of this is needed: the compose
# file and the Dockerfile default to the public images (eclipse-temurin, postgres, maildev/maildev).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Debian's CLI (20.10) first: /usr/local/bin/docker (28) has no buildx plugin, so BuildKit fails there.
export PATH="/usr/bin:$PATH"
export DOCKER_BUILDKIT=1
DOCKER_DIR="$ROOT/var/docker"
MAILDEV_VERSION=2.2.1

die() { printf 'containers.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'containers.sh: %s\n' "$*"; }

engine() {
  if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null || ! command -v debootstrap >/dev/null; then
    [ "$(id -u)" = 0 ] || die "Docker is not installed and this is not root: install docker.io, docker-compose and debootstrap"
    say "installing docker.io, docker-compose and debootstrap from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose debootstrap >/dev/null
  fi
  if docker info >/dev/null 2>&1; then return 0; fi
  [ "$(id -u)" = 0 ] || die "no Docker engine answers and this is not root: start dockerd"
  mkdir -p "$DOCKER_DIR"
  say "starting dockerd (log: var/docker/dockerd.log)"
  # No systemd here: dockerd runs in the background of this shell's session, detached from it.
  setsid dockerd >"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null &
  echo $! >"$DOCKER_DIR/dockerd.pid"
  local deadline=$((SECONDS + 60))
  until docker info >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "dockerd did not answer within 60 s (see var/docker/dockerd.log)"
    sleep 0.5
  done
}

stop_engine() {
  local pid
  pid=$(cat "$DOCKER_DIR/dockerd.pid" 2>/dev/null) || { say "no dockerd started by this script"; return 0; }
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  rm -f "$DOCKER_DIR/dockerd.pid"
}

has_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The Debian mirror that apt on this machine uses (the images get the same one).
mirror() {
  local uri
  uri=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
    | grep -v security | head -n 1 | awk '{print $2}')
  printf '%s' "${uri:-http://deb.debian.org/debian}"
}

base() {
  # One build of the base images at a time: .ci/run starts one in the background while Maven builds,
  # and ComposeIT's own call then waits for it instead of building the same images beside it.
  exec 9>"$DOCKER_DIR/base.lock"
  if ! flock -n 9; then
    say "waiting for the base images that another containers.sh is building"
    flock 9
  fi
  if ! has_image local/debian:bookworm; then
    local rootfs mirror
    mirror=$(mirror)
    rootfs=$(mktemp -d /tmp/bugtracker-rootfs.XXXXXX)
    say "debootstrap bookworm from $mirror (about 30 s)"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$DOCKER_DIR/debootstrap.log" 2>&1 \
      || { rm -rf "$rootfs"; die "debootstrap failed (see var/docker/debootstrap.log)"; }
    cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian*}/debian-security bookworm-security main
SOURCES
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import - local/debian:bookworm >/dev/null
    rm -rf "$rootfs"
  fi
  build_base local/jre:17 jre.Dockerfile
  build_base local/postgres:15 postgres.Dockerfile
  if ! has_image local/maildev:$MAILDEV_VERSION; then
    local staging="$DOCKER_DIR/maildev-context"
    rm -rf "$staging" && mkdir -p "$staging/maildev"
    say "installing maildev@$MAILDEV_VERSION from the npm registry"
    command -v npm >/dev/null || die "npm is needed to build local/maildev (install Debian's npm)"
    npm install --prefix "$staging/maildev" --omit=dev --no-audit --no-fund --loglevel=error "maildev@$MAILDEV_VERSION" >/dev/null
    cp deployments/docker/base/maildev.Dockerfile "$staging/"
    build_base local/maildev:$MAILDEV_VERSION maildev.Dockerfile "$staging"
    rm -rf "$staging"
  fi
}

build_base() {
  local tag=$1 file=$2 context=${3:-deployments/docker/base}
  has_image "$tag" && return 0
  say "building $tag"
  docker build --network host -q -t "$tag" -f "$context/$file" "$context" >/dev/null
}

env_vars() {
  cat <<VARS
export JRE_IMAGE=local/jre:17
export POSTGRES_IMAGE=local/postgres:15
export MAILDEV_IMAGE=local/maildev:$MAILDEV_VERSION
export DOCKER_BUILDKIT=1
export COMPOSE_DOCKER_CLI_BUILD=1
export PATH="/usr/bin:\$PATH"
VARS
}

mkdir -p "$DOCKER_DIR"
case "${1:-}" in
  engine) engine ;;
  base) engine; base ;;
  env) env_vars ;;
  images) shift; engine; eval "$(env_vars)"; exec scripts/images.sh "$@" ;;
  setup) shift; engine; base; eval "$(env_vars)"; exec scripts/images.sh "$@" ;;
  stop-engine) stop_engine ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
