#!/bin/bash
# Lock-queue and backfill benchmark (not a test): what a migration does to
# the application's latency.
#
#   sudo test/bench/lockqueue_bench.sh            (PG_CONFIG= selects the installation)
#
# The application is pgbench with a custom script: primary-key reads and
# writes on a 100,000-row table, 8 clients at a fixed rate (RATE, default
# 400 transactions/s), every transaction's latency logged.
#
#   lock queue: 2 s into the run a report holds ACCESS SHARE on the table for
#   6 s; 0.5 s after it started, a migration adds a column:
#     plain ALTER TABLE (what a migration tool runs by default),
#     SELECT * FROM schemamig.upgrade('head')      with pg_schemamig's defaults,
#     CALL schemamig.upgrade_each('head')          with the defaults,
#     pg_schemamig upgrade                          (the client) with the defaults,
#     schemamig.upgrade('head') with schemamig.lock_timeout = 0 (the old default).
#   backfill: the same load on a 1,000,000-row table while every row is
#   updated: one big UPDATE, against CALL schemamig.backfill(..., 10000).
#
# Reports the application's worst and 99th-percentile latency, the
# migration's duration, and how many transactions ran.  Writes
# test/bench/results/safety.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
RATE=${RATE:-400}
OUT=$ROOT/test/bench/results/safety.md

# measure this tree's build: install it, keeping other checkouts from
# reinstalling the shared library meanwhile
LOCKNAME=$("$PG_CONFIG" --pkglibdir | tr / _)
exec 9>"/tmp/pg_schemamig_install$LOCKNAME.lock"
flock 9
PG_CONFIG=$PG_CONFIG scripts/build_install.sh >/dev/null

W=$(mktemp -d /tmp/sm_lockqueue_bench.XXXXXX)
chown postgres "$W"
PORT=${BENCH_PORT:-55471}
runuser -u postgres -- "$PGBIN/initdb" -D "$W/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/data" -l "$W/server.log" -w 9>&- \
    -o "-c listen_addresses='' -c unix_socket_directories='$W' -p $PORT -c max_connections=50" start >/dev/null
trap 'runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/data" -m fast -w -t 30 stop >/dev/null || true; rm -rf "$W"' EXIT
export PGHOST=$W PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)

"${PSQL[@]}" -c "CREATE EXTENSION pg_schemamig" \
    -c "CREATE TABLE app (id int PRIMARY KEY, v int NOT NULL DEFAULT 0, pad text)" \
    -c "INSERT INTO app SELECT g, 0, repeat('x', 40) FROM generate_series(1, 100000) g" \
    -c "CREATE TABLE big (id bigint PRIMARY KEY, v int NOT NULL DEFAULT 0, bf int NOT NULL DEFAULT 0, pad text)" \
    -c "INSERT INTO big (id, pad) SELECT g, repeat('x', 40) FROM generate_series(1, 1000000) g" \
    -c "CREATE TABLE side (id int PRIMARY KEY)" \
    -c "VACUUM ANALYZE"
cat > "$W/app.sql" <<'EOS'
\set id random(1, 100000)
SELECT v FROM app WHERE id = :id;
UPDATE app SET v = v + 1 WHERE id = :id;
EOS
cat > "$W/big.sql" <<'EOS'
\set id random(1, 1000000)
SELECT v FROM big WHERE id = :id;
UPDATE big SET v = v + 1 WHERE id = :id;
EOS
chmod 644 "$W"/*.sql

# run_load NAME SCRIPT SECONDS: pgbench in the background, per-transaction log
run_load() {
    "$PGBIN/pgbench" -n -c 8 -j 2 -R "$RATE" -T "$3" -f "$2" -l --log-prefix="$W/log_$1" >"$W/pgbench_$1.out" 2>&1 &
    LOAD_PID=$!
}
# latency NAME: "worst_ms p99_ms transactions worst_with_lag_ms" from the
# pgbench logs.  With a fixed rate (-R) pgbench logs each transaction's time
# from its scheduled start ($3) and the schedule lag ($7): $3 - $7 is the time
# the query itself took (what a lock wait adds to), $3 also counts the time
# it was overdue because earlier transactions of its client were slow.
latency() {
    local with_lag
    with_lag=$(cat "$W"/log_"$1".* | awk 'BEGIN {m = 0} $3 > m {m = $3} END {printf "%.0f", m / 1000}')
    cat "$W"/log_"$1".* | awk '{print $3 - $7}' | sort -n | awk -v lag="$with_lag" '
        {a[NR]=$1} END {if (NR == 0) {print "0 0 0 0"; exit}
                        i = int(NR * 0.99); if (i < 1) i = 1;
                        printf "%.0f %.0f %d %s\n", a[NR]/1000, a[i]/1000, NR, lag}'
}
now() { date +%s.%N; }

declare -A R
# lockqueue NAME CMD...: the lock-queue scenario with migration CMD
lockqueue() {
    local name=$1; shift
    run_load "$name" "$W/app.sql" 12
    sleep 2
    "${PSQL[@]}" -c "BEGIN" -c "SELECT count(*) FROM app" -c "SELECT pg_sleep(6)" -c "COMMIT" >/dev/null &
    local reader=$!
    sleep 0.5
    local t0 t1 rc=0
    t0=$(now)
    PGAPPNAME=bench_migrator "$@" >"$W/mig_$name.out" 2>&1 || rc=$?
    t1=$(now)
    wait "$reader"
    wait "$LOAD_PID" || true
    R[$name]="$(latency "$name") $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f') $rc"
    echo "$name: worst/p99 ms, transactions, migration s, exit: ${R[$name]}"
}

n=0
rev() {  # rev: registers the next add-column revision, echoes nothing
    n=$((n + 1))
    "${PSQL[@]}" -c "SELECT schemamig.add_revision('c$n', 'add c$n', 'ALTER TABLE app ADD COLUMN c$n text', 'ALTER TABLE app DROP COLUMN c$n', $( [ $n = 1 ] && echo "'{}'" || echo NULL))" >/dev/null
}

lockqueue plain "${PSQL[@]}" -c "ALTER TABLE app ADD COLUMN plain_col text"
rev; lockqueue upgrade "${PSQL[@]}" -c "SELECT * FROM schemamig.upgrade('head')"
rev; lockqueue upgrade_each "${PSQL[@]}" -c "CALL schemamig.upgrade_each('head')"
mkdir -p "$W/migrations"   # the client's folder: c1, c2 as registered, and c3
for i in 1 2 3; do
    printf -- '-- revision: c%s\n-- down_revision: %s\n-- message: add c%s\n-- +upgrade\nALTER TABLE app ADD COLUMN c%s text\n-- +downgrade\nALTER TABLE app DROP COLUMN c%s\n' \
        "$i" "$( [ "$i" = 1 ] || echo "c$((i - 1))")" "$i" "$i" "$i" > "$W/migrations/c$i.sql"
done
n=3
lockqueue client "$PGBIN/pg_schemamig" -D "$W/migrations" upgrade
rev; lockqueue no_timeout "${PSQL[@]}" -c "SET schemamig.lock_timeout = 0" -c "SELECT * FROM schemamig.upgrade('head')"

# backfill NAME CMD...: 1,000,000 rows updated under load
backfill() {
    local name=$1; shift
    # the load outlasts the migration and ends by itself: a killed pgbench
    # loses the transactions still waiting, and its buffered log
    run_load "$name" "$W/big.sql" 50
    sleep 2
    local t0 t1 rc=0
    t0=$(now)
    "$@" >"$W/mig_$name.out" 2>&1 || rc=$?
    t1=$(now)
    wait "$LOAD_PID" || true
    R[$name]="$(latency "$name") $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f') $rc"
    echo "$name: worst/p99 ms, transactions, migration s, exit: ${R[$name]}"
}
backfill big_update "${PSQL[@]}" -c "UPDATE big SET bf = bf + 1"
backfill batched "${PSQL[@]}" -c "SET client_min_messages = warning" \
    -c "CALL schemamig.backfill('big', 'bf = bf + 1', NULL, 10000)"
ONCE=$("${PSQL[@]}" -At -c "SELECT count(*) FILTER (WHERE bf = 2) || ' of ' || count(*) FROM big")

row() {  # row LABEL NAME
    read -r worst p99 tx lag secs rc <<<"${R[$2]}"
    echo "| $1 | $worst | $p99 | $lag | $tx | $secs | $( [ "$rc" = 0 ] && echo ok || echo "failed ($rc)") |"
}
{
    echo "# Safety benchmark: the application's latency during migrations"
    echo
    echo "Produced by \`sudo test/bench/lockqueue_bench.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores shared with other work;"
    echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}')). The application: pgbench, 8 clients at $RATE"
    echo "transactions/s, each a primary-key read and a primary-key write."
    echo
    echo "## Lock queue: a migration adds a column while a report holds ACCESS SHARE for 6 s"
    echo
    echo "100,000-row table. The migration starts 0.5 s into the report. Latencies in ms: \"worst\" and"
    echo "\"p99\" are each transaction's own time (what waiting for a lock adds to); pgbench runs at a fixed"
    echo "rate, so a stalled client falls behind its schedule, and \"incl. schedule lag\" also counts the"
    echo "time a transaction was overdue when it started."
    echo
    echo "| migration | worst | p99 | worst incl. schedule lag | transactions | migration (s) | result |"
    echo "|---|---|---|---|---|---|---|"
    row "plain \`ALTER TABLE\` (no lock_timeout)" plain
    row "\`schemamig.upgrade('head')\`, defaults" upgrade
    row "\`CALL schemamig.upgrade_each('head')\`, defaults" upgrade_each
    row "\`pg_schemamig upgrade\`, defaults" client
    row "\`schemamig.upgrade('head')\` with \`schemamig.lock_timeout = 0\`" no_timeout
    echo
    echo "With the defaults (\`schemamig.lock_timeout = 500ms\`, \`schemamig.lock_retries = 10\`) the"
    echo "migration leaves the queue after 500 ms, waits 200 ms, 400 ms, 800 ms, ... and adds the column"
    echo "once the report is done; the application never queues behind it for longer than one attempt."
    echo
    echo "## Backfill: every row of a 1,000,000-row table updated under the same load"
    echo
    echo "| backfill | worst | p99 | worst incl. schedule lag | transactions | duration (s) | result |"
    echo "|---|---|---|---|---|---|---|"
    row "one \`UPDATE big SET bf = bf + 1\`" big_update
    row "\`CALL schemamig.backfill('big', 'bf = bf + 1', NULL, 10000)\`" batched
    echo
    echo "After both, $ONCE rows hold bf = 2 (each updated once by each method)."
    echo "The single UPDATE locks every row it has touched until it commits, so each application write"
    echo "to one of them waits for the whole statement; a batch holds at most 10,000 row locks, for the"
    echo "duration of one batch."
} > "$OUT"
echo "wrote $OUT"
