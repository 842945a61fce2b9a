#!/usr/bin/env bash
# Checks the shipped systemd files:
#   - `systemd-analyze security --offline=true --threshold=15` on each service (exposure 1.5 or lower);
#   - `systemd-analyze verify --man=no` on copies of the units whose ExecStart points at BINARY
#     (verify needs an existing executable), failing on ANY output, since verify exits 0 on unknown keys;
#   - the message catalog compiles (`journalctl --root=TMP --update-catalog`) and lists every MESSAGE_ID it defines.
# Usage: scripts/check-units.sh BINARY      (BINARY: the built tenantsync, e.g. .build/debug/tenantsync)
set -euo pipefail

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 BINARY (an existing executable that stands in for /usr/local/bin/tenantsync)" >&2
    exit 64
fi
binary=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
units="$root/systemd"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

for service in "$units"/*.service; do
    if ! systemd-analyze security --offline=true --threshold=15 "$service" >"$work/security.out" 2>&1; then
        cat "$work/security.out"
        echo "FAIL security: $(basename "$service") is above the exposure threshold 1.5" >&2
        failed=1
    else
        echo "ok   security: $(grep -o 'exposure level for .*' "$work/security.out")"
    fi
done

mkdir -p "$work/units"
for unit in "$units"/*.service "$units"/*.timer; do
    sed "s|/usr/local/bin/tenantsync|$binary|g" "$unit" >"$work/units/$(basename "$unit")"
done
for unit in "$work"/units/*; do
    output=$(cd "$work/units" && systemd-analyze verify --man=no "$unit" 2>&1) || true
    if [ -n "$output" ]; then
        echo "$output"
        echo "FAIL verify: $(basename "$unit") produced output" >&2
        failed=1
    else
        echo "ok   verify: $(basename "$unit")"
    fi
done

mkdir -p "$work/root/usr/lib/systemd/catalog"
cp "$units/tenantsync.catalog" "$work/root/usr/lib/systemd/catalog/"
output=$(journalctl --root="$work/root" --update-catalog 2>&1) || { echo "$output"; output="update-catalog failed"; }
defined=$(grep -c '^-- [0-9a-f]\{32\}$' "$units/tenantsync.catalog")
listed=$(journalctl --root="$work/root" --list-catalog 2>/dev/null | grep -c ' tenantsync: ' || true)
if [ -n "$output" ] || [ "$defined" -ne "$listed" ]; then
    echo "$output"
    echo "FAIL catalog: $defined entries defined, $listed compiled" >&2
    failed=1
else
    echo "ok   catalog: $listed entries"
fi

exit $failed
