# schemamig.lock_timeout and schemamig.lock_retries: upgrade_each retries a
# revision that could not get its lock, with backoff, and gives up with
# lock_not_available (55P03) after the last retry, keeping the revisions
# committed before it.  upgrade() takes the same lock_timeout.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('locks');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
  CREATE EXTENSION pg_schemamig;
  CREATE TABLE busy (id int);
  SELECT schemamig.add_revision('l1', 'free table', 'CREATE TABLE free1 (id int)', 'DROP TABLE free1', '{}');
  SELECT schemamig.add_revision('l2', 'alter busy table', 'ALTER TABLE busy ADD COLUMN note text', 'ALTER TABLE busy DROP COLUMN note');
});

# a session that holds an ACCESS EXCLUSIVE lock on "busy" until told to stop
my $holder = $node->background_psql('postgres');
my $holder_pid = $holder->query_safe('SELECT pg_backend_pid()');
$holder_pid =~ s/\s+//g;
$holder->query_safe('BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE;');

# --- retries exhausted: l1 stays committed, l2 fails with 55P03 ------------------
my ($stdout, $stderr);
my $rc = $node->psql('postgres', q{
  SET schemamig.lock_timeout = '50ms';
  SET schemamig.lock_retries = 2;
  CALL schemamig.upgrade_each('head');
}, stdout => \$stdout, stderr => \$stderr, extra_params => [ '-v', 'VERBOSITY=verbose' ]);
isnt($rc, 0, 'upgrade_each fails when the lock never comes');
like($stderr, qr/ERROR:  55P03/, 'the error keeps SQLSTATE 55P03 (lock_not_available)');
like($stderr, qr/revision l2 could not get a lock on relation public\.busy within 50 ms, retry 1 of 2 in 200 ms/,
	'first retry announced');
like($stderr, qr/revision l2 could not get a lock on relation public\.busy within 50 ms, retry 2 of 2 in 400 ms/,
	'second retry announced');
unlike($stderr, qr/retry 3 of 2/, 'no third retry');
like($stderr, qr/ERROR:  55P03: revision l2 could not get a lock on relation public\.busy within 50 ms after 3 attempts/,
	'the final error names the revision, the table and the attempts');
like($stderr, qr/DETAIL:  Blocked by pid $holder_pid \(role \w+, application "[^"]*"\), holding AccessExclusiveLock on relation public\.busy, idle in transaction \(transaction open for [0-9.]+ s\), last query: /,
	'the final error names the blocking session, its query and its age');
is($node->safe_psql('postgres', 'SELECT string_agg(revision, \',\') FROM schemamig.version'),
	'l1', 'the revision before the busy one stays committed');
is($node->safe_psql('postgres',
		q{SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'}),
	'0', 'nothing of the failed revision stays');

# --- upgrade() under the same lock_timeout retries the whole call, all or nothing -
$rc = $node->psql('postgres', q{
  SET schemamig.lock_timeout = '50ms';
  SET schemamig.lock_retries = 1;
  SELECT count(*) FROM schemamig.upgrade('head');
}, stderr => \$stderr);
like($stderr, qr/revision l2 could not get a lock on relation public\.busy within 50 ms, retry 1 of 1/,
	'upgrade() obeys schemamig.lock_timeout and retries');
like($stderr, qr/ERROR:  revision l2 could not get a lock on relation public\.busy within 50 ms after 2 attempts/,
	'error names the revision');
is($node->safe_psql('postgres', 'SELECT string_agg(revision, \',\') FROM schemamig.version'),
	'l1', 'nothing of the failed upgrade() stays');

# --- the lock comes while retrying: the revision succeeds --------------------------
my $waiter = $node->background_psql('postgres', on_error_stop => 0);
$waiter->query_until(qr/started/, q{
  SET schemamig.lock_timeout = '100ms';
  SET schemamig.lock_retries = 8;
  \echo started
  CALL schemamig.upgrade_each('head');
  \echo done
});
$node->poll_query_until('postgres',
	q{SELECT count(*) > 0 FROM pg_locks WHERE NOT granted AND relation = 'busy'::regclass})
  or die 'upgrade_each never waited for the lock';
$holder->query_safe('COMMIT;');
$holder->quit;
$node->poll_query_until('postgres',
	q{SELECT count(*) = 1 FROM schemamig.version WHERE revision = 'l2'})
  or die 'upgrade_each did not finish after the lock was released';
$waiter->quit;
is($node->safe_psql('postgres',
		q{SELECT count(*) FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'note'}),
	'1', 'the retried revision is applied once the lock is free');
is($node->safe_psql('postgres', q{SELECT count(*) FROM schemamig.log WHERE revision = 'l2'}),
	'1', 'one log row for it');

$node->stop;
done_testing();
