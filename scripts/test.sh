#!/usr/bin/env bash
# The test suite: installs what the tests need (as root), builds, runs every test against real slapd, Samba and
# journald instances that the tests start and stop themselves, and checks the systemd units.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "$(id -u)" = 0 ]; then bash scripts/install-deps.sh; fi
swift build --build-tests
if [ -x scripts/check-units.sh ]; then bash scripts/check-units.sh "$(swift build --show-bin-path)/tenantsync"; fi
swift test --skip-build
