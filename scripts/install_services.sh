#!/usr/bin/env bash
# Install Debian's PostgreSQL, Redis and/or nginx for the tests that need real servers, e.g.
#   scripts/install_services.sh postgresql redis nginx
# Does nothing for a service whose binaries are already there (idempotent). The tests start their
# own throwaway servers on free loopback ports (devtools/postgres.py), so the system services the
# packages start on their default ports (PostgreSQL 5432, Redis 6379, nginx 80) are stopped and
# set not to start again: they would only hold ports and memory. Needs root to install.
set -euo pipefail

usage() { echo "usage: $0 {postgresql|redis|nginx}..." >&2; exit 2; }
[ $# -gt 0 ] || usage

have_postgresql() { compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; }
have_redis() { command -v redis-server > /dev/null; }
have_nginx() { [ -x /usr/sbin/nginx ]; }

packages=()
services=()
for service in "$@"; do
  case "$service" in
    postgresql) have_postgresql || packages+=(postgresql postgresql-contrib) ;;
    redis) have_redis || packages+=(redis-server) ;;
    nginx) have_nginx || packages+=(nginx) ;;
    *) usage ;;
  esac
  have_"$service" || services+=("$service")
done
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing: ${packages[*]}; installing needs root:" >&2
  echo "  DEBIAN_FRONTEND=noninteractive apt-get update -qq &&" \
    "apt-get install -y -qq --no-install-recommends ${packages[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null

# Stop and disable what the packages started. Errors are ignored: in a container there is often
# no init system (and policy-rc.d may have kept the service from starting in the first place).
quietly() { "$@" > /dev/null 2>&1 || true; }
for service in "${services[@]}"; do
  case "$service" in
    postgresql)
      # The package creates a "main" cluster; "manual" keeps it from starting at boot.
      while read -r version cluster _; do
        quietly pg_ctlcluster "$version" "$cluster" stop
        conf="/etc/postgresql/$version/$cluster/start.conf"
        if [ -f "$conf" ]; then sed -i 's/^auto$/manual/' "$conf"; fi
      done < <(pg_lsclusters -h 2>/dev/null || true)
      quietly service postgresql stop
      quietly systemctl disable postgresql
      ;;
    redis)
      quietly service redis-server stop
      quietly systemctl disable redis-server
      ;;
    nginx)
      quietly service nginx stop
      quietly systemctl disable nginx
      ;;
  esac
done
echo "installed: ${packages[*]}"
