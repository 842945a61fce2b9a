#!/usr/bin/env bash
# The demo: a throwaway slapd with the sample company of config/demo, one `tenantsync --once` into a SQLite store
# in a temporary folder, then the report, the users and the conflicts. Everything it starts, it stops.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "$(id -u)" = 0 ]; then bash scripts/install-deps.sh; fi
echo "== building tenantsync"
swift build --product tenantsync 2>&1 | tail -1
bin=$(swift build --show-bin-path)/tenantsync

work=$(mktemp -d /tmp/tenantsync-demo.XXXXXX)
cleanup() {
  if [ -f "$work/slapd/slapd.pid" ]; then kill "$(cat "$work/slapd/slapd.pid")" 2>/dev/null || true; fi
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT

echo "== starting a throwaway slapd with config/demo/directory.ldif"
url=$(bash scripts/slapd/run-slapd.sh "$work/slapd" config/demo/directory.ldif)
echo "   $url"
umask 077
printf 'secret' > "$work/bind-password"
sed -e "s|@URL@|$url|" -e "s|@STORE@|$work/tenant.sqlite|" -e "s|@PASSWORD_FILE@|$work/bind-password|" \
  config/demo/tenantsync.yaml > "$work/tenantsync.yaml"
export TENANTSYNC_CONFIG=$work/tenantsync.yaml

echo "== tenantsync check-config --connect"
"$bin" check-config --connect
echo "== tenantsync import-tenant (cloud users with licences assigned before the rules took over)"
"$bin" import-tenant --users config/demo/graph-users.json
echo "== tenantsync --once --dry-run"
set +e
"$bin" --once --dry-run --log-target stderr; echo "   exit code $?"
echo "== tenantsync --once"
"$bin" --once --log-target stderr; status=$?
set -e
echo "   exit code $status (0 ok, 2 licence errors stand, 3 stopped by the guard, 1 failed)"
echo "== tenantsync report --last"
"$bin" report --last
echo "== tenantsync skus"
"$bin" skus
echo "== tenantsync users"
"$bin" users
echo "== tenantsync conflicts (exits 2 while licence errors stand)"
"$bin" conflicts || [ $? = 2 ]
