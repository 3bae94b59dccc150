#!/bin/bash
# Verify benchmark (not a test): the cost of schemamig.verify() on the peers'
# workload (../shared/peers/gen.py: a table per revision, every third
# revision also an index and a column on the previous table), as a ratio to
# one upgrade('head') plus one downgrade('base') of the same history.
#
#   sudo PG_CONFIG=... test/bench/verify_bench.sh [N] [RUNS]   (defaults: 1000 revisions, 3 runs)
#
# verify runs each revision's upgrade twice and its downgrade once, and
# describes the schema three times per revision (before is the previous
# revision's after), so its cost grows with the size of the schema.
# Each timed command runs on a fresh database (preparation untimed,
# CHECKPOINT before). Writes test/bench/results/verify.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
N=${1:-1000}
RUNS=${2:-3}
PEERS=${PEERS:-$ROOT/../shared/peers}
[ -f "$PEERS/gen.py" ] || PEERS=$ROOT/../../shared/peers
export PG_CONFIG=${PG_CONFIG:-pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
OUT=$ROOT/test/bench/results/verify.md
[ -f "$PEERS/gen.py" ] || { echo "peers workload generator not found: $PEERS/gen.py (set PEERS=)"; exit 2; }

# measure this tree's build: install it and keep other checkouts from
# reinstalling the shared library while the benchmark runs
LOCKNAME=$("$PG_CONFIG" --pkglibdir | tr / _)
exec 9>"/tmp/pg_schemamig_install$LOCKNAME.lock"
flock 9
scripts/build_install.sh >/dev/null

W=$(mktemp -d /tmp/sm_verify_bench.XXXXXX)
chown postgres "$W"
PORT=${BENCH_PORT:-55461}
runuser -u postgres -- "$PGBIN/initdb" -D "$W/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/data" -l "$W/server.log" -w 9>&- \
    -o "-c listen_addresses='' -c unix_socket_directories='$W' -p $PORT" start >/dev/null
trap 'runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/data" -m fast -w -t 30 stop >/dev/null || runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/data" -m immediate stop; rm -rf "$W"' EXIT
export PGHOST=$W PGPORT=$PORT PGUSER=postgres
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)

python3 "$PEERS/gen.py" -n "$N" -o "$W/gen" --url "postgresql://postgres@localhost/bench" >/dev/null

fresh() {  # a new database "bench" with the extension and the revisions registered
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" >/dev/null
    "${PSQL[@]}" -d bench -c "CREATE EXTENSION pg_schemamig" >/dev/null
    "${PSQL[@]}" -d bench -1 -f "$W/gen/schemamig/revisions.sql" >/dev/null
}
settle() { "${PSQL[@]}" -d postgres -c CHECKPOINT >/dev/null; sync; }
timed() {  # timed CMD...: wall seconds of one run
    local t0 t1
    settle
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -A S
checks=
for r in $(seq 1 "$RUNS"); do
    echo "run $r/$RUNS"
    fresh; S[up]+="$(timed "${PSQL[@]}" -d bench -c "SET client_min_messages = warning" -c "SELECT count(*) FROM schemamig.upgrade('head')") "
           S[down]+="$(timed "${PSQL[@]}" -d bench -c "SET client_min_messages = warning" -c "SELECT count(*) FROM schemamig.downgrade('base')") "
    fresh; S[verify]+="$(timed "${PSQL[@]}" -d bench -At -o "$W/verify.out" -c "SET client_min_messages = warning" \
        -c "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE NOT ok) || ' failed' FROM schemamig.verify('heads')") "
    checks=$(tail -1 "$W/verify.out")
done
med() { tr ' ' '\n' <<<"${S[$1]}" | grep -v '^$' | median; }
updown=$(echo "$(med up) + $(med down)" | bc -l)
ratio=$(echo "scale=2; $(med verify) / $updown" | bc -l)
per_rev=$(echo "scale=2; $(med verify) * 1000 / $N" | bc -l)

{
    echo "# Verify benchmark"
    echo
    echo "Command: \`sudo PG_CONFIG=... test/bench/verify_bench.sh $N $RUNS\` ($(date -u +%F), $(nproc) cores shared with other work, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'))."
    echo "Workload: ../shared/peers/gen.py, N=$N (a table per revision, every third revision also an index and a column). Medians of $RUNS runs, wall time of the whole psql command, fresh database each run, CHECKPOINT before each timed command."
    echo
    echo "| command | median (s) | samples (s) |"
    echo "|---|---:|---|"
    echo "| upgrade('head') | $(med up) | ${S[up]} |"
    echo "| downgrade('base') | $(med down) | ${S[down]} |"
    echo "| verify('heads') from base | $(med verify) | ${S[verify]} |"
    echo
    echo "verify / (upgrade + downgrade) = **$ratio** ($per_rev ms per revision; its result: $checks)."
    echo
    echo "Per revision verify runs the upgrade twice and the downgrade once (3 runs of SQL against 2 for"
    echo "upgrade + downgrade) and describes the tracked schemas three times; the descriptions grow with"
    echo "the schema (here up to $N tables), which is most of the cost."
} | tee "$OUT"
