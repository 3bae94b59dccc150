# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 6: "upgrade --each" for the
# backward-compatible three-step pattern (add a nullable column, backfill,
# SET NOT NULL), which must not run in one transaction: one commit per
# revision (schemamig.upgrade_each), so a failure keeps the revisions before
# it, and a revision that cannot get its lock is retried (lock_retries).
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

my $node = cli_start('cli_each');
fresh('each');
sql("CREATE TABLE tasks (id int PRIMARY KEY); INSERT INTO tasks SELECT g FROM generate_series(1, 10) g");
rev('e1', '', 'add nullable priority', 'ALTER TABLE tasks ADD COLUMN priority text;',
	'ALTER TABLE tasks DROP COLUMN priority;');
rev('e2', 'e1', 'backfill priority', "UPDATE tasks SET priority = 'medium' WHERE priority IS NULL AND id > 100;", 'SELECT 1;');
rev('e3', 'e2', 'priority not null', 'ALTER TABLE tasks ALTER COLUMN priority SET NOT NULL;',
	'ALTER TABLE tasks ALTER COLUMN priority DROP NOT NULL;');

# the backfill misses rows: the third step fails, the first two stay committed
cli([ 'upgrade', '--each' ], 1,
	"Running upgrade  -> e1, add nullable priority\nRunning upgrade e1 -> e2, backfill priority\nRunning upgrade e2 -> e3, priority not null\n",
	qr/error: upgrade failed in revision e3 \(\S+e3_x\.sql:5\): column "priority" of relation "tasks" contains null values \(SQLSTATE 23502\)\n.*detail: --each commits one revision at a time: the revisions before the failing one stay applied/s,
	'--each: a failure keeps the committed revisions');
cli(['current'], 0, "e2\n", '', 'it stopped after e2');
is(sql("SELECT count(*) FROM tasks WHERE priority IS NULL"), '10', 'the backfill committed (and missed the rows)');

# fix the backfill: e2 is applied, so a new revision does the work
rev('e3', 'e2', 'backfill again', "UPDATE tasks SET priority = 'medium' WHERE priority IS NULL;", 'SELECT 1;');
rev('e4', 'e3', 'priority not null', 'ALTER TABLE tasks ALTER COLUMN priority SET NOT NULL;',
	'ALTER TABLE tasks ALTER COLUMN priority DROP NOT NULL;');
cli([ 'upgrade', '--each' ], 0,
	"Running upgrade e2 -> e3, backfill again\nRunning upgrade e3 -> e4, priority not null\n", '', '--each completes');
is(sql("SELECT count(*) FROM schemamig.log WHERE direction = 'upgrade'"), '4', 'one log row per revision');

# a lock held elsewhere: --each retries, then gives up naming the revision
rev('e5', 'e4', 'index priority', 'ALTER TABLE tasks ADD COLUMN note text;', 'ALTER TABLE tasks DROP COLUMN note;');
my $holder = $node->background_psql('each');
$holder->query_safe('BEGIN; LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE;');
cli([ 'upgrade', '--each', '--lock-timeout=50ms', '--lock-retries=2' ], 1,
	qr/\ARunning upgrade e4 -> e5, index priority\nrevision e5 could not get a lock.*, retry 1 of 2 in \d+ ms\nRunning upgrade e4 -> e5, index priority\nrevision e5 could not get a lock.*, retry 2 of 2 in \d+ ms\nRunning upgrade e4 -> e5, index priority\n\z/,
	qr/error: upgrade failed: revision e5 could not get a lock on relation public\.tasks .*\(SQLSTATE 55P03\)/,
	'--each: lock retries are shown, then the lock timeout');
$holder->query_safe('COMMIT;');
$holder->quit;
cli([ 'upgrade', '--each' ], 0, "Running upgrade e4 -> e5, index priority\n", '', 'once the blocker is gone it completes');

# downgrade --each too
cli([ 'downgrade', '--each', 'e3' ], 0,
	"Running downgrade e5 -> e4, index priority\nRunning downgrade e4 -> e3, priority not null\n", '', 'downgrade --each');

done_testing();
