#!/usr/bin/env bash
# Installs the Debian packages tenantsync builds and tests with (run as root; skips what is already there).
set -euo pipefail
packages=(slapd ldap-utils libldap2-dev libsqlite3-dev samba ldb-tools openssl systemd time)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  # A mirror that hiccups once should not fail the set-up: three tries, a few seconds apart.
  for attempt in 1 2 3; do
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
      break
    fi
    if [ "$attempt" = 3 ]; then echo "could not install: ${missing[*]}" >&2; exit 1; fi
    sleep 5
  done
fi
