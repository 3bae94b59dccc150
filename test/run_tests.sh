#!/bin/bash
# Runs every pg_schemamig test suite and ends with one line "N passed, N failed".
#
#   sudo test/run_tests.sh
#
# PG_CONFIG may name another PostgreSQL 15 installation (a private copy, so
# that several checkouts can test at once); the default is pg_config on PATH.
#
# Installs the Debian packages it needs, builds and installs the extension and
# client, then runs, as the postgres OS user (initdb refuses root), in a
# postgres-owned copy of the tree: pg_regress (sql/), isolation specs
# (test/isolation) and TAP tests (test/t: crashes, restarts, pg_dump, corpora,
# CLI).  Every suite starts and stops its own throwaway server.
set -u
cd "$(dirname "$0")/.."
SRC=$(pwd)

scripts/install_deps.sh || { echo "0 passed, 1 failed"; exit 1; }
export PG_CONFIG=${PG_CONFIG:-pg_config}
# the installed library is shared by every checkout using that installation
LOCKNAME=$("$PG_CONFIG" --pkglibdir | tr / _)
exec 9>"/tmp/pg_schemamig_install$LOCKNAME.lock"
flock 9
if ! scripts/build_install.sh; then
    echo "build failed"
    echo "0 passed, 1 failed"
    exit 1
fi

# data from other projects is read in place from ../shared beside the
# checkout (never copied here); a worktree one level deeper finds ../../shared
if [ -z "${SHARED_DIR:-}" ]; then
    for d in "$SRC/../shared" "$SRC/../../shared"; do
        [ -d "$d/corpora" ] && { SHARED_DIR=$(cd "$d" && pwd); break; }
    done
fi
export SHARED_DIR=${SHARED_DIR:-$(cd "$SRC/.." && pwd)/shared}

WORK=$(mktemp -d /tmp/pg_schemamig_test.XXXXXX)
cp -a "$SRC"/. "$WORK"/
rm -rf "$WORK"/.git
chown -R postgres "$WORK"
LOGDIR=$WORK/logs
runuser -u postgres -- mkdir -p "$LOGDIR"

as_pg() { runuser -u postgres -- env PG_CONFIG="$PG_CONFIG" SHARED_DIR="$SHARED_DIR" "$@" 9>&-; }

passed=0
failed=0

# the control file owns the version; META.json (semver) and the library agree
control=$(sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$SRC/pg_schemamig.control")
meta=$(grep -m1 '"version"' "$SRC/META.json" | sed 's/.*"version"[^"]*"\([^"]*\)".*/\1/')
if [ "$meta" = "$control" ] || [ "$meta" = "$control.0" ]; then
    echo "version: control $control, META.json $meta: ok"
    passed=$((passed + 1))
else
    echo "version: control $control, META.json $meta: MISMATCH"
    failed=$((failed + 1))
fi

# pg_regress and isolation: one line per test, "... ok" or "... FAILED"
count_regress() {
    local log=$1 p f
    p=$(grep -cE '\.\.\. ok|^ok [0-9]+ ' "$log" || true)
    f=$(grep -cE '\.\.\. FAILED|^not ok [0-9]+ ' "$log" || true)
    echo "$2: $p passed, $f failed"
    passed=$((passed + p)); failed=$((failed + f))
}

echo "== pg_regress"
as_pg make -C "$WORK" check-regress >"$LOGDIR/regress.log" 2>&1
rc=$?
count_regress "$LOGDIR/regress.log" regress
if [ $rc -ne 0 ]; then
    cat "$WORK"/regression.diffs 2>/dev/null | head -200
    grep -q 'FAILED' "$LOGDIR/regress.log" || failed=$((failed + 1))
fi

if ls "$WORK"/test/isolation/specs/*.spec >/dev/null 2>&1; then
    echo "== isolation"
    as_pg make -C "$WORK" check-isolation >"$LOGDIR/isolation.log" 2>&1
    rc=$?
    count_regress "$LOGDIR/isolation.log" isolation
    if [ $rc -ne 0 ]; then
        cat "$WORK"/output_iso/regression.diffs 2>/dev/null | head -200
        grep -q 'FAILED' "$LOGDIR/isolation.log" || failed=$((failed + 1))
    fi
fi

if ls "$WORK"/test/t/*.pl >/dev/null 2>&1; then
    echo "== TAP"
    as_pg make -C "$WORK" check-tap PROVE_FLAGS=--verbose >"$LOGDIR/tap.log" 2>&1
    rc=$?
    p=$(grep -cE '^ok [0-9]+' "$LOGDIR/tap.log" || true)
    f=$(grep -cE '^not ok [0-9]+' "$LOGDIR/tap.log" || true)
    # a script that dies without reporting a failure still fails
    d=$(grep -cE 'Dubious|No plan found|Bad plan' "$LOGDIR/tap.log" || true)
    f=$((f + d))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    echo "TAP: $p passed, $f failed"
    grep -E '^not ok|Dubious|Failed|^# +(got|expected|Failed test)' "$LOGDIR/tap.log" | head -100
    passed=$((passed + p)); failed=$((failed + f))
fi

# the optional Citus suite: a coordinator and two workers, where Citus is installed
if [ -e "$("$PG_CONFIG" --pkglibdir)/citus.so" ]; then
    echo "== Citus"
    as_pg make -C "$WORK" check-citus PROVE_FLAGS=--verbose >"$LOGDIR/citus.log" 2>&1
    rc=$?
    p=$(grep -cE '^ok [0-9]+' "$LOGDIR/citus.log" || true)
    f=$(grep -cE '^not ok [0-9]+' "$LOGDIR/citus.log" || true)
    d=$(grep -cE 'Dubious|No plan found|Bad plan' "$LOGDIR/citus.log" || true)
    f=$((f + d))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    echo "Citus: $p passed, $f failed"
    grep -E '^not ok|Dubious|^# +(got|expected|Failed test)' "$LOGDIR/citus.log" | head -50
    passed=$((passed + p)); failed=$((failed + f))
else
    echo "== Citus: skipped (citus.so is not installed in $("$PG_CONFIG" --pkglibdir))"
fi

echo "logs: $LOGDIR"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
