#!/bin/bash
# Benchmark (not a test) of the revision-graph engine (src/common) on
# 10,000 revisions: a linear history, two with hundreds of branch/merge
# pairs (333 and 454), and a linear one where every revision also has a
# dependency.  Reports server-side times of heads(), history() and
# plan('heads') from an empty version table, each the median of several
# runs measured with clock_timestamp() inside one session, and the first
# plan('heads') of that session (its statement cache still empty).
# Then a linear history of N_BIG (100,000) revisions: heads(), check()
# (callable by any role, so it must stay O(n log n)) and upgrade('head'),
# once each.
#
#   test/bench/graph_bench.sh               # throwaway cluster (run as root or postgres)
#   DATABASE_URL=postgres://... test/bench/graph_bench.sh
#
# Needs the extension installed (make install).  The revisions are inserted
# in bulk into schemamig.revision (registering 10,000 revisions one by one
# through add_revision would measure add_revision, not the reads).
set -eu
N=${N:-10000}
N_BIG=${N_BIG:-100000}
RUNS=${RUNS:-7}
BLOCK=${BLOCK:-30}      # branchy history: a branch point, two lines, a merge per block
BLOCK2=${BLOCK2:-22}    # the second branchy history: about 450 pairs

cleanup() { :; }
if [ -z "${DATABASE_URL:-}" ]; then
    PGBIN=$(pg_config --bindir)
    TMP=$(mktemp -d /tmp/sm_graph_bench.XXXXXX)
    as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    [ "$(id -u)" = 0 ] && chown postgres "$TMP"
    as_pg "$PGBIN/initdb" -D "$TMP/data" -A trust >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -o "-p 55499 -k $TMP -c listen_addresses=''" -l "$TMP/log" -w start >/dev/null
    cleanup() { as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m fast stop >/dev/null; rm -rf "$TMP"; }
    trap cleanup EXIT
    PSQL=(psql -X -q -At -h "$TMP" -p 55499 -U postgres -d postgres)
else
    PSQL=(psql -X -q -At "$DATABASE_URL")
fi

"${PSQL[@]}" -v ON_ERROR_STOP=1 <<SQL >/dev/null
DROP DATABASE IF EXISTS sm_graph_bench_linear;
DROP DATABASE IF EXISTS sm_graph_bench_branchy;
DROP DATABASE IF EXISTS sm_graph_bench_branchy450;
DROP DATABASE IF EXISTS sm_graph_bench_deps;
DROP DATABASE IF EXISTS sm_graph_bench_big;
CREATE DATABASE sm_graph_bench_big;
CREATE DATABASE sm_graph_bench_linear;
CREATE DATABASE sm_graph_bench_branchy;
CREATE DATABASE sm_graph_bench_branchy450;
CREATE DATABASE sm_graph_bench_deps;
SQL

load() {
    local db=$1 rows_sql=$2
    "${PSQL[@]}" -d "$db" -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE EXTENSION pg_schemamig;
INSERT INTO schemamig.revision (id, message, down_revisions, depends_on, upgrade_sql,
                                downgrade_sql, checksum, checksum_algorithm)
SELECT r.id, 'bench', r.down, r.deps, 'SELECT 1', 'SELECT 1',
       schemamig.checksum('SELECT 1', 'SELECT 1'), 'pgtok-sha256-v1'
  FROM ($rows_sql) AS r(n, id, down, deps)
 ORDER BY r.n;
SQL
}

# linear: r1 <- r2 <- ... <- rN
load sm_graph_bench_linear "
SELECT n, 'r' || n, CASE WHEN n = 1 THEN '{}'::text[] ELSE ARRAY['r' || (n - 1)] END, '{}'::text[]
  FROM generate_series(1, $N) AS n"

# branchy: per block of BLOCK revisions, a branch point b, two lines of
# (BLOCK - 2) / 2 revisions each, and a merge m of both lines
branchy() {
    local db=$1 blk=$2
    load "$db" "
WITH p AS (SELECT $blk AS blk, ($blk - 2) / 2 AS half)
SELECT b * p.blk + k,
       CASE WHEN k = 0 THEN 'b' || b
            WHEN k <= p.half THEN 'x' || b || '_' || k
            WHEN k <= 2 * p.half THEN 'y' || b || '_' || (k - p.half)
            ELSE 'm' || b END,
       CASE WHEN k = 0 THEN CASE WHEN b = 0 THEN '{}'::text[] ELSE ARRAY['m' || (b - 1)] END
            WHEN k = 1 THEN ARRAY['b' || b]
            WHEN k <= p.half THEN ARRAY['x' || b || '_' || (k - 1)]
            WHEN k = p.half + 1 THEN ARRAY['b' || b]
            WHEN k <= 2 * p.half THEN ARRAY['y' || b || '_' || (k - p.half - 1)]
            ELSE ARRAY['x' || b || '_' || p.half, 'y' || b || '_' || p.half] END,
       '{}'::text[]
  FROM p, generate_series(0, $N / $blk - 1) AS b, generate_series(0, 2 * p.half + 1) AS k"
}
branchy sm_graph_bench_branchy "$BLOCK"
branchy sm_graph_bench_branchy450 "$BLOCK2"

# linear, each revision also depending on the one five below it (every
# dependency survives normalization, so no step of the order is "plain")
load sm_graph_bench_deps "
SELECT n, 'r' || n, CASE WHEN n = 1 THEN '{}'::text[] ELSE ARRAY['r' || (n - 1)] END,
       CASE WHEN n > 5 THEN ARRAY['r' || (n - 5)] ELSE '{}'::text[] END
  FROM generate_series(1, $N) AS n"

measure() {
    local db=$1
    "${PSQL[@]}" -d "$db" -v ON_ERROR_STOP=1 <<SQL
CREATE FUNCTION pg_temp.bench(q text, runs int) RETURNS numeric LANGUAGE plpgsql AS \$\$
DECLARE t timestamptz; ms numeric[] := '{}'; i int; dummy bigint;
BEGIN
  FOR i IN 1 .. runs LOOP
    t := clock_timestamp();
    EXECUTE q INTO dummy;
    ms := ms || (EXTRACT(epoch FROM clock_timestamp() - t) * 1000)::numeric;
  END LOOP;
  RETURN (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY m)::numeric, 2) FROM unnest(ms) m);
END \$\$;
SELECT CASE WHEN pg_catalog.to_regprocedure('schemamig.plan(text)') IS NULL THEN 'n/a'
            ELSE pg_temp.bench('SELECT count(*) FROM schemamig.plan(''heads'')', 1)::text END AS first \\gset
SELECT '$db' || '|' || (SELECT count(*) FROM schemamig.revision)
    || '|' || (SELECT count(*) FROM schemamig.revision WHERE cardinality(down_revisions) > 1)
    || '|' || pg_temp.bench('SELECT count(*) FROM schemamig.heads()', $RUNS)
    || '|' || pg_temp.bench('SELECT count(*) FROM schemamig.history()', $RUNS)
    || '|' || CASE WHEN pg_catalog.to_regprocedure('schemamig.plan(text)') IS NULL THEN 'n/a (no plan())'
                   ELSE pg_temp.bench('SELECT count(*) FROM schemamig.plan(''heads'')', $RUNS)::text END
    || '|' || pg_temp.bench('SELECT count(*) FROM schemamig.check()', $RUNS)
    || '|' || :'first';
SQL
}

echo "history|revisions|merges|heads() ms|history() ms|plan('heads') ms (median of $RUNS)|check() ms|plan('heads') first call ms"
measure sm_graph_bench_linear
measure sm_graph_bench_branchy
measure sm_graph_bench_branchy450
measure sm_graph_bench_deps
"${PSQL[@]}" -c "DROP DATABASE sm_graph_bench_linear" -c "DROP DATABASE sm_graph_bench_branchy" \
    -c "DROP DATABASE sm_graph_bench_branchy450" -c "DROP DATABASE sm_graph_bench_deps" >/dev/null

# N_BIG linear revisions: one run each (check() used to be quadratic here)
load sm_graph_bench_big "
SELECT n, 'r' || n, CASE WHEN n = 1 THEN '{}'::text[] ELSE ARRAY['r' || (n - 1)] END, '{}'::text[]
  FROM generate_series(1, $N_BIG) AS n"
echo "linear $N_BIG|heads() ms|check() ms|upgrade('head') ms|check() after upgrade ms (one run each)"
"${PSQL[@]}" -d sm_graph_bench_big -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.once(q text) RETURNS numeric LANGUAGE plpgsql AS \$\$
DECLARE t timestamptz; dummy bigint;
BEGIN
  t := clock_timestamp();
  EXECUTE q INTO dummy;
  RETURN round((EXTRACT(epoch FROM clock_timestamp() - t) * 1000)::numeric, 2);
END \$\$;
SELECT 'linear $N_BIG'
    || '|' || pg_temp.once('SELECT count(*) FROM schemamig.heads()')
    || '|' || pg_temp.once('SELECT count(*) FROM schemamig.check()')
    || '|' || pg_temp.once('SELECT count(*) FROM schemamig.upgrade(''head'')')
    || '|' || pg_temp.once('SELECT count(*) FROM schemamig.check()');
SQL
"${PSQL[@]}" -c "DROP DATABASE sm_graph_bench_big" >/dev/null
