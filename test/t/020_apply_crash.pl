# Crash safety of upgrade() and upgrade_each(): a backend killed in the
# middle of a revision leaves version table and schema consistent.  Also the
# per-step NOTICE and its silencing.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
# the postmaster reinitialises after a backend is killed
$node->append_conf('postgresql.conf', 'restart_after_crash = on');
$node->start;
$node->safe_psql('postgres', q{
  CREATE EXTENSION pg_schemamig;
  SELECT schemamig.add_revision('c1', 'create one', 'CREATE TABLE one (id int)', 'DROP TABLE one', '{}');
  SELECT schemamig.add_revision('c2', 'slow two', 'CREATE TABLE two (id int); SELECT pg_sleep(300)', 'DROP TABLE two');
});

# run $sql in the background, kill -9 its backend once c2 sleeps
sub kill_during_sleep
{
	my ($sql) = @_;
	my $bg = $node->background_psql('postgres', on_error_stop => 0);
	$bg->query_until(qr/started/, "\\echo started\n$sql\n");
	$node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep'})
	  or die "revision never started sleeping";
	my $pid = $node->safe_psql('postgres',
		q{SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep'});
	kill 'KILL', $pid;
	eval { $bg->quit; };
	$node->poll_query_until('postgres', 'SELECT 1', '1')
	  or die "server did not come back";
}

kill_during_sleep("CALL schemamig.upgrade_each('head');");
is($node->safe_psql('postgres', q{SELECT string_agg(revision, ',') FROM schemamig.version}),
	'c1', 'upgrade_each: the committed revision stays applied after the crash');
is($node->safe_psql('postgres',
		q{SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('one', 'two')}),
	'one', 'upgrade_each: schema matches the version table');
is($node->safe_psql('postgres', q{SELECT count(*) FROM schemamig.log WHERE revision = 'c2'}),
	'0', 'upgrade_each: no log row for the killed revision');

$node->safe_psql('postgres', q{SELECT count(*) FROM schemamig.downgrade('base')});
kill_during_sleep("SELECT * FROM schemamig.upgrade('head');");
is($node->safe_psql('postgres', 'SELECT count(*) FROM schemamig.version'),
	'0', 'upgrade: nothing of the killed call stays applied');
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_class WHERE relname IN ('one', 'two')}),
	'0', 'upgrade: no table of the killed call exists');

# after the restart the lock is free: a normal upgrade works
$node->safe_psql('postgres', q{
  SELECT schemamig.remove_revision('c2');
  SELECT schemamig.add_revision('c2', 'fast two', 'CREATE TABLE two (id int)', 'DROP TABLE two', '{c1}');
});
my ($stdout, $stderr);
$node->psql('postgres', q{SELECT count(*) FROM schemamig.upgrade('head')},
	stdout => \$stdout, stderr => \$stderr);
is($stdout, '2', 'upgrade after the crash applies both revisions');
like($stderr, qr/NOTICE:  Running upgrade  -> c1, create one \(\d+ ms\)/,
	'NOTICE for a base revision names no parent');
like($stderr, qr/NOTICE:  Running upgrade c1 -> c2, fast two \(\d+ ms\)/,
	'NOTICE per step in Alembic\'s wording with the time');

$node->psql('postgres',
	q{SET client_min_messages = warning; SELECT count(*) FROM schemamig.downgrade('base')},
	stdout => \$stdout, stderr => \$stderr);
is($stdout, '2', 'downgrade to base');
is($stderr, '', 'client_min_messages silences the step NOTICEs');

$node->stop;
done_testing();
