#!/bin/bash
# Drift benchmarks (not tests; timings never decide pass or fail).
#
#   sudo test/bench/drift_bench.sh [runs] [tables]      # defaults: 7 runs, 2000 tables
#
# (a) DDL overhead of the drift event triggers: creating and dropping N tables
#     (one autocommitted statement each, through psql) in a database with
#     pg_schemamig installed and in one without, alternating, RUNS times; the
#     median times and their ratio.  fsync and synchronous_commit are off so
#     that commit flushes do not hide the triggers' CPU cost.
# (b) fingerprint() of a schema of 1,000 tables x 20 columns (each with a
#     primary key, an index and a default): the median of 5 calls.
#
# Builds and installs this checkout under the machine-wide install lock and
# holds the lock while it runs (the installed library is shared), then runs a
# throwaway cluster as the postgres OS user.  Prints a Markdown report.
set -eu
cd "$(dirname "$0")/../.."
RUNS=${1:-7}
NTABLES=${2:-2000}
BIN=$(pg_config --bindir)

exec 9>"/tmp/pg_schemamig_install$("${PG_CONFIG:-pg_config}" --pkglibdir | tr / _).lock"
flock 9
make -s >/dev/null && make -s install >/dev/null

WORK=$(mktemp -d /tmp/drift_bench.XXXXXX)
chown postgres "$WORK"
as_pg() { runuser -u postgres -- "$@"; }
PORT=$((20000 + RANDOM % 10000))
export PGHOST=$WORK PGPORT=$PORT PGUSER=postgres
as_pg "$BIN/initdb" -D "$WORK/data" -A trust --no-locale -E UTF8 >/dev/null
# the server must not inherit the lock's descriptor, or it holds the lock
# for as long as it lives
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/log" -w start \
    -o "-p $PORT -k $WORK -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null 9>&-
trap 'as_pg "$BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT

psql_q() { as_pg psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_q -d postgres -c "CREATE DATABASE with_ext" -c "CREATE DATABASE without_ext"
psql_q -d with_ext -c "CREATE EXTENSION pg_schemamig"

SQL=$WORK/ddl.sql
for i in $(seq 1 "$NTABLES"); do echo "CREATE TABLE bench_$i (id integer, v text);"; done >"$SQL"
for i in $(seq 1 "$NTABLES"); do echo "DROP TABLE bench_$i;"; done >>"$SQL"
chown postgres "$SQL"

run() {
    local t0 t1
    t0=$(date +%s.%N)
    psql_q -d "$1" -f "$SQL"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# one warm-up run each
run with_ext >/dev/null
run without_ext >/dev/null
with_times=()
without_times=()
for r in $(seq 1 "$RUNS"); do
    without_times+=("$(run without_ext)")
    with_times+=("$(run with_ext)")
done
med_with=$(printf '%s\n' "${with_times[@]}" | median)
med_without=$(printf '%s\n' "${without_times[@]}" | median)
ratio=$(echo "$med_with / $med_without" | bc -l)
logged=$(as_pg psql -X -At -d with_ext -c "SELECT count(*) FROM schemamig.drift")

# (a2) the same work inside one session, alternating the event triggers on
# and off every 50 tables (less sensitive to the machine's other load)
ab=$(psql_q -d with_ext -At 2>&1 <<'SQL'
CREATE PROCEDURE pg_temp.ab(n int, rounds int) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ton float8 := 0; toff float8 := 0; enabled boolean;
BEGIN
  FOR r IN 1..rounds LOOP
    FOR mode IN 0..1 LOOP
      enabled := (mode + r) % 2 = 0;
      IF enabled THEN
        ALTER EVENT TRIGGER schemamig_drift_ddl ENABLE; ALTER EVENT TRIGGER schemamig_drift_drop ENABLE;
      ELSE
        ALTER EVENT TRIGGER schemamig_drift_ddl DISABLE; ALTER EVENT TRIGGER schemamig_drift_drop DISABLE;
      END IF;
      COMMIT;
      t0 := clock_timestamp();
      FOR i IN 1..n LOOP EXECUTE format('CREATE TABLE ab_%s (id integer, v text)', i); COMMIT; END LOOP;
      FOR i IN 1..n LOOP EXECUTE format('DROP TABLE ab_%s', i); COMMIT; END LOOP;
      IF enabled THEN ton := ton + extract(epoch FROM clock_timestamp() - t0);
      ELSE toff := toff + extract(epoch FROM clock_timestamp() - t0); END IF;
    END LOOP;
  END LOOP;
  ALTER EVENT TRIGGER schemamig_drift_ddl ENABLE; ALTER EVENT TRIGGER schemamig_drift_drop ENABLE;
  RAISE NOTICE 'ab % % %', round(ton::numeric, 3), round(toff::numeric, 3), round((ton / toff)::numeric, 3);
END $$;
CALL pg_temp.ab(50, 40);
SQL
)
ab=$(echo "$ab" | sed -n 's/.*NOTICE:  ab //p')

# (b) fingerprint of 1,000 tables x 20 columns
psql_q -d with_ext <<'SQL'
DO $$
BEGIN
  FOR i IN 1..1000 LOOP
    EXECUTE format('CREATE TABLE wide_%s (id bigint PRIMARY KEY, c1 text NOT NULL DEFAULT %L, c2 integer, c3 numeric(10,2), c4 timestamptz DEFAULT now(), c5 boolean, c6 varchar(40), c7 text, c8 integer, c9 bigint, c10 date, c11 text, c12 integer, c13 jsonb, c14 uuid, c15 text, c16 integer, c17 real, c18 text, c19 smallint)', i, 'x');
    EXECUTE format('CREATE INDEX wide_%s_c2 ON wide_%s (c2)', i, i);
  END LOOP;
END $$;
SQL
fp_ms=$(psql_q -d with_ext -At <<'SQL'
SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relname LIKE 'wide\_%' AND c.relkind = 'r' AND a.attnum > 0;
CREATE TEMP TABLE t (ms float8);
DO $$
DECLARE t0 timestamptz;
BEGIN
  FOR i IN 1..5 LOOP
    t0 := clock_timestamp();
    PERFORM schemamig.fingerprint();
    INSERT INTO t VALUES (extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
END $$;
SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) FROM t;
SELECT round(length(schemamig.describe()::text) / 1024.0 / 1024.0, 1);
SQL
)
ncols=$(echo "$fp_ms" | sed -n 1p)
fp_median=$(echo "$fp_ms" | sed -n 2p)
desc_mb=$(echo "$fp_ms" | sed -n 3p)

cat <<EOF2
## Drift benchmarks

Command: \`sudo test/bench/drift_bench.sh $RUNS $NTABLES\` ($(date -u +%Y-%m-%d), PostgreSQL $(pg_config --version | awk '{print $2}'), $(nproc) CPUs, fsync=off, synchronous_commit=off)

### (a) CREATE TABLE + DROP TABLE of $NTABLES tables, one autocommitted statement each

| run | without extension (s) | with extension (s) |
|---|---|---|
$(for i in $(seq 0 $((RUNS - 1))); do printf '| %d | %.3f | %.3f |\n' $((i + 1)) "${without_times[$i]}" "${with_times[$i]}"; done)

Median without: $(printf '%.3f' "$med_without") s; median with: $(printf '%.3f' "$med_with") s; **ratio $(printf '%.3f' "$ratio")** (bound: 1.10).
Drift rows logged in the database with the extension: $logged.

### (a2) the same in one session, triggers switched on and off every 50 tables

\`CALL ab(50, 40)\` in the script: 40 rounds of creating and dropping 50 tables (one transaction each)
with the event triggers enabled and disabled, alternating. Total with: $(echo "$ab" | cut -d' ' -f1) s;
without: $(echo "$ab" | cut -d' ' -f2) s; **ratio $(echo "$ab" | cut -d' ' -f3)**.

### (b) fingerprint() of 1,000 tables x 20 columns

$ncols columns in 1,000 tables (each with a primary key, one more index and two defaults).
Median of 5 calls of \`schemamig.fingerprint()\`: **$fp_median ms** (bound: 1,000 ms); the description is $desc_mb MB of jsonb text.
EOF2
