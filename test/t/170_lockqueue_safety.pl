# Copyright (c) pg_schemamig contributors
#
# Safe by default (DESIGN §3, "Privileges and safety"): with default
# settings a migration never makes the application queue behind its locks
# for more than about a second, and still completes once the blocker is
# gone.  pgbench runs primary-key reads and writes on a 100k-row table while
# a report holds ACCESS SHARE for 4 s and a migration adds a column, through
# upgrade(), upgrade_each and the client.
#
# What is asserted is structural: the migration was blocked and retried
# ("could not get a lock ... within 500 ms, retry N"), it succeeded, and no
# lock wait of the migration, nor of any application session, lasted longer
# than lock_timeout plus a wide margin (pg_locks.waitstart, sampled).  A
# control run with schemamig.lock_timeout = 0 shows the sampler seeing the
# multi-second queue that plain ALTER TABLE causes.  The application's
# latencies (pgbench's per-transaction log) are reported as diagnostics
# only: timings never decide a test here.
use strict;
use warnings;
use File::Path qw(make_path);
use List::Util qw(max);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use SchemamigTest;
use Test::More;
use Time::HiRes qw(time sleep);

my @client = client_command();
my $node = PostgreSQL::Test::Cluster->new('lockqueue');
$node->init;
$node->append_conf('postgresql.conf', "max_connections = 40\n");
$node->start;
my $tmp = PostgreSQL::Test::Utils::tempdir;

$node->safe_psql('postgres', q{
  CREATE EXTENSION pg_schemamig;
  CREATE TABLE app (id int PRIMARY KEY, v int NOT NULL DEFAULT 0, pad text);
  INSERT INTO app SELECT g, 0, repeat('x', 40) FROM generate_series(1, 100000) g;
  CREATE TABLE side (id int PRIMARY KEY);
  VACUUM ANALYZE app;
});

write_file("$tmp/app.sql", <<'EOS');
\set id random(1, 100000)
SELECT v FROM app WHERE id = :id;
UPDATE app SET v = v + 1 WHERE id = :id;
EOS

# the sampler: longest current lock wait of the migration and of pgbench
my $mon = $node->background_psql('postgres');
sub sample
{
	my $r = $mon->query_safe(q{
	  SELECT coalesce(max(CASE WHEN a.application_name = 'safety_migrator'
	                      THEN extract(epoch FROM clock_timestamp() - l.waitstart) END), 0)::numeric(10,3)
	      || ' ' ||
	         coalesce(max(CASE WHEN a.application_name <> 'safety_migrator'
	                      THEN extract(epoch FROM clock_timestamp() - l.waitstart) END), 0)::numeric(10,3)
	    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
	   WHERE NOT l.granted AND l.waitstart IS NOT NULL});
	$r =~ s/\s+$//;
	return split ' ', $r;
}

# pgbench's worst per-transaction latency (ms) from its logs
sub pgbench_worst
{
	my ($prefix) = @_;
	my $worst = 0;
	my $n = 0;
	for my $f (glob("$prefix*"))
	{
		open my $fh, '<', $f or die "open $f: $!";
		while (<$fh>)
		{
			my @c = split;
			next unless @c >= 3;
			$worst = $c[2] if $c[2] > $worst;
			$n++;
		}
		close $fh;
	}
	return ($worst / 1000.0, $n);
}

# One scenario: load, a 4 s reader, the migration started 0.3 s into it.
# $start returns an IPC::Run harness running the migration with
# application_name safety_migrator.  Returns (exit code, output, worst
# migration wait, worst application wait, worst application latency).
sub scenario
{
	my ($name, $start) = @_;
	my ($bout, $berr) = ('', '');
	my $prefix = "$tmp/pgb_$name";
	my $bench = IPC::Run::start(
		[ 'pgbench', '-n', '-h', $node->host, '-p', $node->port, '-c', '4', '-j', '2',
		  '-T', '8', '-R', '400', '-f', "$tmp/app.sql", '-l', "--log-prefix=$prefix", 'postgres' ],
		'>', \$bout, '2>', \$berr);
	sleep 1;
	my $reader = $node->background_psql('postgres');
	$reader->query_until(qr/reading/, "BEGIN; SELECT count(*) FROM app; \\echo reading\nSELECT pg_sleep(4); COMMIT;\n");
	sleep 0.3;
	my ($mout, $merr) = ('', '');
	my $mig = $start->(\$mout, \$merr);
	my ($mwait, $await) = (0, 0);
	while ($mig->pumpable)
	{
		$mig->pump_nb;
		my ($m, $a) = sample();
		$mwait = max($mwait, $m);
		$await = max($await, $a);
		sleep 0.05;
	}
	$mig->finish;
	my $rc = $mig->result(0);
	$reader->quit;
	$bench->finish;
	my ($worst, $txns) = pgbench_worst($prefix);
	note sprintf("%s: migration exit %d; worst lock wait seen: migration %.2f s, application %.2f s; "
		  . "application worst latency %.0f ms over %d transactions", $name, $rc, $mwait, $await, $worst, $txns);
	return ($rc, "$mout$merr", $mwait, $await, $worst);
}

sub psql_harness
{
	my ($sql, $settings) = @_;
	return sub {
		my ($out, $err) = @_;
		my $conn = $node->connstr('postgres') . ' application_name=safety_migrator';
		return IPC::Run::start([ 'psql', '-X', '-v', 'ON_ERROR_STOP=1', '-d', $conn, '-c', ($settings // 'SELECT 1'), '-c', $sql ],
			'>', $out, '2>', $err);
	};
}

sub has_column
{
	my ($col) = @_;
	return $node->safe_psql('postgres',
		"SELECT count(*) FROM information_schema.columns WHERE table_name = 'app' AND column_name = '$col'");
}

# --- upgrade(), defaults ------------------------------------------------------
$node->safe_psql('postgres',
	q{SELECT schemamig.add_revision('c1', 'add c1', 'ALTER TABLE app ADD COLUMN c1 text', 'ALTER TABLE app DROP COLUMN c1', '{}')});
my ($rc, $out, $mwait, $await, $worst) = scenario('upgrade', psql_harness(q{SELECT revision FROM schemamig.upgrade('head')}));
is($rc, 0, 'upgrade(): the migration succeeds');
is(has_column('c1'), '1', 'upgrade(): the column is added once the reader is gone');
like($out, qr/revision c1 could not get a lock on relation public\.app within 500 ms, retry 1 of 10/,
	'upgrade(): blocked, it gave up its place in the queue after the default 500 ms and retried');
like($out, qr/Blocked by pid \d+ .*holding AccessShareLock on relation public\.app, running for [0-9.]+ s/,
	'upgrade(): the retry names the reader');
cmp_ok($mwait, '<', 1.5, 'upgrade(): no lock wait of the migration lasted much beyond 500 ms');
cmp_ok($await, '<', 1.5, 'upgrade(): no application query queued much beyond 500 ms');

# --- upgrade_each, defaults -----------------------------------------------------
$node->safe_psql('postgres',
	q{SELECT schemamig.add_revision('c2', 'add c2', 'ALTER TABLE app ADD COLUMN c2 text', 'ALTER TABLE app DROP COLUMN c2')});
($rc, $out, $mwait, $await, $worst) = scenario('upgrade_each', psql_harness(q{CALL schemamig.upgrade_each('head')}));
is($rc, 0, 'upgrade_each: the migration succeeds');
is(has_column('c2'), '1', 'upgrade_each: the column is added once the reader is gone');
like($out, qr/revision c2 could not get a lock on relation public\.app within 500 ms, retry 1 of 10/,
	'upgrade_each: blocked, it retried');
cmp_ok($mwait, '<', 1.5, 'upgrade_each: no lock wait of the migration lasted much beyond 500 ms');
cmp_ok($await, '<', 1.5, 'upgrade_each: no application query queued much beyond 500 ms');

# --- the client, defaults (a non-transactional revision puts it in its
# per-revision mode: the ALTER runs top-level and the client retries) ------------
my $dir = "$tmp/migrations";
make_path($dir);
my @files = (
	# c1 and c2 as registered above (the same SQL, so the same checksums)
	[ 'c1', '', 'add c1', 'ALTER TABLE app ADD COLUMN c1 text', 'ALTER TABLE app DROP COLUMN c1', 1 ],
	[ 'c2', 'c1', 'add c2', 'ALTER TABLE app ADD COLUMN c2 text', 'ALTER TABLE app DROP COLUMN c2', 1 ],
	[ 'c3', 'c2', 'add c3', 'ALTER TABLE app ADD COLUMN c3 text;', 'ALTER TABLE app DROP COLUMN c3;', 1 ],
	[ 'c4', 'c3', 'index side', 'CREATE INDEX CONCURRENTLY side_id ON side (id);', 'DROP INDEX CONCURRENTLY side_id;', 0 ]);
for my $f (@files)
{
	my ($id, $down, $msg, $up, $dn, $tx) = @$f;
	write_file("$dir/$id.sql", "-- revision: $id\n-- down_revision: $down\n-- transactional: "
		  . ($tx ? 'true' : 'false') . "\n-- message: $msg\n-- +upgrade\n$up\n-- +downgrade\n$dn\n");
}
($rc, $out, $mwait, $await, $worst) = scenario('client', sub {
	my ($o, $e) = @_;
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGDATABASE} = 'postgres';
	local $ENV{PGAPPNAME} = 'safety_migrator';
	return IPC::Run::start([ @client, '-v', '-D', $dir, 'upgrade' ], '>', $o, '2>', $e);
});
is($rc, 0, 'client: the migration succeeds');
is(has_column('c3'), '1', 'client: the column is added once the reader is gone');
like($out, qr/revision c3 could not get a lock on relation public\.app within 500 ms, retry 1 of 10/,
	'client: blocked, the revision was rolled back and retried');
cmp_ok($mwait, '<', 1.5, 'client: no lock wait of the migration lasted much beyond 500 ms');
cmp_ok($await, '<', 1.5, 'client: no application query queued much beyond 500 ms');
is($node->safe_psql('postgres', q{SELECT string_agg(revision, ',') FROM schemamig.version}), 'c4',
	'client: the whole history is applied');

# --- control: schemamig.lock_timeout = 0 is plain ALTER TABLE's queue ------------
$node->safe_psql('postgres',
	q{SELECT schemamig.add_revision('c5', 'add c5', 'ALTER TABLE app ADD COLUMN c5 text', 'ALTER TABLE app DROP COLUMN c5')});
($rc, $out, $mwait, $await, $worst) = scenario('no_timeout',
	psql_harness(q{SELECT revision FROM schemamig.upgrade('head')}, 'SET schemamig.lock_timeout = 0'));
is($rc, 0, 'lock_timeout = 0: the migration succeeds after waiting');
cmp_ok($mwait, '>', 2, 'lock_timeout = 0: the sampler sees the migration queue for seconds');
cmp_ok($await, '>', 2, 'lock_timeout = 0: and the application queue behind it');
unlike($out, qr/retry/, 'lock_timeout = 0: no retries');

# --- a transaction that already holds a blocking lock is not retried -------------
$node->safe_psql('postgres',
	q{SELECT schemamig.add_revision('c6', 'add c6', 'ALTER TABLE app ADD COLUMN c6 text', 'ALTER TABLE app DROP COLUMN c6')});
my $reader = $node->background_psql('postgres');
$reader->query_safe('BEGIN; SELECT count(*) FROM app;');
my ($stdout, $stderr);
$node->psql('postgres', q{
  BEGIN;
  LOCK TABLE side IN SHARE MODE;
  SELECT revision FROM schemamig.upgrade('head');
  COMMIT;
}, stdout => \$stdout, stderr => \$stderr);
$reader->query_safe('COMMIT;');
$reader->quit;
like($stderr, qr/ERROR:  revision c6 could not get a lock on relation public\.app within 500 ms after 1 attempt/,
	'a caller holding a blocking lock gets no retry');
like($stderr, qr/HINT:  This transaction held a lock on public\.side from before the call/,
	'and is told why, and what to do instead');
is(has_column('c6'), '0', 'nothing of it was applied');

$mon->quit;
$node->stop;
done_testing();
