# Copyright (c) pg_schemamig contributors
#
# schemamig.backfill under load: 200,000 rows in batches while pgbench
# reads and writes them by primary key; the backend is killed with kill -9
# mid-way (the server restarts), and the same call then finishes the job
# without redoing a finished batch: every row is updated exactly once (a
# counter column ends at 1 everywhere).  Also: the per-batch NOTICE, a batch
# blocked by a lock is retried under the default lock timeout, and the
# client's "backfill" command.  (test/bench/lockqueue_bench.sh runs 1,000,000
# rows and measures the application's latency.)
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use SchemamigTest;
use Test::More;
use Time::HiRes qw(sleep);

my @client = client_command();
my $node = PostgreSQL::Test::Cluster->new('backfill');
$node->init;
# kill -9 of a backend makes the postmaster reinitialise, as in production
$node->append_conf('postgresql.conf', "restart_after_crash = on\n");
$node->start;
my $tmp = PostgreSQL::Test::Utils::tempdir;
my $rows = 200000;

$node->safe_psql('postgres', qq{
  CREATE EXTENSION pg_schemamig;
  CREATE TABLE big (id bigint PRIMARY KEY, v int NOT NULL DEFAULT 0, bf int NOT NULL DEFAULT 0, pad text);
  INSERT INTO big (id, pad) SELECT g, repeat('x', 30) FROM generate_series(1, $rows) g;
  VACUUM ANALYZE big;
});
write_file("$tmp/app.sql", <<"EOS");
\\set id random(1, $rows)
SELECT v FROM big WHERE id = :id;
UPDATE big SET v = v + 1 WHERE id = :id;
EOS

sub start_load
{
	my ($seconds) = @_;
	my ($out, $err) = ('', '');
	return IPC::Run::start(
		[ 'pgbench', '-n', '-h', $node->host, '-p', $node->port, '-c', '2', '-j', '1',
		  '-T', $seconds, '-R', '200', '-f', "$tmp/app.sql", 'postgres' ],
		'>', \$out, '2>', \$err);
}

my $call = q{CALL schemamig.backfill('big', 'bf = bf + 1', NULL, 2000, '5 ms')};

# --- phase 1: under load, killed mid-way -------------------------------------------
my $load = start_load(60);
my ($out1, $err1) = ('', '');
my $conn = $node->connstr('postgres') . ' application_name=backfiller';
my $bf = IPC::Run::start([ 'psql', '-X', '-d', $conn, '-c', $call ], '>', \$out1, '2>', \$err1);
$node->poll_query_until('postgres',
	q{SELECT coalesce((SELECT batches >= 25 FROM schemamig.backfill_job), false)})
  or die 'the backfill made no progress';
my $pid = $node->safe_psql('postgres',
	q{SELECT pid FROM pg_stat_activity WHERE application_name = 'backfiller'});
ok($pid =~ /^\d+$/, 'the backfill is running');
kill 'KILL', $pid;
$bf->finish;
$load->kill_kill;
# wait for crash recovery (connections fail meanwhile)
my $back = 0;
for (1 .. 600)
{
	my $ok = eval { $node->safe_psql('postgres', 'SELECT 1') eq '1' };
	if ($ok) { $back = 1; last; }
	sleep 0.1;
}
die 'the server did not come back after kill -9' unless $back;

like($err1, qr/NOTICE:  backfill of public\.big: batch 1 updated 2000 rows \(2000 done, 198000 left, \d+ rows\/s\)/,
	'a NOTICE per batch: rows done, rows left, rate');
my ($batches, $done) = split /\|/, $node->safe_psql('postgres',
	q{SELECT batches, rows_updated FROM schemamig.backfill_job});
cmp_ok($batches, '>=', 25, "killed after $batches committed batches");
cmp_ok($batches, '<', $rows / 2000, 'and before the end');
is($node->safe_psql('postgres', 'SELECT count(*) FROM big WHERE bf = 1'), $done,
	'exactly the rows of the committed batches are updated, and the job row says so');
is($node->safe_psql('postgres', 'SELECT count(*) FROM big WHERE bf > 1'), '0', 'none twice');

# --- phase 2: the same call, under load, finishes the job --------------------------
$load = start_load(30);
my ($stdout, $stderr);
$node->psql('postgres', $call, stdout => \$stdout, stderr => \$stderr);
$load->kill_kill;
like($stderr, qr/NOTICE:  backfill of public\.big resumes after batch $batches \($done rows done, \d+ left\)/,
	'the rerun resumes after the last committed batch');
my $next = $batches + 1;
like($stderr, qr/batch $next updated 2000 rows/, 'with the next batch');
unlike($stderr, qr/batch $batches updated/, 'never redoing a committed one');
like($stderr, qr/NOTICE:  backfill of public\.big finished: $rows rows updated in 101 batches/,
	'it finishes: 100 full batches and the final one');
is($node->safe_psql('postgres', 'SELECT count(*) FILTER (WHERE bf = 1) || \',\' || count(*) FILTER (WHERE bf <> 1) FROM big'),
	"$rows,0", 'every row updated exactly once');
is($node->safe_psql('postgres', 'SELECT sum(v) > 0 FROM big'), 't', 'the application wrote meanwhile');
$node->psql('postgres', $call, stderr => \$stderr);
like($stderr, qr/NOTICE:  backfill of public\.big is already finished: nothing to do/, 'a finished job says so');
is($node->safe_psql('postgres', 'SELECT max(bf) FROM big'), '1', 'and updates nothing');

# --- a batch blocked by a lock: retried under the default lock timeout -------------
$node->safe_psql('postgres', q{
  CREATE TABLE small (k text PRIMARY KEY, n int NOT NULL DEFAULT 0);
  INSERT INTO small SELECT 'k' || g, 0 FROM generate_series(1, 50) g;
});
my $holder = $node->background_psql('postgres');
$holder->query_safe('BEGIN; LOCK TABLE small IN SHARE MODE;');
my ($bout, $berr) = ('', '');
my $h = IPC::Run::start([ 'psql', '-X', '-d', $node->connstr('postgres'), '-c',
		q{CALL schemamig.backfill('small', 'n = n + 1', batch_size => 20)} ], '>', \$bout, '2>', \$berr);
$node->poll_query_until('postgres',
	q{SELECT count(*) > 0 FROM pg_locks WHERE NOT granted AND relation = 'small'::regclass})
  or die 'the backfill never waited';
sleep 1.2;
$holder->query_safe('COMMIT;');
$holder->quit;
$h->finish;
like($berr, qr/NOTICE:  backfill batch 1 of public\.small could not get a lock on relation public\.small within 500 ms, retry 1 of 10/,
	'a blocked batch gives up its place after the default 500 ms and is retried');
like($berr, qr/holding ShareLock on relation public\.small/, 'naming the blocker');
is($node->safe_psql('postgres', 'SELECT min(n) || \',\' || max(n) FROM small'), '1,1',
	'and the backfill completes once the lock is free');

# --- the client ----------------------------------------------------------------------
$node->safe_psql('postgres', q{
  CREATE TABLE accounts (region int, id int, mail text, seen bool, PRIMARY KEY (region, id));
  INSERT INTO accounts SELECT g % 3, g, 'u' || g || '@x', NULL FROM generate_series(1, 40) g;
});
sub cli
{
	my (@args) = @_;
	my ($o, $e) = ('', '');
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGDATABASE} = 'postgres';
	IPC::Run::run([ @client, @args ], '>', \$o, '2>', \$e);
	return ($? >> 8, $o, $e);
}
my ($rc, $o, $e) = cli('backfill', 'accounts', '--set', 'seen = false', '--where', 'mail LIKE \'%@x\'',
	'--batch-size', '15');
is($rc, 0, 'client: backfill succeeds');
like($o, qr/^backfill of public\.accounts: batch 1 updated 15 rows \(15 done, 25 left, \d+ rows\/s\)$/m,
	'client: each batch is printed as it commits');
like($o, qr/^backfill of public\.accounts finished: 40 rows updated in 3 batches$/m, 'client: and the end');
is($node->safe_psql('postgres', 'SELECT count(*) FROM accounts WHERE seen = false'), '40',
	'client: a composite primary key, every row');
($rc, $o, $e) = cli('backfill', 'accounts', '--set', 'seen = false', '--where', 'mail LIKE \'%@x\'');
is($rc, 0, 'client: the finished job again');
like($o, qr/already finished: nothing to do/, 'client: says so');
($rc, $o, $e) = cli('backfill', 'accounts');
is($rc, 2, 'client: --set is required (usage error)');
($rc, $o, $e) = cli('backfill', 'accounts', '--set', 'seen = true', '--batch-size', 'x');
is($rc, 2, 'client: a bad --batch-size is a usage error');
($rc, $o, $e) = cli('backfill', 'nosuch', '--set', 'seen = true');
is($rc, 1, 'client: an unknown table fails');
like($e, qr/relation "nosuch" does not exist/, 'client: with the server\'s message');

# --- in a migration: a non-transactional revision, applied by the client ----------
my $dir = "$tmp/migrations";
mkdir $dir or die "mkdir $dir: $!";
write_file("$dir/a1.sql", "-- revision: a1\n-- down_revision:\n-- message: add mail_lower\n"
	  . "-- +upgrade\nALTER TABLE accounts ADD COLUMN mail_lower text;\n"
	  . "-- +downgrade\nALTER TABLE accounts DROP COLUMN mail_lower;\n");
write_file("$dir/a2.sql", "-- revision: a2\n-- down_revision: a1\n-- transactional: false\n-- message: fill mail_lower\n"
	  . "-- +upgrade\nCALL schemamig.backfill('accounts', 'mail_lower = lower(mail)', 'mail_lower IS NULL', 7);\n"
	  . "-- +downgrade\nSELECT 1;\n");
($rc, $o, $e) = cli('-D', $dir, 'upgrade');
is($rc, 0, 'client upgrade: a revision that backfills runs top-level') or diag $e;
is($node->safe_psql('postgres', 'SELECT count(*) FROM accounts WHERE mail_lower = lower(mail)'), '40',
	'client upgrade: every row filled');
is($node->safe_psql('postgres', q{SELECT string_agg(revision, ',') FROM schemamig.version}), 'a2',
	'client upgrade: and recorded');

$node->stop;
done_testing();
