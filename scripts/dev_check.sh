#!/bin/bash
# Developer loop: build, install and run selected tests, serialised with every
# other checkout on this machine by a lock (the installed library is shared).
#
#   scripts/dev_check.sh regress graph_basic apply_basic   # pg_regress files (sql/NAME.sql)
#   scripts/dev_check.sh isolation concurrent_upgrade      # test/isolation/specs/NAME.spec
#   scripts/dev_check.sh tap test/t/020_crash.pl            # TAP files
#
# Results stay in the printed work directory (regression.diffs, logs).
set -u
cd "$(dirname "$0")/.."
SRC=$(pwd)
suite=${1:?suite: regress, isolation or tap}
shift
exec 9>"/tmp/pg_schemamig_install$("${PG_CONFIG:-pg_config}" --pkglibdir | tr / _).lock"
flock 9
make -s WERROR=1 >/dev/null && make -s install >/dev/null || { echo "build failed"; make WERROR=1 2>&1 | grep -E 'error|warning' | head; exit 1; }
WORK=$(mktemp -d /tmp/pg_schemamig_dev.XXXXXX)
cp -a "$SRC"/. "$WORK"/ 2>/dev/null
rm -rf "$WORK"/.git
# data from other projects is read in place from ../shared beside the
# checkout (never copied here); a worktree one level deeper finds ../../shared
if [ -z "${SHARED_DIR:-}" ]; then
    for d in "$SRC/../shared" "$SRC/../../shared"; do
        [ -d "$d/corpora" ] && { SHARED_DIR=$(cd "$d" && pwd); break; }
    done
fi
export SHARED_DIR=${SHARED_DIR:-$(cd "$SRC/.." && pwd)/shared}
chown -R postgres "$WORK"
case $suite in
    regress)   runuser -u postgres -- env SHARED_DIR="$SHARED_DIR" make 9>&- -C "$WORK" check-regress ${1:+REGRESS="$*"} ;;
    isolation) runuser -u postgres -- env SHARED_DIR="$SHARED_DIR" make 9>&- -C "$WORK" check-isolation ${1:+ISOLATION="$*"} ;;
    tap)       runuser -u postgres -- env SHARED_DIR="$SHARED_DIR" make 9>&- -C "$WORK" check-tap PROVE_FLAGS=--verbose ${1:+PROVE_TESTS="$*"} ;;
    *) echo "unknown suite $suite"; exit 2 ;;
esac
rc=$?
[ $rc -ne 0 ] && { cat "$WORK"/regression.diffs "$WORK"/output_iso/regression.diffs 2>/dev/null | head -150; }
echo "work dir: $WORK (rc=$rc)"
exit $rc
