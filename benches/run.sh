#!/usr/bin/env bash
# The performance table of the README, measured: builds the release binary, seeds a
# store once (cached under target/bench-store between runs), and prints each measure
# beside its target, with SQLite (and DuckDB, when its Python package installs) run over
# the same rows in the same run.
#
#   benches/run.sh                      the table at 100,000 people
#   BENCH_PEOPLE=10000 benches/run.sh   a quicker run on a smaller store
#   BENCH_GROWTH=1 benches/run.sh       also: report, merge and export at about 10k, 100k
#                                       and 1M outcome rows, and the dashboard at each
#
# Settings: BENCH_PEOPLE (100000), BENCH_SEED (1), BENCH_RUNS (5: whole-process times are
# the median of this many runs), BENCH_DIR (target/bench-store), BENCH_GROWTH (0),
# BENCH_SQLITE_FULL (0; 1 also times sql/rollup.sql, every rule, which is slow when big),
# BENCH_GROWTH_PEOPLE (the store sizes of the growth table: "1100 11000 110000").
# Needs: cargo, /usr/bin/time and sqlite3 (installed with apt-get when missing and
# allowed), python3 with duckdb (pip-installed when missing; skipped if that fails).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PEOPLE=${BENCH_PEOPLE:-100000}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-5}
GROWTH=${BENCH_GROWTH:-0}
DIR=${BENCH_DIR:-$ROOT/target/bench-store}
PERIOD=2025-26
export TALKING_POINTS_TODAY=2026-11-23
unset TALKING_POINTS_STORE TALKING_POINTS_FORMS NO_COLOR
umask 077

say() { printf '%s\n' "$*" >&2; }
die() { say "benches/run.sh: $*"; exit 1; }

# ---- tools -------------------------------------------------------------------------
apt_install() {
  local pkg=$1
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq "$pkg" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$pkg" >/dev/null 2>&1; }
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get install -y -qq "$pkg" >/dev/null 2>&1
  else
    return 1
  fi
}
[ -x /usr/bin/time ] || apt_install time ||
  die "needs GNU time at /usr/bin/time: run 'sudo apt-get install time' and try again"
command -v sqlite3 >/dev/null || apt_install sqlite3 ||
  die "needs sqlite3: run 'sudo apt-get install sqlite3' and try again"
DUCK=1
python3 -c 'import duckdb' 2>/dev/null ||
  python3 -m pip install --quiet --user duckdb >/dev/null 2>&1 ||
  python3 -m pip install --quiet duckdb >/dev/null 2>&1 || true
python3 -c 'import duckdb' 2>/dev/null || { DUCK=0; say "DuckDB's Python package is not available (pip install duckdb); its rows are skipped"; }

say "building the release binary and the interface drivers..."
cargo build --release --quiet --bin talking-points --example tui_timings --example terminal_bytes
BIN=$ROOT/target/release/talking-points
TUI=$ROOT/target/release/examples/tui_timings
BYTES=$ROOT/target/release/examples/terminal_bytes
mkdir -p "$DIR"
SCRATCH=$(mktemp -d "$DIR/run.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

# ---- helpers -----------------------------------------------------------------------
# The seeded store depends on the seed generator, the domain, the store's format and the
# forms: a change to any of them makes a new cache key (and a new store).
KEY=$(cd "$ROOT" && find src/seed src/domain src/store forms Cargo.lock -type f -print0 |
  sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)

median() { sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "nan"}'; }
max() { sort -g | tail -n 1; }

# timed N CMD...: runs CMD N times (output discarded); sets T (median wall seconds) and
# M (largest resident set, KiB) from /usr/bin/time.
timed() {
  local n=$1; shift
  local ts=() ms=() i t m
  for ((i = 0; i < n; i++)); do
    /usr/bin/time -f '%e %M' -o "$SCRATCH/time" "$@" >/dev/null 2>"$SCRATCH/err" ||
      { cat "$SCRATCH/err" >&2; die "failed: $*"; }
    read -r t m <"$SCRATCH/time"
    ts+=("$t"); ms+=("$m")
  done
  T=$(printf '%s\n' "${ts[@]}" | median)
  M=$(printf '%s\n' "${ms[@]}" | max)
}

# A store of P people, seeded once per key; prints its path. Seed time is kept beside it.
store_for() {
  local p=$1 s="$DIR/store-$KEY-p$1-s$SEED"
  if [ ! -f "$s.seeded" ]; then
    rm -rf "$s"
    say "seeding $p people (once; cached in $s)..."
    /usr/bin/time -f '%e %M' -o "$s.seedtime" "$BIN" --store "$s" seed --people "$p" --seed "$SEED" >/dev/null
    touch "$s.seeded"
  fi
  printf '%s' "$s"
}

# A bundle of store S, made once.
bundle_for() {
  local b="$1.bundle"
  [ -f "$b" ] || "$BIN" --store "$1" bundle --out "$b" >/dev/null
  printf '%s' "$b"
}

# merged S N: merges S's bundle into an empty store N times; sets T (median seconds), M.
merged() {
  local b ts=() ms=() i
  b=$(bundle_for "$1")
  for ((i = 0; i < $2; i++)); do
    rm -rf "$SCRATCH/merged"
    timed 1 "$BIN" --store "$SCRATCH/merged" merge "$b"
    ts+=("$T"); ms+=("$M")
  done
  rm -rf "$SCRATCH/merged"
  T=$(printf '%s\n' "${ts[@]}" | median)
  M=$(printf '%s\n' "${ms[@]}" | max)
}

conversations() { "$BIN" --store "$1" verify | sed -n 's/.* \([0-9]*\) conversations.*/\1/p'; }

ms() { awk -v s="$1" 'BEGIN {printf "%.0f ms", s * 1000}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f MiB", k / 1024}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; }
verdict() { if le "$1" "$2"; then printf 'yes'; else printf '**no**'; fi; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 |"); say "  $1: $2 (target $3: $4)"; }

# ---- the store ---------------------------------------------------------------------
STORE=$(store_for "$PEOPLE")
read -r SEED_S SEED_M <"$STORE.seedtime"
CONVS=$(conversations "$STORE")
say "store: $PEOPLE people, $CONVS conversations ($STORE)"

# ---- report ------------------------------------------------------------------------
say "report..."
timed "$RUNS" "$BIN" --store "$STORE" report --level partnership --period "$PERIOD" --format csv
REPORT_S=$T
row "\`report --level partnership --period $PERIOD --format csv\`, whole process" \
  "$(ms "$T"), $(mib "$M")" "≤ 100 ms, ≤ 100 MiB" \
  "$(le "$T" 0.1 && le "$M" 102400 && echo yes || echo '**no**')"

# ---- SQLite and DuckDB over the exported rows ----------------------------------------
PKG="$STORE.package"
if [ ! -f "$PKG/outcomes.csv" ]; then
  say "exporting the data package for SQLite and DuckDB (once)..."
  rm -rf "$PKG" "$STORE.sqlite" "$STORE.duckdb"
  "$BIN" --store "$STORE" export --out "$PKG" >/dev/null
fi
ROWS_OUT=$(($(wc -l <"$PKG/outcomes.csv") - 1))
if [ ! -f "$STORE.sqlite" ]; then
  say "loading the package into SQLite (once)..."
  sqlite3 "$STORE.sqlite.tmp" ".read $PKG/schema.sql"
  for t in people conversations outcomes outcome_definitions outcome_national; do
    sqlite3 "$STORE.sqlite.tmp" ".import --csv --skip 1 $PKG/$t.csv $t"
  done
  sqlite3 "$STORE.sqlite.tmp" "CREATE TABLE params AS SELECT '$PERIOD' AS period,
    '2025-04-01' AS period_start, '2026-03-31' AS period_end, '$TALKING_POINTS_TODAY' AS today;"
  mv "$STORE.sqlite.tmp" "$STORE.sqlite"
fi
say "SQLite..."
timed "$RUNS" sqlite3 "$STORE.sqlite" ".read $ROOT/benches/partnership.sql"
SQLITE_S=$T
# How many times `b` the time `a` is.
times() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f×", a / b}'; }
row "the same roll-up in SQLite over the exported rows (window + GROUP BY, \`benches/partnership.sql\`)" \
  "$(ms "$SQLITE_S"), $(times "$SQLITE_S" "$REPORT_S") our report's time" "we beat it by 4× or more" \
  "$(le "$(awk -v a="$REPORT_S" 'BEGIN {print a * 4}')" "$SQLITE_S" && echo yes || echo '**no**')"
if [ "${BENCH_SQLITE_FULL:-0}" = 1 ]; then
  # Every rule at every level; its correlated subqueries make it slow on big stores.
  timed "$RUNS" sqlite3 "$STORE.sqlite" ".read $ROOT/sql/rollup.sql"
  row "SQLite, every rule at every level (\`sql/rollup.sql\`)" \
    "$(ms "$T"), $(times "$T" "$REPORT_S") our report's time" "(for reference)" "-"
fi
if [ "$DUCK" = 1 ]; then
  if [ ! -f "$STORE.duckdb" ]; then
    say "loading the rows into DuckDB (once)..."
    python3 "$ROOT/benches/duck.py" load "$STORE.duckdb.tmp" "$PKG/outcomes.csv"
    mv "$STORE.duckdb.tmp" "$STORE.duckdb"
  fi
  say "DuckDB..."
  DUCK_Q=$(python3 "$ROOT/benches/duck.py" query "$STORE.duckdb" "$ROOT/benches/partnership.sql" "$RUNS")
  timed "$RUNS" python3 "$ROOT/benches/duck.py" once "$STORE.duckdb" "$ROOT/benches/partnership.sql"
  DUCK_P=$T
  row "the same in DuckDB: query over a loaded table / whole Python process" \
    "$DUCK_Q ms / $(ms "$DUCK_P"); our whole process takes $(times "$REPORT_S" "$(awk -v q="$DUCK_Q" 'BEGIN {print q / 1000}')") its query time" \
    "beat its whole process" "$(verdict "$REPORT_S" "$DUCK_P")"
else
  row "the same in DuckDB" "skipped (pip install duckdb)" "beat its whole process" "-"
fi

# ---- the interface -------------------------------------------------------------------
say "the interface in a pseudo-terminal..."
"$TUI" "$STORE" "$RUNS" >"$SCRATCH/tui"
tui() { awk -v k="$1" '$1 == k {print $2}' "$SCRATCH/tui"; }
FIRST=$(tui first_caseload_frame_ms)
OPEN=$(tui dashboard_open_ms)
CHANGE=$(printf '%s\n' "$(tui dashboard_change_level_ms)" "$(tui dashboard_change_unit_ms)" "$(tui dashboard_change_period_ms)" | max)
RSS=$(tui interface_peak_rss_kib)
row "interface: start to the first caseload frame" "$FIRST ms" "≤ 100 ms" "$(verdict "$FIRST" 100)"
row "dashboard: open" "$OPEN ms" "≤ 100 ms" "$(verdict "$OPEN" 100)"
row "dashboard: change level, unit or period (slowest of the three)" \
  "$CHANGE ms (level $(tui dashboard_change_level_ms), unit $(tui dashboard_change_unit_ms), period $(tui dashboard_change_period_ms))" \
  "≤ 30 ms" "$(verdict "$CHANGE" 30)"
row "resident memory with the interface open (peak)" "$(mib "$RSS")" "≤ 100 MiB" "$(verdict "$RSS" 102400)"

# ---- exports -----------------------------------------------------------------------
say "exports..."
timed "$RUNS" "$BIN" --store "$STORE" export --format csv
row "\`export --format csv\`" "$(ms "$T"), $(mib "$M")" "≤ 2 s, ≤ 100 MiB" \
  "$(le "$T" 2 && le "$M" 102400 && echo yes || echo '**no**')"
timed "$RUNS" "$BIN" --store "$STORE" export --format jsonl --include-text
row "\`export --format jsonl --include-text\`" "$(ms "$T"), $(mib "$M")" "≤ 4 s, ≤ 100 MiB" \
  "$(le "$T" 4 && le "$M" 102400 && echo yes || echo '**no**')"

# ---- merge ---------------------------------------------------------------------------
say "merge of the whole store's bundle into an empty store..."
merged "$STORE" "$RUNS"
RATE=$(awk -v c="$CONVS" -v t="$T" 'BEGIN {printf "%.0f", c / t}')
row "\`merge\` of a $PEOPLE-person bundle ($CONVS conversations) into an empty store" \
  "$(ms "$T"), $RATE conversations/s, $(mib "$M")" "≥ 20,000 conversations/s" \
  "$(le 20000 "$RATE" && echo yes || echo '**no**')"

# ---- durable save (in process, criterion) --------------------------------------------
say "a durable save (criterion)..."
cargo bench --quiet --bench store -- "save one conversation" 2>/dev/null >"$SCRATCH/save" || true
# save_ms NAME: the median time of the criterion bench NAME, in milliseconds.
save_ms() {
  awk -v name="$1" '$0 == name {found = 1} found && /time:/ {gsub(/[\[\]]/, ""); print $4, $5; exit}' "$SCRATCH/save" |
    awk '{v = $1; u = $2; f = (u == "ns") ? 1e-6 : (u == "µs" || u == "us") ? 1e-3 : (u == "s") ? 1000 : 1; printf "%.2f", v * f}'
}
SAVE_MS=$(save_ms "save one conversation among 1,000 people, flushed")
row "a durable save of one conversation (flushed), among 1,000 people with a few each" "$SAVE_MS ms" "keep ≤ 5 ms" "$(verdict "$SAVE_MS" 5)"
SAVE1_MS=$(save_ms "save one conversation, flushed")
row "the same, for one person who already has about a thousand conversations" "$SAVE1_MS ms" "(for reference)" "-"

# ---- seed and size ---------------------------------------------------------------------
row "\`seed --people $PEOPLE\` (one run, when the store was made)" "$(awk -v s="$SEED_S" 'BEGIN {printf "%.1f s", s}'), $(mib "$SEED_M")" "keep ≤ 60 s" "$(verdict "$SEED_S" 60)"
STORE_B=$(du -sb "$STORE" | cut -f1)
JSONL_B=$("$BIN" --store "$STORE" export --format jsonl --include-text | wc -c)
RATIO=$(awk -v a="$STORE_B" -v b="$JSONL_B" 'BEGIN {printf "%.2f", a / b}')
row "store size on disk / \`export --format jsonl --include-text\`" \
  "$((STORE_B / 1048576)) MiB / $((JSONL_B / 1048576)) MiB = ${RATIO}×" "keep ≤ 3×" "$(verdict "$RATIO" 3)"

# ---- bytes to the terminal -------------------------------------------------------------
say "bytes to the terminal..."
"$BYTES" >"$SCRATCH/bytes"
TYPED=$(sed -n 's/^typing.*: median \([0-9]*\) bytes.*/\1/p' "$SCRATCH/bytes")
SWITCH=$(sed -n 's/.*, max \([0-9]*\) bytes per switch.*/\1/p' "$SCRATCH/bytes" | max)
row "bytes to the terminal per typed character (median), per screen switch (largest), 80×24" \
  "$TYPED / $SWITCH" "keep ≤ 20 / ≤ 2,500" \
  "$(le "${TYPED:-999}" 20 && le "${SWITCH:-99999}" 2500 && echo yes || echo '**no**')"

# ---- the table -------------------------------------------------------------------------
echo
echo "$PEOPLE people, $CONVS conversations, $ROWS_OUT outcome rows; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
echo "whole-process times: median of $RUNS runs; memory: largest resident set (/usr/bin/time)"
echo
echo "| what | measured | target | holds |"
echo "|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"

# ---- growth --------------------------------------------------------------------------
if [ "$GROWTH" = 1 ]; then
  # About 9.1 outcome rows per seeded person: ~10k, ~100k and ~1M rows.
  echo
  echo "How cost grows (median of $RUNS runs each):"
  echo
  echo "| outcome rows | report | per 1,000 rows | merge | conversations/s | export csv | per 1,000 rows | dashboard change |"
  echo "|---|---|---|---|---|---|---|---|"
  for p in ${BENCH_GROWTH_PEOPLE:-1100 11000 110000}; do
    s=$(store_for "$p")
    n=$(($("$BIN" --store "$s" export | wc -l) - 1))
    c=$(conversations "$s")
    timed "$RUNS" "$BIN" --store "$s" report --level partnership --period "$PERIOD" --format csv
    r=$T
    merged "$s" "$RUNS"
    m=$T
    timed "$RUNS" "$BIN" --store "$s" export --format csv
    e=$T
    "$TUI" "$s" "$RUNS" >"$SCRATCH/tui"
    d=$(printf '%s\n' "$(tui dashboard_change_level_ms)" "$(tui dashboard_change_unit_ms)" "$(tui dashboard_change_period_ms)" | max)
    awk -v n="$n" -v c="$c" -v r="$r" -v m="$m" -v e="$e" -v d="$d" 'BEGIN {
      printf "| %d | %.0f ms | %.3f ms | %.0f ms | %.0f | %.0f ms | %.3f ms | %s ms |\n",
        n, r * 1000, r * 1e6 / n, m * 1000, c / m, e * 1000, e * 1e6 / n, d }'
  done
fi
