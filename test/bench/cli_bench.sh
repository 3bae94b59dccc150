#!/bin/bash
# Benchmark (not a test) of the pg_schemamig client on the peers' workload:
# N revisions (default 1000) written by ../shared/peers/gen.py, turned
# into migration files, applied from a cold process on an empty database.
#
#   sudo test/bench/cli_bench.sh [N] [RUNS]        (defaults 1000 and 5)
#
# Measured, alternating the two commands of each pair (odd runs start with
# the floor, even runs with pg_schemamig), each step after an untimed
# CHECKPOINT + sync, wall-clock medians of RUNS:
#   up:      psql -X -q -1 -f up.sql          vs  pg_schemamig upgrade head
#            (the client run includes reading and registering the N files)
#   down:    psql -X -q -1 -f down.sql        vs  pg_schemamig downgrade base
#   status:  pg_schemamig current / heads on the migrated database
#            (cold process, files read and checked against the catalog),
#            next to psql -X -c 'SELECT 1' (a cold connection and one query)
# plus, for the record, sync alone and upgrade --no-sync after a sync.
#
# A throwaway cluster (initdb as postgres, TCP 127.0.0.1, fsync on) is
# started and stopped by the script.  The report goes to stdout and to
# test/bench/results/cli.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$(pwd)
N=${1:-1000}
RUNS=${2:-5}
PORT=${CLI_BENCH_PORT:-55493}
PEERS=${PEERS_DIR:-${SHARED_DIR:-$SRC/../shared}/peers}
PGBIN=$(pg_config --bindir)
CLIENT=$(command -v pg_schemamig || echo "$PGBIN/pg_schemamig")
OUT=$SRC/test/bench/results/cli.md

[ "$(id -u)" -eq 0 ] || { echo "run as root (initdb runs as postgres)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/cli_bench.XXXXXX)
chown postgres "$WORK"
as_pg() { runuser -u postgres -- "$@"; }

cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
    -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres
unset DATABASE_URL
PSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1"

# the workload, and its revisions as migration files
python3 "$PEERS/gen.py" -n "$N" -o "$WORK/gen" --url postgresql://x >/dev/null
mkdir -p "$WORK/proj/migrations"
python3 - "$WORK/gen/schemamig/revisions.sql" "$WORK/proj/migrations" <<'PY'
import re, sys
src, out = sys.argv[1], sys.argv[2]
pat = re.compile(r"add_revision\('(\w+)', '((?:[^']|'')*)', \$q\$(.*?)\$q\$, \$q\$(.*?)\$q\$, "
                 r"(?:'\{\}'|ARRAY\['(\w+)'\])\)", re.S)
n = 0
for m in pat.finditer(open(src).read()):
    rid, msg, up, down, parent = m.groups()
    msg = msg.replace("''", "'")
    slug = "_".join(re.findall(r"\w+", msg)).lower()[:40]
    with open(f"{out}/{rid}_{slug}.sql", "w") as f:
        f.write(f"-- revision: {rid}\n-- down_revision: {parent or ''}\n-- branch_labels:\n"
                f"-- depends_on:\n-- transactional: true\n-- message: {msg}\n"
                f"-- +upgrade\n{up}\n-- +downgrade\n{down}\n")
    n += 1
print(n, "migration files", file=sys.stderr)
PY
cp "$WORK/gen/raw/up.sql" "$WORK/gen/raw/down.sql" "$WORK/proj/"
chown -R postgres "$WORK"

quiesce() { $PSQL -d postgres -c CHECKPOINT; sync; }
fresh_db() {
    $PSQL -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
    [ "${2:-}" = ext ] && $PSQL -d "$1" -c "CREATE EXTENSION pg_schemamig"
    return 0
}
# prints the wall time of a command in seconds; fails if the command fails
timed() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    echo "scale=4; ($t1 - $t0) / 1000000000" | bc
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2}'; }

declare -a up_floor up_cli down_floor down_cli cur heads conn sync_only up_nosync
cd "$WORK/proj"
for r in $(seq 1 "$RUNS"); do
    fresh_db floor
    fresh_db mig ext
    if [ $((r % 2)) -eq 1 ]; then order="floor cli"; else order="cli floor"; fi
    for who in $order; do
        quiesce
        if [ "$who" = floor ]; then
            up_floor+=("$(timed $PSQL -1 -d floor -f up.sql)")
        else
            up_cli+=("$(timed "$CLIENT" -q -d dbname=mig -D migrations upgrade head)")
        fi
    done
    for i in 1 2 3; do
        cur+=("$(timed "$CLIENT" -d dbname=mig -D migrations current)")
        heads+=("$(timed "$CLIENT" -d dbname=mig -D migrations heads)")
        conn+=("$(timed $PSQL -d mig -c 'SELECT 1')")
    done
    for who in $order; do
        quiesce
        if [ "$who" = floor ]; then
            down_floor+=("$(timed $PSQL -1 -d floor -f down.sql)")
        else
            down_cli+=("$(timed "$CLIENT" -q -d dbname=mig -D migrations downgrade base)")
        fi
    done
    # the parts: registering the files, then applying without the sync
    fresh_db mig ext
    quiesce
    sync_only+=("$(timed "$CLIENT" -q -d dbname=mig -D migrations sync)")
    quiesce
    up_nosync+=("$(timed "$CLIENT" -q -d dbname=mig -D migrations --no-sync upgrade head)")
    left=$($PSQL -At -d mig -c "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename LIKE 't\\_%'")
    [ "$left" -eq "$N" ] || { echo "upgrade --no-sync left $left tables, expected $N" >&2; exit 1; }
    echo "run $r done" >&2
done

m() { printf '%s\n' "$@" | median; }
ratio() { echo "scale=2; $1 / $2" | bc; }
UPF=$(m "${up_floor[@]}"); UPC=$(m "${up_cli[@]}")
DNF=$(m "${down_floor[@]}"); DNC=$(m "${down_cli[@]}")
CUR=$(m "${cur[@]}"); HDS=$(m "${heads[@]}"); CON=$(m "${conn[@]}")
SYN=$(m "${sync_only[@]}"); UPN=$(m "${up_nosync[@]}")
ms() { echo "scale=1; $1 * 1000 / 1" | bc; }

{
echo "# pg_schemamig client benchmark"
echo
echo "\`sudo test/bench/cli_bench.sh $N $RUNS\` on $(date -u +%Y-%m-%d) ($(nproc) cores, PostgreSQL $($PGBIN/postgres --version | awk '{print $3}'), throwaway cluster over TCP 127.0.0.1, fsync on)."
echo "Workload: \`python3 ../shared/peers/gen.py -n $N\` (the peers' history), written as $N migration files."
echo "Medians of $RUNS runs; up and down alternate with their floor (odd runs floor first); an untimed CHECKPOINT + sync precedes each timed step."
echo
echo "| step | command | median (s) | all runs (s) | ratio to floor | bound |"
echo "|---|---|---:|---|---:|---|"
echo "| up, floor | \`psql -1 -f up.sql\` | $UPF | ${up_floor[*]} | 1.00 | |"
echo "| up | \`pg_schemamig upgrade head\` (cold, files registered in the same run) | $UPC | ${up_cli[*]} | $(ratio "$UPC" "$UPF") | <= 1.2 |"
echo "| down, floor | \`psql -1 -f down.sql\` | $DNF | ${down_floor[*]} | 1.00 | |"
echo "| down | \`pg_schemamig downgrade base\` | $DNC | ${down_cli[*]} | $(ratio "$DNC" "$DNF") | <= 1.2 |"
echo "| status | \`pg_schemamig current\` (migrated, $N files checked) | $(ms "$CUR") ms | | | < 20 ms |"
echo "| status | \`pg_schemamig heads\` | $(ms "$HDS") ms | | | < 20 ms |"
echo "| status, floor | \`psql -X -c 'SELECT 1'\` (a cold connection and one query) | $(ms "$CON") ms | | | |"
echo "| part | \`pg_schemamig sync\` ($N new files) | $SYN | ${sync_only[*]} | | |"
echo "| part | \`pg_schemamig --no-sync upgrade head\` | $UPN | ${up_nosync[*]} | $(ratio "$UPN" "$UPF") | |"
} | tee "$OUT"
