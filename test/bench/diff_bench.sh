#!/bin/bash
# Benchmark of schemamig.diff() (not a test): a 1,000-table x 20-column
# schema (1,000 foreign keys, 2,000 indexes, enums, views, functions)
# against a desired version with 100 changed, 10 dropped and 10 added
# tables (diff_gen.py).  Reports, in the same run, the median of RUNS:
#   floor  - the desired DDL merely executed in a rolled-back subtransaction
#            (the live schema renamed aside first, as diff does), in-server,
#            its rollback included (diff pays for its own);
#   diff   - SELECT count(*) FROM schemamig.diff(desired), in-server;
#   alembic- Alembic 1.8 compare_metadata on the same pair (/usr/bin/python3).
# The floor and diff each start from vacuumed catalogs (see time.sql below).
# Run as root with PG_CONFIG naming the installation that has pg_schemamig:
#   PG_CONFIG=... test/bench/diff_bench.sh   (RUNS=3 PORT=5491 by default)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
BIN=$("$PG_CONFIG" --bindir)
RUNS=${RUNS:-3}
PORT=${PORT:-5491}
WORK=$(mktemp -d /tmp/diff_bench.XXXXXX)
chown postgres "$WORK"
as_pg() { runuser -u postgres -- "$@"; }
cleanup() { as_pg "$BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

as_pg "$BIN/initdb" -D "$WORK/data" -A trust --no-locale -E UTF8 >/dev/null
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/log" -w \
    -o "-p $PORT -k $WORK -c listen_addresses='' -c max_locks_per_transaction=1024 -c shared_buffers=256MB -c fsync=off" start >/dev/null
PSQL() { as_pg "$BIN/psql" -h "$WORK" -p "$PORT" -X -q -v ON_ERROR_STOP=1 "$@"; }

/usr/bin/python3 "$HERE/diff_gen.py" "$WORK"
chmod 644 "$WORK"/*.sql
PSQL -d postgres -c 'CREATE DATABASE live' -c 'CREATE DATABASE desired'
PSQL -d live -c 'CREATE EXTENSION pg_schemamig' -f "$WORK/live.sql" >/dev/null
PSQL -d desired -f "$WORK/desired.sql" >/dev/null
PSQL -d live -c 'VACUUM ANALYZE' >/dev/null

cat > "$WORK/time.sql" <<'SQL'
\set ddl `cat DESIRED`
CREATE FUNCTION pg_temp.floor(ddl text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); t float8;
BEGIN
  BEGIN
    ALTER SCHEMA public RENAME TO floor_aside;
    CREATE SCHEMA public;
    EXECUTE ddl;
    RAISE EXCEPTION 'rollback';
  EXCEPTION WHEN raise_exception THEN
  END;
  -- the rollback is part of the floor, as it is part of diff
  t := extract(epoch FROM clock_timestamp() - t0);
  RETURN t;
END $$;
CREATE FUNCTION pg_temp.diff(ddl text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); n int;
BEGIN
  SELECT count(*) INTO n FROM schemamig.diff(ddl);
  RETURN extract(epoch FROM clock_timestamp() - t0) || ' ' || n;
END $$;
VACUUM_CATALOGS
SELECT 'floor ' || pg_temp.floor(:'ddl');
VACUUM_CATALOGS
SELECT 'diff ' || pg_temp.diff(:'ddl');
SQL
# Each measurement starts from vacuumed catalogs (not timed): a rolled-back
# shadow leaves ~40,000 dead catalog rows behind, which the next catalog
# read would otherwise wade through (diff's read of the live schema right
# after the floor's shadow, each run after the ones before).
vac="VACUUM"
for c in pg_class pg_attribute pg_type pg_depend pg_index pg_constraint pg_attrdef \
         pg_namespace pg_description pg_sequence pg_inherits pg_proc pg_rewrite pg_trigger pg_shdepend; do
    vac="$vac pg_catalog.$c,"
done
sed -i "s|^VACUUM_CATALOGS\$|${vac%,};|" "$WORK/time.sql"
sed -i "s|DESIRED|$WORK/desired.sql|" "$WORK/time.sql"
chmod 644 "$WORK/time.sql"

floors=(); diffs=(); alembics=(); steps=0; adiffs=0
for i in $(seq 1 "$RUNS"); do
    out=$(PSQL -d live -At -f "$WORK/time.sql")
    floors+=("$(echo "$out" | awk '/^floor/ {print $2}')")
    diffs+=("$(echo "$out" | awk '/^diff/ {print $2}')")
    steps=$(echo "$out" | awk '/^diff/ {print $3}')
    a=$(as_pg /usr/bin/python3 "$HERE/diff_alembic.py" \
        "postgresql://postgres@/live?host=$WORK&port=$PORT" "postgresql://postgres@/desired?host=$WORK&port=$PORT")
    alembics+=("${a% *}"); adiffs=${a#* }
    echo "run $i: floor ${floors[-1]} s, diff ${diffs[-1]} s ($steps steps), alembic ${alembics[-1]} s ($adiffs differences)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
f=$(median "${floors[@]}"); d=$(median "${diffs[@]}"); a=$(median "${alembics[@]}")
echo "median of $RUNS: floor $f s, diff $d s, alembic compare_metadata $a s"
awk -v f="$f" -v d="$d" -v a="$a" 'BEGIN { printf "diff / floor = %.2fx, diff / alembic = %.2fx\n", d / f, d / a }'
# the ratio of each run too (floor and diff ran back to back in one backend)
ratios=(); for i in "${!floors[@]}"; do ratios+=("$(awk -v f="${floors[$i]}" -v d="${diffs[$i]}" 'BEGIN { printf "%.3f", d / f }')"); done
echo "diff / floor per run: ${ratios[*]}; their median $(median "${ratios[@]}")x"
