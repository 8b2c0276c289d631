#!/usr/bin/env bash
# Prometheus and Alertmanager for the bug tracker: checks their configuration, and renders it for a
# stack on 127.0.0.1. deployments/observability/ holds the configuration as docker-compose.yml's
# "observability" profile runs it; this script derives the local one from it, so that the scrape
# config, the rules and the routes exist once.
#
#   scripts/observability.sh check
#       promtool check config and test rules, amtool check-config, docker-compose config of the
#       observability profile (./mvnw verify runs this; it skips the Prometheus and Alertmanager checks
#       when their tools are missing, unless BUGTRACKER_OBSERVABILITY_TESTS=required, as in CI)
#   scripts/observability.sh render DIR [options]
#       write DIR/prometheus.yml, DIR/rules/, DIR/alertmanager.yml for a local stack:
#       --registry URL          the Eureka server (default http://127.0.0.1:8761)
#       --registry-password-file FILE
#                               the registry's read-only password (user "reader"), where it takes
#                               credentials; without it, none are sent (the local registry is open)
#       --alertmanager H:P      where Prometheus sends alerts (default 127.0.0.1:9093)
#       --smtp H:P              where Alertmanager sends email (default 127.0.0.1:2525)
#       --interval DUR          scrape, discovery and rule evaluation interval (default 5s)
#       --rule-for DUR          every alert's "for:" (default: as in the rules)
#       --group-wait DUR        Alertmanager's group_wait and group_interval (default: as configured)
#       --set NAME=VALUE        a setting of rules/settings.yml without labels, for example
#                               --set bugtracker:outbox_oldest_age_limit_seconds=10 (repeatable)
#
# Needs Debian's prometheus and prometheus-alertmanager packages (promtool, amtool).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="$ROOT/deployments/observability"

die() { printf 'observability.sh: %s\n' "$*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null || die "$1 is not installed: apt-get install prometheus prometheus-alertmanager"
}

cmd_check() {
  if ! command -v promtool >/dev/null || ! command -v amtool >/dev/null; then
    # CI sets BUGTRACKER_OBSERVABILITY_TESTS=required: there, a missing tool is a failure.
    [ "${BUGTRACKER_OBSERVABILITY_TESTS:-}" = required ] && need promtool && need amtool
    printf 'observability.sh: SKIPPED the Prometheus and Alertmanager checks: promtool or amtool is missing '
    printf '(apt-get install prometheus prometheus-alertmanager)\n'
    return 0
  fi
  promtool check config "$CONFIG/prometheus/prometheus.yml"
  promtool test rules "$CONFIG"/prometheus/tests/*.yml
  amtool check-config "$CONFIG/alertmanager/alertmanager.yml"
  # docker-compose.yml's observability profile, as far as it can be checked without its images (no
  # registry here has Grafana's or Loki's): the file and its interpolation are valid.
  if command -v docker-compose >/dev/null; then
    docker-compose -f "$ROOT/docker-compose.yml" --env-file "$ROOT/.env.example" --profile observability config -q
    printf 'docker-compose.yml with the observability profile: valid\n'
  fi
}

cmd_render() {
  local dir=${1:-}
  [ -n "$dir" ] || die "usage: render DIR [options]"
  shift
  local registry=http://127.0.0.1:8761 alertmanager=127.0.0.1:9093 smtp=127.0.0.1:2525 interval=5s
  local rule_for='' group_wait='' settings=() password_file=''
  while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || die "$1 needs a value"
    case $1 in
      --registry) registry=${2%/} ;;
      --registry-password-file) password_file=$2 ;;
      --alertmanager) alertmanager=$2 ;;
      --smtp) smtp=$2 ;;
      --interval) interval=$2 ;;
      --rule-for) rule_for=$2 ;;
      --group-wait) group_wait=$2 ;;
      --set) settings+=("$2") ;;
      *) die "unknown option $1" ;;
    esac
    shift 2
  done
  local registry_host=${registry#*://}
  mkdir -p "$dir/rules"
  # The local registry is open (it binds 127.0.0.1 only): no credentials, so no basic_auth blocks;
  # one that takes them is read with the reader's password file.
  local auth_edit=(-e '/^ *basic_auth:/,/^ *password_file:/d')
  if [ -n "$password_file" ]; then
    [ -r "$password_file" ] || die "cannot read $password_file"
    auth_edit=(-e "s|^( *)password_file: .*|\1password_file: $password_file|")
  fi
  sed -E -e "s|http://registry:8761/eureka|$registry/eureka|" \
    -e "s|'registry:8081'|'$registry_host'|" \
    -e "s|'alertmanager:9093'|'$alertmanager'|" \
    "${auth_edit[@]}" \
    -e "s#^( *)(scrape_interval|scrape_timeout|evaluation_interval|refresh_interval): .*#\1\2: $interval#" \
    "$CONFIG/prometheus/prometheus.yml" >"$dir/prometheus.yml"
  cp "$CONFIG"/prometheus/rules/*.yml "$dir/rules/"
  local setting name
  for setting in ${settings[@]+"${settings[@]}"}; do
    name=${setting%%=*}
    grep -q "^ *- record: $name\$" "$dir/rules/settings.yml" || die "no setting $name in rules/settings.yml"
    awk -v name="$name" -v value="${setting#*=}" '
      $0 ~ "^ *- record: " name "$" { found = 1 }
      found && /^ *expr: / { sub(/expr: .*/, "expr: vector(" value ")"); found = 0 }
      { print }' "$dir/rules/settings.yml" >"$dir/rules/settings.yml.new"
    mv "$dir/rules/settings.yml.new" "$dir/rules/settings.yml"
  done
  if [ -n "$rule_for" ]; then
    sed -i "s|^\( *\)for: .*|\1for: $rule_for|" "$dir/rules/alerts.yml"
  fi
  local am_edits=(-e "s|smtp_smarthost: .*|smtp_smarthost: '$smtp'|")
  if [ -n "$group_wait" ]; then
    am_edits+=(-e "s#^( *)(group_wait|group_interval): .*#\1\2: $group_wait#")
  fi
  sed -E "${am_edits[@]}" "$CONFIG/alertmanager/alertmanager.yml" >"$dir/alertmanager.yml"
}

case ${1:-} in
  check) cmd_check ;;
  render) shift; cmd_render "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
