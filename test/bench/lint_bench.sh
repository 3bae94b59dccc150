#!/bin/bash
# Benchmark (not a test): schemamig.lint() against squawk on the same SQL.
#
#   test/bench/lint_bench.sh            # writes test/bench/results/lint.md
#
# 1. the snippet corpus test/lint/snippets/*.sql (class + ground truth in each
#    file's header) on the fixture test/lint/fixture.sql: true and false
#    positives per hazard class, for lint and for squawk;
# 2. the 1,000-revision workload of ../shared/peers/gen.py (raw/up.sql):
#    end to end time of lint through psql versus squawk's binary;
# 3. upgrade() of 1000 no-op revisions with schemamig.lint_on_upgrade
#    off / warning / error (when the build has upgrade());
# 4. every SQL file of ../shared/corpora/*/sql/: findings summary (no crash).
# squawk comes from npm (squawk-cli) into test/bench/node_modules, which is
# not committed.  The measurement runs as test/bench/lint_bench.pl through
# scripts/dev_check.sh, which installs this tree and holds the install lock
# for the whole run.
set -eu
cd "$(dirname "$0")/../.."
[ -x test/bench/node_modules/.bin/squawk ] || npm install --prefix test/bench squawk-cli >/dev/null
OUT=/tmp/lint_bench_out
rm -rf "$OUT"; mkdir -p "$OUT"; chmod 777 "$OUT"
scripts/dev_check.sh tap test/bench/lint_bench.pl | grep -E '^(ok|not ok|Result)'
mkdir -p test/bench/results
cp "$OUT/lint.md" test/bench/results/lint.md
echo "wrote test/bench/results/lint.md"
