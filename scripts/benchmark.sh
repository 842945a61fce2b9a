#!/usr/bin/env bash
# The benchmark of DESIGN.md section 7. Builds tenantsync in release, generates a directory (default 100,000 users
# and 10,000 groups, about 275,000 member values), loads it into a throwaway slapd with `slapadd -q`, then times in
# the same run:
#   (a) ldapsearch reading the same entries and attributes tenantsync reads (users, then groups; median of R runs),
#   (b) a first `tenantsync --once` into an empty store,
#   (c) the same again with nothing changed, as a full re-read (`--full`),
#   (d) `tenantsync --once` after 100 changes (90 display names, 5 users added, 5 deleted): a delta read,
# and prints wall time, peak RSS and the ratios against the targets. Everything it starts, it stops.
# Usage: scripts/benchmark.sh [--users N] [--groups M] [--runs R] [--keep]
#   --keep leaves the generated data, the config and the store in the temporary folder (slapd is stopped).
set -euo pipefail
users=100000 groups=10000 runs=3 keep=false
while [ $# -gt 0 ]; do
  case $1 in
    --users) users=$2; shift 2 ;;
    --groups) groups=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 64 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ]; then bash scripts/install-deps.sh; fi
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time (or run scripts/install-deps.sh)" >&2; exit 1; }

seconds_since() { awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - start }'; }

echo "== building tenantsync (release)"
started=$(date +%s.%N)
swift build -c release --product tenantsync 2>&1 | tail -1
echo "   $(seconds_since "$started") s"
bin=$(swift build -c release --show-bin-path)/tenantsync

work=$(mktemp -d /tmp/tenantsync-bench.XXXXXX)
stop_slapd() {
  local pidfile=$work/slapd/slapd.pid
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  rm -f "$pidfile"
}
cleanup() {
  stop_slapd
  if $keep; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== generating $users users and $groups groups"
started=$(date +%s.%N)
python3 scripts/bench/generate-directory.py --users "$users" --groups "$groups" \
  --out "$work/directory.ldif" --changes-out "$work/changes.ldif"
echo "   $(seconds_since "$started") s, $(du -m "$work/directory.ldif" | cut -f1) MB of LDIF"

echo "== loading it with slapadd -q and starting slapd"
started=$(date +%s.%N)
url=$(bash scripts/slapd/run-slapd.sh "$work/slapd" "$work/directory.ldif")
echo "   $url, $(seconds_since "$started") s"

umask 077
printf 'secret' > "$work/bind-password"
sed -e "s|@URL@|$url|" -e "s|@STORE@|$work/tenant.sqlite|" -e "s|@PASSWORD_FILE@|$work/bind-password|" \
  -e "s|@SEATS_ALL@|$users|" -e "s|@SEATS_VISIO@|$((users * 5 / 100))|" \
  scripts/bench/tenantsync.yaml.in > "$work/tenantsync.yaml"
export TENANTSYNC_CONFIG=$work/tenantsync.yaml

# timed COMMAND...: runs it under GNU time; sets $wall and $cpu (user + system seconds) and $rss (peak, KB); the
# command's status is in $status. CPU seconds are the steadier number on a busy machine.
timed() {
  set +e
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@"
  status=$?
  set -e
  read -r wall rss user system < <(tail -n 1 "$work/time")
  cpu=$(awk -v a="$user" -v b="$system" 'BEGIN { printf "%.2f", a + b }')
}

user_attributes=(entryUUID mail displayName cn c pwdAccountLockedTime uid)      # AttributeMap.userAttributes, openldap
group_attributes=(entryUUID cn member uniqueMember memberUid)                  # AttributeMap.groupAttributes, openldap
search=(ldapsearch -x -LLL -H "$url" -D cn=admin,dc=example,dc=org -y "$work/bind-password" -E pr=1000/noprompt)

echo "== (a) ldapsearch, users then groups, $runs run(s)"
search_walls=() search_cpus=() search_rss=0
for run in $(seq 1 "$runs"); do
  timed "${search[@]}" -b ou=people,dc=example,dc=org '(objectClass=inetOrgPerson)' "${user_attributes[@]}" > /dev/null
  [ "$status" = 0 ] || { echo "ldapsearch failed ($status)" >&2; exit 1; }
  user_wall=$wall user_cpu=$cpu user_rss=$rss
  timed "${search[@]}" -b ou=groups,dc=example,dc=org '(objectClass=groupOfNames)' "${group_attributes[@]}" > /dev/null
  [ "$status" = 0 ] || { echo "ldapsearch failed ($status)" >&2; exit 1; }
  total=$(awk -v a="$user_wall" -v b="$wall" 'BEGIN { printf "%.2f", a + b }')
  search_walls+=("$total")
  search_cpus+=("$(awk -v a="$user_cpu" -v b="$cpu" 'BEGIN { printf "%.2f", a + b }')")
  search_rss=$(printf '%s\n' "$search_rss" "$user_rss" "$rss" | sort -n | tail -n 1)
  echo "   run $run: $total s (users $user_wall s, groups $wall s)"
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
search_wall=$(printf '%s\n' "${search_walls[@]}" | median)
search_cpu=$(printf '%s\n' "${search_cpus[@]}" | median)

# run_sync NAME [ARGS]: one `tenantsync --once [ARGS]`; exit 0 (ok) and 2 (licence errors stand: the short Visio
# seats) both count.
run_sync() {
  local name=$1; shift
  timed "$bin" --once --log-target stderr "$@" 2> "$work/$name.log"
  if [ "$status" != 0 ] && [ "$status" != 2 ]; then
    echo "tenantsync --once failed with exit code $status:" >&2
    tail -n 20 "$work/$name.log" >&2
    exit 1
  fi
  echo "   $wall s ($cpu s CPU), $((rss / 1024)) MB, exit code $status"
}

echo "== (b) tenantsync --once into an empty store"
run_sync first; first_wall=$wall first_cpu=$cpu first_rss=$rss
echo "== (c) tenantsync --once --full, nothing changed"
run_sync unchanged --full; unchanged_wall=$wall unchanged_cpu=$cpu unchanged_rss=$rss
echo "== (d) 100 changes with ldapmodify, then tenantsync --once (a delta)"
ldapmodify -x -H "$url" -D cn=admin,dc=example,dc=org -y "$work/bind-password" -f "$work/changes.ldif" > /dev/null
run_sync changed; changed_wall=$wall changed_cpu=$cpu changed_rss=$rss

peak_rss=$(printf '%s\n' "$first_rss" "$unchanged_rss" "$changed_rss" | sort -n | tail -n 1)
echo
echo "== results: $users users, $groups groups; ldapsearch is the median of $runs run(s)"
awk -v search="$search_wall" -v search_cpu="$search_cpu" -v search_rss="$search_rss" \
    -v first="$first_wall" -v first_cpu="$first_cpu" -v first_rss="$first_rss" \
    -v unchanged="$unchanged_wall" -v unchanged_cpu="$unchanged_cpu" -v unchanged_rss="$unchanged_rss" \
    -v changed="$changed_wall" -v changed_cpu="$changed_cpu" -v changed_rss="$changed_rss" -v peak="$peak_rss" '
  function verdict(ok) { return ok ? "PASS" : "MISS" }
  function ratio(a, b) { return b > 0 ? a / b : 0 }
  function row(name, wall, cpu, rss, target, result) {
    printf "%-36s %7.2f %7.2f %8.0f %9.2f   %-28s %s\n", name, wall, cpu, rss / 1024, ratio(wall, search), target, result
  }
  BEGIN {
    printf "%-36s %7s %7s %8s %9s   %-28s %s\n", "stage", "wall s", "cpu s", "RSS MB", "x search", "target", "result"
    row("ldapsearch users + groups", search, search_cpu, search_rss, "", "")
    row("tenantsync first sync (empty store)", first, first_cpu, first_rss, "<= 1.5 x ldapsearch", verdict(first <= 1.5 * search))
    row("tenantsync unchanged re-sync", unchanged, unchanged_cpu, unchanged_rss, "<= 1.2 x ldapsearch",
      verdict(unchanged <= 1.2 * search))
    row("tenantsync after 100 changes", changed, changed_cpu, changed_rss,
      sprintf("< 5 %% of first (%.1f %%)", 100 * ratio(changed, first)), verdict(changed < 0.05 * first))
    printf "%-36s %7s %7s %8.0f %9s   %-28s %s\n", "tenantsync peak RSS", "", "", peak / 1024, "", "< 200 MB", verdict(peak < 200 * 1024)
  }'
