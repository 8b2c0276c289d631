#!/usr/bin/env bash
# Builds the service images from the jars of the Maven build (built first when missing or stale).
#
#   scripts/images.sh [SERVICE ...]          all five services, or the ones named
#   VERSION=0.2.0 TAG=canary scripts/images.sh users-service
#                                            an image with another version label (a canary)
#
# Tags: bugtracker/<service>:<version>-<git commit> and bugtracker/<service>:${TAG:-latest}
# (the tag that docker-compose.yml runs). The version label (VERSION, default: the project version)
# becomes the instance's "version" in Eureka and the "version" tag of its metrics.
# JRE_IMAGE selects the base image (default eclipse-temurin:17-jre; scripts/containers.sh env gives
# the local one). IMAGE_PREFIX replaces "bugtracker/" (for a registry: registry.example.com/bugtracker/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="/usr/bin:$PATH" DOCKER_BUILDKIT=1

declare -A HTTP_PORT=([registry]=8761 [gateway]=8080 [users-service]=8800 [bugs-service]=8801 [notificator-service]=8803)
ALL=(registry gateway users-service bugs-service notificator-service)
services=("$@")
[ ${#services[@]} -gt 0 ] || services=("${ALL[@]}")
for s in "${services[@]}"; do [ -n "${HTTP_PORT[$s]:-}" ] || { echo "images.sh: unknown service $s" >&2; exit 2; }; done

project_version=$(sed -n '/<artifactId>bugtracker-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' pom.xml)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo nogit)
git diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
VERSION=${VERSION:-$project_version}
PREFIX=${IMAGE_PREFIX:-bugtracker/}
TAG=${TAG:-latest}

# Jars: taken as they are with JARS=as-is (the system test, right after the Maven build); otherwise
# built when one is missing or a source changed since this script last built it (the jars'
# own timestamps are fixed by the reproducible build, so a stamp file keeps the time).
stale=()
for s in "${services[@]}"; do
  jar=$(ls "$s"/target/"$s"-*.jar 2>/dev/null | head -n 1 || true)
  stamp="$s/target/.images-build-stamp"
  if [ "${JARS:-}" = as-is ]; then
    [ -n "$jar" ] || { echo "images.sh: no jar in $s/target (./mvnw package)" >&2; exit 1; }
  elif [ -z "$jar" ] || [ ! -f "$stamp" ] || [ -n "$(find pom.xml configs api/src platform/src loadbalancing/src "$s/src" "$s/pom.xml" -newer "$stamp" -type f -print -quit)" ]; then
    stale+=("$s")
  fi
done
if [ ${#stale[@]} -gt 0 ]; then
  echo "images.sh: building the jars of ${stale[*]}"
  ./mvnw -B -q package -DskipTests -pl "$(IFS=,; echo "${stale[*]}")" -am
  for s in "${stale[@]}"; do touch "$s/target/.images-build-stamp"; done
fi

for s in "${services[@]}"; do
  start=$SECONDS
  docker build -q -f deployments/docker/Dockerfile \
    --build-arg "JRE_IMAGE=${JRE_IMAGE:-eclipse-temurin:17-jre}" \
    --build-arg "SERVICE=$s" --build-arg "HTTP_PORT=${HTTP_PORT[$s]}" --build-arg "VERSION=$VERSION" \
    -t "$PREFIX$s:$VERSION-$commit" -t "$PREFIX$s:$TAG" . >/dev/null
  size=$(docker image inspect -f '{{.Size}}' "$PREFIX$s:$TAG")
  printf 'images.sh: %-34s %4d MB  version %s  (%d s)\n' "$PREFIX$s:$VERSION-$commit" $((size / 1000000)) "$VERSION" $((SECONDS - start))
done
