#!/usr/bin/env bash
# Starts a throwaway slapd on 127.0.0.1 with the data of an LDIF file, in folder DIR.
# Usage: run-slapd.sh DIR DATA.ldif   -> prints the ldap:// URL; the PID is in DIR/slapd.pid.
set -euo pipefail
dir=$1 data=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/slapd.d" "$dir/db"
sed -e "s|@DIR@|$dir|g" -e "s|@PASSWORD@|secret|g" "$here/config.ldif.in" > "$dir/config.ldif"
slapadd -n0 -F "$dir/slapd.d" -l "$dir/config.ldif" >/dev/null
slapadd -n1 -F "$dir/slapd.d" -q -l "$data" >/dev/null
for attempt in 1 2 3 4 5; do
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  url="ldap://127.0.0.1:$port"
  slapd -h "$url/" -F "$dir/slapd.d" >/dev/null 2>&1 || continue
  for _ in $(seq 1 300); do
    if ldapwhoami -x -H "$url" -D cn=admin,dc=example,dc=org -w secret >/dev/null 2>&1; then echo "$url"; exit 0; fi
    sleep 0.02
  done
  [ -f "$dir/slapd.pid" ] && kill "$(cat "$dir/slapd.pid")" 2>/dev/null || true
done
echo "slapd did not start in $dir" >&2
exit 1
