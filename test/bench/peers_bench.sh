#!/bin/bash
# The peers' harness (../shared/peers/bench.sh) with its pg_schemamig hook
# filled in: pg_schemamig timed beside alembic, sqitch, dbmate and
# node-pg-migrate on the same workload, in the same run.  A benchmark, not a
# test.  The harness is copied to a scratch folder and patched there; the
# shared copy is left alone.
#
#   sudo test/bench/peers_bench.sh [N]        (default 1000; RUNS, SCALE_N, PEERS_PORT as in the harness)
#
# Run ../shared/peers/setup.sh once first (it installs the peer tools).
# The installed extension is this tree's build, kept installed for the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PEERS=${PEERS:-${SHARED_DIR:-$ROOT/../shared}/peers}
[ -f "$PEERS/bench.sh" ] || { echo "peers harness not found: $PEERS (set PEERS=)"; exit 2; }
W=$(mktemp -d /tmp/sm_peers.XXXXXX)
cp -a "$PEERS"/. "$W"/
python3 - "$W/bench.sh" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
old = '''prep_schemamig() { return 0; }
cmd_schemamig() {
  CWD=$W/schemamig
  return 3   # not implemented yet: pg_schemamig does not exist
}'''
new = '''prep_schemamig() {
  "${PSQL[@]}" -d $DB -c "CREATE EXTENSION pg_schemamig" >/dev/null &&
  "${PSQL[@]}" -d $DB -1 -f "$W/schemamig/revisions.sql" >/dev/null
}
cmd_schemamig() {
  CWD=$W/schemamig
  case $1 in
    up)     CMD=("${PSQL[@]}" -d $DB -c "SET client_min_messages = warning" -c "SELECT count(*) FROM schemamig.upgrade('head')") ;;
    down)   CMD=("${PSQL[@]}" -d $DB -c "SET client_min_messages = warning" -c "SELECT count(*) FROM schemamig.downgrade('base')") ;;
    status) CMD=("${PSQL[@]}" -d $DB -c "SELECT * FROM schemamig.current()") ;;
  esac
}'''
if old not in s:
    sys.exit("the harness's pg_schemamig hook has changed; update this script")
open(p, 'w').write(s.replace(old, new))
PY
exec 9>"/tmp/pg_schemamig_install$("${PG_CONFIG:-pg_config}" --pkglibdir | tr / _).lock"
flock 9
scripts/build_install.sh >/dev/null
cd "$W"
PEERS_PORT=${PEERS_PORT:-55490} ./bench.sh "${1:-1000}" 9>&-
echo "report: $(ls -d "$W"/results/*/ | tail -1)report.md"
