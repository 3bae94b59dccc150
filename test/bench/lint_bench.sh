#!/bin/bash
# Benchmark (not a test): schemamig.lint() against squawk on the same SQL.
#
#   test/bench/lint_bench.sh            # writes test/bench/results/lint.md
#
# 1. the snippet corpus test/lint/snippets/*.sql (class + ground truth in each
#    file's header) on the fixture test/lint/fixture.sql: true and false
#    positives per hazard class, for lint and for squawk;
# 2. the 1,000-revision workload of ../shared/peers/gen.py (raw/up.sql): end
#    to end time of lint through psql versus squawk's binary;
# 3. every SQL file of test/corpora/*/sql/: findings summary (no crash).
# squawk comes from npm (squawk-cli) into test/bench/node_modules, which is
# not committed.  The server is a throwaway cluster using the installed
# pg_schemamig: the script installs this tree with scripts/dev_check.sh, then
# holds the install lock for the whole run so nobody replaces it meanwhile.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SQUAWK=$ROOT/test/bench/node_modules/.bin/squawk
[ -x "$SQUAWK" ] || npm install --prefix test/bench squawk-cli >/dev/null
PGBIN=$(pg_config --bindir)
for try in 1 2 3 4 5; do
    scripts/dev_check.sh regress lint_basic >/dev/null || { echo "dev_check failed"; exit 1; }
    exec 9>/tmp/pg_schemamig_install.lock
    flock 9
    nm -D "$(pg_config --pkglibdir)/pg_schemamig.so" | grep -q schemamig_lint && break
    exec 9>&-       # another checkout installed in between: again
done
nm -D "$(pg_config --pkglibdir)/pg_schemamig.so" | grep -q schemamig_lint ||
    { echo "could not keep this tree's pg_schemamig installed"; exit 1; }

WORK=$(mktemp -d /tmp/lint_bench.XXXXXX)
chmod 755 "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
PORT=$((20000 + RANDOM % 10000))
as_pg "$PGBIN/initdb" -D "$WORK/data" --auth=trust -U postgres >/dev/null
cat >> "$WORK/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$WORK'
port = $PORT
schemamig.lock_timeout = '2s'
TimeZone = 'UTC'
CONF
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/log" -w start >/dev/null
trap 'as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null; rm -rf "$WORK"' EXIT
PSQL="$PGBIN/psql -X -q -At -h $WORK -p $PORT -U postgres -d postgres"
$PSQL -c 'CREATE EXTENSION pg_schemamig' >/dev/null
$PSQL -f test/lint/fixture.sql >/dev/null

python3 /work/shared/peers/gen.py -n 1000 -o "$WORK/wl" --url postgresql://x >/dev/null
mkdir -p test/bench/results
python3 test/bench/lint_compare.py --psql "$PSQL" --squawk "$SQUAWK" \
    --workload "$WORK/wl/raw/up.sql" --out test/bench/results/lint.md
echo "wrote test/bench/results/lint.md"
