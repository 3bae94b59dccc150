# Copyright (c) pg_schemamig contributors
#
# Issue 10, item 4 (docs/security.md, "Deploying with a least-privilege
# role"): a deployer that owns the application's schema and has EXECUTE on
# the applying functions, and no grant on schemamig.*, registers and applies
# a history online, one transaction per revision, through the client and
# through plan() rows; the bookkeeping is written with the extension
# owner's rights and names the deployer; the deployer cannot forge or erase
# a catalog row, nor take the catalog lock by hand.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my @client = client_command();

my $node = PostgreSQL::Test::Cluster->new('security_deployer');
$node->init;
$node->start;
my $db = 'postgres';

# the recipe of docs/security.md, as the extension owner (a superuser)
$node->safe_psql($db, q{
CREATE EXTENSION pg_schemamig;
CREATE ROLE deployer LOGIN;
CREATE SCHEMA app AUTHORIZATION deployer;
GRANT EXECUTE ON FUNCTION
    schemamig.add_revision(text, text, text, text, text[], text[], text[], boolean),
    schemamig.merge(text[], text, text),
    schemamig.remove_revision(text),
    schemamig.upgrade(text),
    schemamig.downgrade(text),
    schemamig.stamp(text, boolean),
    schemamig.stamp(text[], boolean),
    schemamig._each_steps(text, boolean),
    schemamig._apply_step(text, boolean, text[], text[]),
    schemamig.snapshot(),
    schemamig.plan(text),
    schemamig._begin_step(text, text, integer),
    schemamig._end_step(text, text),
    schemamig._session_lock(boolean)
  TO deployer;
GRANT EXECUTE ON PROCEDURE
    schemamig._each(text, boolean),
    schemamig.upgrade_each(text),
    schemamig.downgrade_each(text)
  TO deployer;
});

# run SQL as the deployer (a login of its own, not SET ROLE)
sub as_deployer
{
	my ($sql) = @_;
	my ($ret, $out, $err) = $node->psql($db, $sql,
		extra_params => [ '-U', 'deployer', '-v', 'VERBOSITY=terse' ]);
	return ($ret, $out, $err);
}

my ($ret, $out, $err);

# register and apply in one transaction
($ret, $out, $err) = as_deployer(q{
SET client_min_messages = warning;
SELECT schemamig.add_revision('d1', 'tasks', 'CREATE TABLE app.tasks (id bigint PRIMARY KEY)',
                              'DROP TABLE app.tasks', '{}');
SELECT schemamig.add_revision('d2', 'title', 'ALTER TABLE app.tasks ADD COLUMN title text',
                              'ALTER TABLE app.tasks DROP COLUMN title');
SELECT revision FROM schemamig.upgrade('d1');
});
is($ret, 0, 'deployer registers and upgrades') or diag($err);
is($out, "d1\nd2\nd1", 'add_revision and upgrade returned their rows');

# one transaction per revision
($ret, $out, $err) = as_deployer(q{SET client_min_messages = warning; CALL schemamig.upgrade_each('head');});
is($ret, 0, 'deployer runs upgrade_each') or diag($err);

# the bookkeeping names the deployer, and the DDL ran as the deployer
is($node->safe_psql($db, q{SELECT string_agg(revision || ':' || role, ',' ORDER BY id) FROM schemamig.log}),
	'd1:deployer,d2:deployer', 'log rows name the deployer');
is($node->safe_psql($db, q{SELECT string_agg(id || ':' || created_by, ',' ORDER BY seq) FROM schemamig.revision}),
	'd1:deployer,d2:deployer', 'revisions were created by the deployer');
is($node->safe_psql($db, q{SELECT tableowner FROM pg_tables WHERE schemaname = 'app' AND tablename = 'tasks'}),
	'deployer', 'the revision\'s table belongs to the deployer');
is($node->safe_psql($db, q{SELECT taken_by FROM schemamig.snapshot ORDER BY id DESC LIMIT 1}),
	'deployer', 'the snapshot names the deployer');

# downgrade, stamp and a non-transactional revision through the client
($ret, $out, $err) = as_deployer(q{SET client_min_messages = warning;
SELECT revision FROM schemamig.downgrade('d1');
SELECT schemamig.stamp('d1');
SELECT schemamig.add_revision('d3', 'index', 'CREATE INDEX CONCURRENTLY tasks_title ON app.tasks (title)',
                              'DROP INDEX CONCURRENTLY app.tasks_title', ARRAY['d2'],
                              transactional => false);});
is($ret, 0, 'deployer downgrades, stamps, registers a non-transactional revision') or diag($err);
{
	local %ENV = %ENV;
	$ENV{PGHOST} = $node->host;
	$ENV{PGPORT} = $node->port;
	$ENV{PGUSER} = 'deployer';
	delete $ENV{DATABASE_URL};
	my ($stdout, $stderr);
	my $tmp = PostgreSQL::Test::Utils::tempdir;
	IPC::Run::run([ @client, '-d', "dbname=$db", '--no-sync', 'upgrade', 'head' ],
		'>', \$stdout, '2>', \$stderr);
	is($? >> 8, 0, 'the client upgrades as the deployer through plan() rows') or diag($stderr);
}
is($node->safe_psql($db, q{SELECT string_agg(revision, ',') FROM schemamig.version}),
	'd3', 'd2 and d3 applied by the client');
is($node->safe_psql($db, q{SELECT string_agg(revision || ':' || direction || ':' || role, ',' ORDER BY id) FROM schemamig.log WHERE id > 2}),
	'd2:downgrade:deployer,d2:upgrade:deployer,d3:upgrade:deployer', 'every log row names the deployer');
is($node->safe_psql($db, q{SELECT count(*) FROM pg_indexes WHERE indexname = 'tasks_title'}),
	'1', 'its index exists');

# the deployer cannot forge, change or erase any catalog row
for my $forge (
	q{INSERT INTO schemamig.version (revision, position) VALUES ('d9', 9)},
	q{DELETE FROM schemamig.version},
	q{UPDATE schemamig.revision SET upgrade_sql = 'DROP TABLE app.tasks' WHERE id = 'd3'},
	q{INSERT INTO schemamig.log (direction, heads_before, heads_after, started_at, duration, role, backend_pid)
	  VALUES ('stamp', '{}', '{d9}', now(), '0', 'deployer', 1)},
	q{DELETE FROM schemamig.drift},
	q{UPDATE schemamig.snapshot SET fingerprint = 'x'},
	q{UPDATE schemamig.state SET generation = 0},
	q{BEGIN; LOCK TABLE schemamig.version IN ACCESS EXCLUSIVE MODE; COMMIT;},
	q{SELECT schemamig._lock()})
{
	($ret, $out, $err) = as_deployer($forge);
	isnt($ret, 0, "deployer refused: $forge");
	like($err, qr/permission denied/, "refused for want of privilege: $forge");
}

# nor can it run revision SQL with the owner's rights: a revision touching
# what the deployer may not touch fails with PostgreSQL's permission error
($ret, $out, $err) = as_deployer(q{
SELECT schemamig.add_revision('d4', 'owner only', 'CREATE TABLE public.owned_by_super (id int)', NULL, ARRAY['d3']);
SELECT revision FROM schemamig.upgrade('head');});
isnt($ret, 0, 'a revision beyond the deployer\'s rights fails');
like($err, qr/permission denied for schema public/, '... with the permission error');
is($node->safe_psql($db, q{SELECT string_agg(revision, ',') FROM schemamig.version}),
	'd3', 'and nothing of it stays');

# a role with no grants at all cannot migrate
$node->safe_psql($db, 'CREATE ROLE nobody LOGIN');
($ret, $out, $err) = $node->psql($db, q{SELECT revision FROM schemamig.upgrade('head')},
	extra_params => [ '-U', 'nobody' ]);
like($err, qr/permission denied for function upgrade/, 'a role without EXECUTE cannot upgrade');

$node->stop;
done_testing();
