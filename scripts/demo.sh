#!/bin/bash
# The main job: a demo migration history applied, rolled back and re-applied
# by pg_schemamig, on a throwaway local cluster, or on the database named by
# DATABASE_URL (its demo objects are removed again at the end).
#
#   sudo scripts/demo.sh                                  # throwaway cluster
#   sudo DATABASE_URL=postgres://user@host/db scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)

scripts/install_deps.sh
export PG_CONFIG=${PG_CONFIG:-pg_config}
# the same lock as test/run_tests.sh takes for this installation
exec 9>"/tmp/pg_schemamig_install$("$PG_CONFIG" --pkglibdir | tr / _).lock"
flock 9
scripts/build_install.sh
flock -u 9

PGBIN=$("$PG_CONFIG" --bindir)
if [ -n "${DATABASE_URL:-}" ]; then
    CONN=$DATABASE_URL
    CLEANUP=1
else
    DEMO=$(mktemp -d /tmp/pg_schemamig_demo.XXXXXX)
    chown postgres "$DEMO"
    PORT=${DEMO_PORT:-54329}
    runuser -u postgres -- "$PGBIN/initdb" -D "$DEMO/data" -A trust -U postgres >/dev/null
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DEMO/data" -l "$DEMO/server.log" -w \
        -o "-c listen_addresses='' -c unix_socket_directories='$DEMO' -p $PORT" start >/dev/null
    trap 'runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DEMO/data" -m fast -w stop >/dev/null; rm -rf "$DEMO"' EXIT
    runuser -u postgres -- "$PGBIN/createdb" -h "$DEMO" -p "$PORT" -U postgres demo
    CONN="host=$DEMO port=$PORT user=postgres dbname=demo"
    CLEANUP=0
fi

run() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$CONN" "$@"; }

# the demo's targets (head, base) assume its own history is the only one
others=0
if [ "$(run -At -c "SELECT pg_catalog.to_regclass('schemamig.revision') IS NOT NULL")" = t ]; then
    others=$(run -At -c "SELECT count(*) FROM schemamig.revision WHERE id NOT LIKE 'demo\_%'")
fi
if [ "$others" != 0 ]; then
    echo "demo: this database already has $others revisions of its own; run the demo on an empty database" >&2
    exit 1
fi

echo "== pg_schemamig demo on: ${DATABASE_URL:-a throwaway cluster}"
run -f "$SRC/scripts/demo.sql"

if [ "$CLEANUP" = 0 ]; then
    echo
    echo "== the same workflow with files and the pg_schemamig client (database demo_cli)"
    runuser -u postgres -- "$PGBIN/createdb" -h "$DEMO" -p "$PORT" -U postgres demo_cli
    CLI_CONN="host=$DEMO port=$PORT user=postgres dbname=demo_cli"
    run -d "$CLI_CONN" -c "CREATE EXTENSION pg_schemamig"
    PROJECT=$DEMO/project
    mkdir -p "$PROJECT"
    cd "$PROJECT"
    sm() { echo "\$ pg_schemamig $*"; pg_schemamig -d "$CLI_CONN" "$@"; }
    sm init
    cat > migrations/cli_0001_create_tasks.sql <<'SQL'
-- revision: cli_0001
-- down_revision:
-- branch_labels:
-- depends_on:
-- transactional: true
-- message: create tasks
-- +upgrade
CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL);
-- +downgrade
DROP TABLE tasks;
SQL
    cat > migrations/cli_0002_add_priority.sql <<'SQL'
-- revision: cli_0002
-- down_revision: cli_0001
-- branch_labels:
-- depends_on:
-- transactional: true
-- message: add priority to tasks
-- +upgrade
ALTER TABLE tasks ADD COLUMN priority text NOT NULL DEFAULT 'medium';
-- +downgrade
ALTER TABLE tasks DROP COLUMN priority;
SQL
    cat > migrations/cli_0003_index_titles.sql <<'SQL'
-- revision: cli_0003
-- down_revision: cli_0002
-- branch_labels:
-- depends_on:
-- transactional: false
-- message: index titles concurrently
-- +upgrade
CREATE INDEX CONCURRENTLY tasks_title ON tasks (title);
-- +downgrade
DROP INDEX CONCURRENTLY tasks_title;
SQL
    sm history
    sm upgrade head
    sm current
    sm downgrade base
    sm upgrade head
    sm check || true
    cd "$SRC"
fi

if [ "$CLEANUP" = 1 ]; then
    echo "== removing the demo revisions and objects from $DATABASE_URL"
    # plan() rows, because demo_0007 cannot run inside a transaction
    run >/dev/null <<'SQL'
SET client_min_messages = warning;
SELECT statement FROM schemamig.plan('base') \gexec
SELECT schemamig.remove_revision(id) FROM schemamig.revision WHERE id LIKE 'demo\_%' ORDER BY seq DESC;
DROP SCHEMA IF EXISTS demo CASCADE;
SQL
fi
echo "== demo finished"
