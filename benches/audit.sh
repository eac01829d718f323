#!/usr/bin/env bash
# The attacker's audit on a big seeded store: seeds (or reuses the store benches/run.sh
# cached under target/bench-store) and runs `report --check-disclosure` for each period,
# printing the primary and secondary suppressions per level, the audit's verdict, and
# the CPU time and peak memory of the whole process.
#
#   benches/audit.sh                         100,000 people, period 2025-26
#   AUDIT_PEOPLE=5000 benches/audit.sh       a quicker run
#   AUDIT_PERIODS="2024-25 2025-26" benches/audit.sh
#
# A financial year and its quarters are protected (and audited) as one linked set, so
# auditing the year also audits each of its quarters' reports. The audit covers every
# level at once; --level only picks which reports a normal run would print.
# Settings: AUDIT_PEOPLE (100000), AUDIT_SEED (1), AUDIT_PERIODS ("2025-26"),
# AUDIT_SUPPRESS (5), BENCH_DIR (target/bench-store, shared with benches/run.sh).
# Needs: cargo and GNU time at /usr/bin/time.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PEOPLE=${AUDIT_PEOPLE:-100000}
SEED=${AUDIT_SEED:-1}
PERIODS=${AUDIT_PERIODS:-2025-26}
SUPPRESS=${AUDIT_SUPPRESS:-5}
DIR=${BENCH_DIR:-$ROOT/target/bench-store}
export TALKING_POINTS_TODAY=2026-11-23
unset TALKING_POINTS_STORE TALKING_POINTS_FORMS NO_COLOR
umask 077

say() { printf '%s\n' "$*" >&2; }
[ -x /usr/bin/time ] || { say "benches/audit.sh: needs GNU time at /usr/bin/time: run 'sudo apt-get install time' and try again"; exit 1; }

say "building the release binary..."
cargo build --release --quiet --bin talking-points
BIN=$ROOT/target/release/talking-points
mkdir -p "$DIR"

# The same cache key and store name as benches/run.sh, so either script reuses the other's.
KEY=$(cd "$ROOT" && find src/seed src/domain src/store forms Cargo.lock -type f -print0 |
  sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
STORE="$DIR/store-$KEY-p$PEOPLE-s$SEED"
if [ ! -f "$STORE.seeded" ]; then
  rm -rf "$STORE"
  say "seeding $PEOPLE people (once; cached in $STORE)..."
  /usr/bin/time -f '%e %M' -o "$STORE.seedtime" "$BIN" --store "$STORE" seed --people "$PEOPLE" --seed "$SEED" >/dev/null
  touch "$STORE.seeded"
fi

status=0
for period in $PERIODS; do
  say "auditing $period..."
  out=$(mktemp)
  if /usr/bin/time -f '%U %S %e %M' -o "$out.time" "$BIN" --store "$STORE" report \
      --level service --period "$period" --suppress "$SUPPRESS" --check-disclosure >"$out"; then
    verdict=passed
  else
    verdict=FAILED
    status=1
  fi
  read -r user sys wall mem <"$out.time"
  echo
  echo "$PEOPLE people, seed $SEED, suppression below $SUPPRESS, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  cat "$out"
  awk -v u="$user" -v s="$sys" -v w="$wall" -v m="$mem" -v v="$verdict" 'BEGIN {
    printf "audit %s; CPU %.1f s (user %.1f, system %.1f), wall %.1f s, peak memory %.0f MiB\n",
      v, u + s, u, s, w, m / 1024 }'
  rm -f "$out" "$out.time"
done
exit "$status"
