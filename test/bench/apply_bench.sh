#!/bin/bash
# Apply benchmark (not a test): pg_schemamig against the floor, plain psql
# running the same DDL, on the peers' workload (../shared/peers/gen.py: a
# table per revision, every third revision also an index and a column on
# the previous table).
#
#   sudo test/bench/apply_bench.sh [N] [RUNS]       (defaults: 1000 revisions, 5 runs)
#
# Measures, alternating the compared commands, each on a fresh database
# (preparation untimed, CHECKPOINT before every timed command):
#   up:      psql -1 -f up.sql        vs  SELECT count(*) FROM schemamig.upgrade('head')
#   each:                                 CALL schemamig.upgrade_each('head')
#   down:    psql -1 -f down.sql      vs  SELECT count(*) FROM schemamig.downgrade('base')
#   no-op:   10,000 revisions of SELECT 1, upgrade('head') and downgrade('base'),
#            server-side time per revision, and the backend's peak memory (VmHWM).
# Writes test/bench/results/apply.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
N=${1:-1000}
RUNS=${2:-5}
NOOP_N=${NOOP_N:-10000}
PEERS=${PEERS:-$ROOT/../shared/peers}
PGBIN=$(pg_config --bindir)
OUT=$ROOT/test/bench/results/apply.md
[ -f "$PEERS/gen.py" ] || { echo "peers workload generator not found: $PEERS/gen.py (set PEERS=)"; exit 2; }

# measure this tree's build: install it and keep other checkouts from
# reinstalling the shared library while the benchmark runs
exec 9>"/tmp/pg_schemamig_install$("${PG_CONFIG:-pg_config}" --pkglibdir | tr / _).lock"
flock 9
scripts/build_install.sh >/dev/null

W=$(mktemp -d /tmp/sm_apply_bench.XXXXXX)
chown postgres "$W"
PORT=${BENCH_PORT:-55441}
runuser -u postgres -- "$PGBIN/initdb" -D "$W/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/data" -l "$W/server.log" -w 9>&- \
    -o "-c listen_addresses='' -c unix_socket_directories='$W' -p $PORT" start >/dev/null
trap 'runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/data" -m fast -w -t 30 stop >/dev/null || runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/data" -m immediate stop; cp "$W/server.log" /tmp/sm_apply_bench.server.log; rm -rf "$W"' EXIT
export PGHOST=$W PGPORT=$PORT PGUSER=postgres
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)

python3 "$PEERS/gen.py" -n "$N" -o "$W/gen" --url "postgresql://postgres@localhost/bench" >/dev/null

fresh() {  # fresh [with-extension]: a new empty database "bench"
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" >/dev/null
    if [ "${1:-}" = ext ]; then
        "${PSQL[@]}" -d bench -c "CREATE EXTENSION pg_schemamig" >/dev/null
        "${PSQL[@]}" -d bench -1 -f "$W/gen/schemamig/revisions.sql" >/dev/null
    fi
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
for r in $(seq 1 "$RUNS"); do
    echo "run $r/$RUNS"
    fresh;     S[floor_up]+="$(timed "${PSQL[@]}" -d bench -1 -f "$W/gen/raw/up.sql") "
               S[floor_down]+="$(timed "${PSQL[@]}" -d bench -1 -f "$W/gen/raw/down.sql") "
    fresh ext; S[sm_up]+="$(timed "${PSQL[@]}" -d bench -c "SET client_min_messages = warning" -c "SELECT count(*) FROM schemamig.upgrade('head')") "
               S[sm_down]+="$(timed "${PSQL[@]}" -d bench -c "SET client_min_messages = warning" -c "SELECT count(*) FROM schemamig.downgrade('base')") "
    fresh ext; S[sm_each]+="$(timed "${PSQL[@]}" -d bench -c "SET client_min_messages = warning" -c "CALL schemamig.upgrade_each('head')") "
done
med() { tr ' ' '\n' <<<"${S[$1]}" | grep -v '^$' | median; }
ratio() { echo "scale=3; $1 / $2" | bc -l; }

# no-op revisions: server-side cost per revision
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS noop" -c "CREATE DATABASE noop" >/dev/null
"${PSQL[@]}" -d noop -c "CREATE EXTENSION pg_schemamig" >/dev/null
"${PSQL[@]}" -d noop -c "SET client_min_messages = warning" -c "
  SELECT count(schemamig.add_revision('n' || i, 'noop ' || i, 'SELECT 1', 'SELECT 1',
         CASE WHEN i = 1 THEN '{}'::text[] ELSE ARRAY['n' || (i - 1)] END))
    FROM generate_series(1, $NOOP_N) i" >/dev/null
noop() {  # noop FUNCTION: server-side microseconds per revision, and the backend's VmHWM
    "${PSQL[@]}" -d noop -At <<SQL
SET client_min_messages = warning;
SELECT pg_catalog.clock_timestamp() AS t0 \gset
SELECT count(*) FROM schemamig.$1 \gset
SELECT round(extract(epoch FROM pg_catalog.clock_timestamp() - :'t0'::timestamptz) * 1e6 / $NOOP_N, 1)
       || ' ' || (SELECT regexp_replace(l, '\D', '', 'g') FROM regexp_split_to_table(pg_read_file('/proc/' || pg_backend_pid() || '/status'), E'\n') l WHERE l LIKE 'VmHWM%');
SQL
}
read -r up_us up_hwm <<<"$(noop "upgrade('head')")"
read -r down_us down_hwm <<<"$(noop "downgrade('base')")"

{
    echo "# Apply benchmark"
    echo
    echo "Command: \`sudo test/bench/apply_bench.sh $N $RUNS\` ($(date -u +%F), $(nproc) cores, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'))."
    echo "Workload: ../shared/peers/gen.py, N=$N. Medians of $RUNS alternating runs, wall time of the whole client command, fresh database each run, CHECKPOINT before each timed command."
    echo
    echo "| command | median (s) | samples (s) | ratio to floor |"
    echo "|---|---:|---|---:|"
    echo "| floor: psql -1 -f up.sql | $(med floor_up) | ${S[floor_up]} | 1.00 |"
    echo "| upgrade('head') | $(med sm_up) | ${S[sm_up]} | $(ratio "$(med sm_up)" "$(med floor_up)") |"
    echo "| CALL upgrade_each('head') | $(med sm_each) | ${S[sm_each]} | $(ratio "$(med sm_each)" "$(med floor_up)") |"
    echo "| floor: psql -1 -f down.sql | $(med floor_down) | ${S[floor_down]} | 1.00 |"
    echo "| downgrade('base') | $(med sm_down) | ${S[sm_down]} | $(ratio "$(med sm_down)" "$(med floor_down)") |"
    echo
    echo "No-op revisions ($NOOP_N x \`SELECT 1\`), server side, one call:"
    echo
    echo "| call | µs per revision | backend VmHWM (kB) |"
    echo "|---|---:|---:|"
    echo "| upgrade('head') | $up_us | $up_hwm |"
    echo "| downgrade('base') | $down_us | $down_hwm |"
    echo
    echo "Peers (alembic, sqitch, dbmate, node-pg-migrate) on the same workload: run \`../shared/peers/bench.sh $N\`; its report is in ../shared/peers/results/."
} | tee "$OUT"
