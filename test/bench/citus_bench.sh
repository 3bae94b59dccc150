#!/bin/bash
# Citus benchmark (not a test): 100 ADD COLUMN revisions on a 32-shard
# distributed table through schemamig.upgrade('head'), against the floor,
# the same ALTERs through psql -1, on a coordinator and two workers started
# here on 127.0.0.1.  Needs Citus installed in the PostgreSQL of PG_CONFIG
# (Debian has no Citus package; build it yourself for this).
#
#   sudo [PG_CONFIG=...] test/bench/citus_bench.sh [REVISIONS] [RUNS]   (defaults 100, 7)
#
# Each run recreates the table with 10,000 rows (untimed), then times one of
# the two commands; the two alternate.  Writes test/bench/results/citus.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
N=${1:-100}
RUNS=${2:-7}
PG_CONFIG=${PG_CONFIG:-pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
OUT=$ROOT/test/bench/results/citus.md
if [ ! -e "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
    echo "citus_bench: Citus is not installed in $("$PG_CONFIG" --pkglibdir)"; exit 2
fi
PG_CONFIG="$PG_CONFIG" scripts/build_install.sh >/dev/null

W=$(mktemp -d /tmp/sm_citus_bench.XXXXXX)
chown postgres "$W"
BASE=${BENCH_PORT:-55460}
stop_all() {
    for i in 0 1 2; do
        runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/n$i" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    done
    rm -rf "$W"
}
trap stop_all EXIT
for i in 0 1 2; do
    runuser -u postgres -- "$PGBIN/initdb" -D "$W/n$i" -A trust -U postgres -E UTF8 --locale=C >/dev/null
    cat >> "$W/n$i/postgresql.conf" <<EOF
port = $((BASE + i))
listen_addresses = '127.0.0.1'
unix_socket_directories = '$W'
shared_preload_libraries = 'citus'
max_prepared_transactions = 20
EOF
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/n$i" -l "$W/n$i.log" -w start >/dev/null
done
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$W" -U postgres -p "$1" -d postgres "${@:2}"; }
for i in 0 1 2; do psql $((BASE + i)) -c 'CREATE EXTENSION citus' >/dev/null; done
psql $BASE -c "SELECT citus_set_coordinator_host('127.0.0.1', $BASE)" \
    -c "SELECT citus_add_node('127.0.0.1', $((BASE + 1)))" \
    -c "SELECT citus_add_node('127.0.0.1', $((BASE + 2)))" \
    -c 'CREATE EXTENSION pg_schemamig' >/dev/null

UP=$W/up.sql
REG=$W/register.sql
: > "$UP"
: > "$REG"
prev=NULL
for k in $(seq 1 "$N"); do
    echo "ALTER TABLE wide ADD COLUMN c$k integer;" >> "$UP"
    echo "SELECT schemamig.add_revision('r$k', 'add c$k', 'ALTER TABLE wide ADD COLUMN c$k integer', 'ALTER TABLE wide DROP COLUMN c$k', $( [ "$k" = 1 ] && echo "'{}'" || echo "'{r$((k - 1))}'"));" >> "$REG"
done

fresh() {
    psql $BASE -c 'DROP TABLE IF EXISTS wide' -c 'SET citus.shard_count = 32' \
        -c 'CREATE TABLE wide (id bigint PRIMARY KEY, v int)' \
        -c "SELECT create_distributed_table('wide', 'id')" \
        -c 'INSERT INTO wide SELECT g, g FROM generate_series(1, 10000) g' \
        -c "TRUNCATE schemamig.version" >/dev/null 2>&1
    psql $BASE -c 'CHECKPOINT' >/dev/null
}
psql $BASE -f "$REG" >/dev/null

now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before=$(load)
floor=()
ours=()
for r in $(seq 1 "$RUNS"); do
    fresh; t0=$(now); psql $BASE -1 -f "$UP" >/dev/null; t1=$(now)
    floor+=("$(echo "$t1 - $t0" | bc)")
    fresh; t0=$(now); psql $BASE -c "SELECT count(*) FROM schemamig.upgrade('head')" >/dev/null 2>&1; t1=$(now)
    ours+=("$(echo "$t1 - $t0" | bc)")
done
load_after=$(load)
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mf=$(median "${floor[@]}")
mo=$(median "${ours[@]}")
ratio=$(awk -v o="$mo" -v f="$mf" 'BEGIN {printf "%.2f", o / f}')
range() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.3f–%.3f", lo, hi}'; }
{
    echo "# Citus: $N ADD COLUMN revisions on a 32-shard table"
    echo
    echo "\`test/bench/citus_bench.sh $N $RUNS\`, $(date -u +%Y-%m-%d), a coordinator and two workers on one $(nproc)-core machine (load average $load_before before, $load_after after), Citus $(psql $BASE -Atc "SELECT extversion FROM pg_extension WHERE extname = 'citus'"), 10,000 rows."
    echo
    echo "| command | median s | range s | ratio to floor |"
    echo "|---|---|---|---|"
    echo "| floor: \`psql -1 -f up.sql\` (the same ALTERs) | $mf | $(range "${floor[@]}") | 1.00 |"
    echo "| \`SELECT schemamig.upgrade('head')\` (parallel mode, lock_timeout sent to the workers once) | $mo | $(range "${ours[@]}") | $ratio |"
} > "$OUT"
cat "$OUT"
