# pg_schemamig on a real Citus cluster: a coordinator and two workers on
# loopback ports (DESIGN §5).  Runs only where citus.so is installed in the
# PostgreSQL that the tests use; test/run_tests.sh skips it elsewhere.
#
# Checks: calls on a worker are refused; schemamig.lock_timeout reaches the
# workers; DDL run directly on a worker's shard shows in check() on the
# coordinator; Citus's own work (shards, conversions) stays out of the drift
# log and of fingerprint(); sizes are the distributed table's; a history
# with a multi-shard write followed by DDL runs in one transaction, and so do
# histories that need sequential mode after parallel DDL; a revision's own
# SET LOCAL ends with the revision, on the workers too.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $pkglibdir = `pg_config --pkglibdir`;
chomp $pkglibdir;
plan skip_all => "Citus is not installed ($pkglibdir/citus.so)"
  unless -e "$pkglibdir/citus.so";

my @nodes;
foreach my $name (qw(coordinator worker1 worker2))
{
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'citus'
listen_addresses = '127.0.0.1'
max_prepared_transactions = 20
citus.shard_count = 32
});
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION citus');
	push @nodes, $node;
}
my ($coord, $w1, $w2) = @nodes;
$coord->safe_psql('postgres', sprintf(q{
  SELECT citus_set_coordinator_host('127.0.0.1', %d);
  SELECT citus_add_node('127.0.0.1', %d);
  SELECT citus_add_node('127.0.0.1', %d);
}, $coord->port, $w1->port, $w2->port));
$coord->safe_psql('postgres', 'CREATE EXTENSION pg_schemamig');
is($w1->safe_psql('postgres',
		q{SELECT count(*) FROM pg_extension WHERE extname = 'pg_schemamig'}),
	'1', 'CREATE EXTENSION pg_schemamig reaches the workers');

# runs SQL on a node; returns (exit code, stdout, stderr)
sub run_sql
{
	my ($node, $sql) = @_;
	my ($out, $err);
	my $rc = $node->psql('postgres', $sql, stdout => \$out, stderr => \$err,
		extra_params => [ '-v', 'VERBOSITY=verbose' ]);
	return ($rc, $out, $err);
}

# ---- 1. calls on a worker are refused ------------------------------------------
foreach my $call (
	q{SELECT schemamig.add_revision('w1', 'on a worker', 'CREATE TABLE wt (id int)', 'DROP TABLE wt', '{}')},
	q{SELECT schemamig.stamp('base')},
	q{SELECT * FROM schemamig.upgrade('head')},
	q{CALL schemamig.upgrade_each('head')})
{
	my ($rc, $out, $err) = run_sql($w1, $call);
	isnt($rc, 0, "refused on a worker: $call");
	like($err, qr/ERROR:  55000: .*Citus worker/, "names the worker as the reason: $call");
	like($err, qr/HINT:  .*coordinator.*127\.0\.0\.1:${\$coord->port}/,
		"points to the coordinator: $call");
}
foreach my $call (q{SELECT * FROM schemamig.current()}, q{SELECT * FROM schemamig.heads()},
	q{SELECT * FROM schemamig.history()}, q{SELECT * FROM schemamig.check()})
{
	my ($rc, $out, $err) = run_sql($w1, $call);
	isnt($rc, 0, "a reading call on a worker does not answer an empty history: $call");
	like($err, qr/[Rr]un this on the coordinator/, "says where to run it: $call");
}
is($w1->safe_psql('postgres', 'SELECT count(*) FROM schemamig.revision'), '0',
	'nothing was registered on the worker');

# ---- the application schema ------------------------------------------------------
$coord->safe_psql('postgres', q{
  CREATE TABLE countries (code text PRIMARY KEY, name text);
  SELECT create_reference_table('countries');
  CREATE TABLE orders (id bigint PRIMARY KEY, country text, amount int);
  SELECT create_distributed_table('orders', 'id');
  INSERT INTO countries VALUES ('fr', 'France'), ('de', 'Germany');
  INSERT INTO orders SELECT g, CASE WHEN g % 2 = 0 THEN 'fr' ELSE 'de' END, g
    FROM generate_series(1, 20000) g;
  SELECT schemamig.add_revision('c1', 'baseline', 'SELECT 1', 'SELECT 1', '{}');
  SELECT count(*) FROM schemamig.upgrade('head');
  SELECT schemamig.acknowledge_drift();
});

# a shard of "orders" placed on worker1, and its name there
my $shard = $coord->safe_psql('postgres', sprintf(q{
  SELECT shard_name FROM citus_shards
   WHERE table_name = 'orders'::regclass AND nodeport = %d
   ORDER BY shardid LIMIT 1}, $w1->port));
like($shard, qr/^orders_\d+$/, "a shard of orders on worker1: $shard");

# ---- 2. schemamig.lock_timeout reaches the workers -------------------------------
my $holder = $w1->background_psql('postgres');
# Citus refuses direct changes to shards unless told
$holder->query_safe("SET citus.enable_manual_changes_to_shards = on; BEGIN; LOCK TABLE $shard IN ACCESS EXCLUSIVE MODE;");
$coord->safe_psql('postgres', q{
  SELECT schemamig.add_revision('c2', 'add note', 'ALTER TABLE orders ADD COLUMN note text',
                                'ALTER TABLE orders DROP COLUMN note');
});
# statement_timeout is the safety net: a lock wait that does not time out on
# the worker ends as 57014, not as the 55P03 asserted here
foreach my $case (
	[ 'upgrade() in autocommit', q{SELECT count(*) FROM schemamig.upgrade('head');} ],
	[ 'upgrade() inside BEGIN', q{BEGIN; SELECT count(*) FROM schemamig.upgrade('head'); COMMIT;} ],
	[ 'upgrade() inside BEGIN with propagate_set_commands = local',
	  q{BEGIN; SET LOCAL citus.propagate_set_commands = 'local'; SELECT count(*) FROM schemamig.upgrade('head'); COMMIT;} ],
	[ 'upgrade_each', q{CALL schemamig.upgrade_each('head');} ])
{
	my ($name, $sql) = @$case;
	my ($rc, $out, $err) = run_sql($coord, qq{
	  SET statement_timeout = '20s';
	  SET schemamig.lock_timeout = '200ms';
	  SET schemamig.lock_retries = 1;
	  $sql});
	isnt($rc, 0, "$name: fails while the shard is locked");
	like($err, qr/ERROR:  55P03/, "$name: with lock_not_available from the worker");
}
$holder->query_safe('COMMIT');
$holder->quit;
is($coord->safe_psql('postgres', q{SELECT string_agg(revision, ',') FROM schemamig.current()}),
	'c1', 'nothing was applied while the shard was locked');
$coord->safe_psql('postgres', q{SELECT count(*) FROM schemamig.upgrade('head')});
is($coord->safe_psql('postgres', q{SELECT string_agg(revision, ',') FROM schemamig.current()}),
	'c2', 'applied once the blocker is gone');
is($w1->safe_psql('postgres', qq{SELECT count(*) FROM pg_attribute WHERE attrelid = '$shard'::regclass AND attname = 'note'}),
	'1', 'the column reached the shard');

# ---- 4. Citus's own work stays out of the drift log and the fingerprint ----------
$coord->safe_psql('postgres', q{
  SELECT schemamig.acknowledge_drift();
  CREATE TABLE cities (id bigint PRIMARY KEY, country text REFERENCES countries (code), name text);
  ALTER TABLE countries ADD COLUMN population bigint;
});
is($coord->safe_psql('postgres', q{
  SELECT string_agg(command_tag || ' ' || object_identity, '; ' ORDER BY id)
    FROM schemamig.drift WHERE NOT acknowledged}),
	'CREATE TABLE public.cities; CREATE INDEX public.cities_pkey; ALTER TABLE public.cities; ALTER TABLE public.countries',
	'the drift log holds the user\'s DDL only, no shards, no automatic conversion');
is($coord->safe_psql('postgres', q{
  SELECT count(*) FROM schemamig.drift WHERE object_identity ~ '_[0-9]+( |$)'}),
	'0', 'no shard relation was ever logged') or diag($coord->safe_psql('postgres', q{
  SELECT string_agg(id || ' ' || command_tag || ' ' || object_identity || ' [' || coalesce(application_name, '') || '] ' || coalesce(statement, ''), E'\n' ORDER BY id)
    FROM schemamig.drift WHERE object_identity ~ '_[0-9]+( |$)'}));
my $fp = $coord->safe_psql('postgres', 'SELECT schemamig.fingerprint()');
is($coord->safe_psql('postgres', q{
  SET citus.show_shards_for_app_name_prefixes = '*';
  SELECT schemamig.fingerprint()}), $fp,
	'fingerprint() is the same when Citus shows its shards');
unlike($coord->safe_psql('postgres', q{
  SET citus.show_shards_for_app_name_prefixes = '*';
  SELECT schemamig.describe()::text}), qr/_\d{6}"/, 'describe() lists no shard');
$coord->safe_psql('postgres', q{
  DROP TABLE cities;
  ALTER TABLE countries DROP COLUMN population;
  SELECT schemamig.acknowledge_drift();
  SELECT schemamig.snapshot();
});
my ($rc, $out, $err) = run_sql($coord, q{SELECT severity, problem FROM schemamig.check()});
unlike($out, qr/drift|differs/, 'check() is clean before anyone touches a worker');

# ---- 3. DDL run directly on a worker shows in check() on the coordinator --------
my $manual = 'SET citus.enable_manual_changes_to_shards = on;';
$w1->safe_psql('postgres', qq{$manual ALTER TABLE $shard ADD COLUMN x int});
($rc, $out, $err) = run_sql($coord, q{SELECT severity, problem, detail FROM schemamig.check()});
like($out, qr/public\.$shard.*differs from.*public\.orders/s,
	'check() names the shard that differs from its distributed table');
like($out, qr/column x/, 'and what differs');
$w1->safe_psql('postgres', qq{$manual ALTER TABLE $shard DROP COLUMN x});
($rc, $out, $err) = run_sql($coord, q{SELECT severity, problem FROM schemamig.check()});
unlike($out, qr/differs from/, 'clean again once the shard matches');

$w1->safe_psql('postgres', qq{$manual CREATE INDEX stray_idx ON $shard (amount)});
($rc, $out, $err) = run_sql($coord, q{SELECT severity, problem, detail FROM schemamig.check()});
like($out, qr/public\.$shard.*differs from.*public\.orders/s, 'an index created on a worker shard shows');
$w1->safe_psql('postgres', qq{$manual DROP INDEX stray_idx});

$coord->safe_psql('postgres', q{
  SELECT * FROM run_command_on_shards('orders', $$ALTER TABLE %s ADD COLUMN y int$$);
});
($rc, $out, $err) = run_sql($coord, q{SELECT severity, problem, detail FROM schemamig.check()});
like($out, qr/differs from.*public\.orders/s, 'DDL through run_command_on_shards shows');
$coord->safe_psql('postgres', q{
  SELECT * FROM run_command_on_shards('orders', $$ALTER TABLE %s DROP COLUMN y$$);
});

# ---- 5. sizes are the distributed table's ----------------------------------------
$coord->safe_psql('postgres', q{
  SELECT schemamig.add_revision('c3', 'widen amount', 'ALTER TABLE orders ALTER COLUMN amount TYPE bigint',
                                'ALTER TABLE orders ALTER COLUMN amount TYPE int');
});
($rc, $out, $err) = run_sql($coord, q{
  SET schemamig.max_rewrite_size = '64kB';
  SELECT count(*) FROM schemamig.upgrade('head');
});
isnt($rc, 0, 'the rewrite guard refuses to rewrite the distributed table');
like($err, qr/public\.orders/, 'naming the distributed table');
unlike($err, qr/\b8192 bytes|\(8 kB\)/, 'with the distributed size, not the shell\'s');
$out = $coord->safe_psql('postgres', q{
  SELECT string_agg(rule || ': ' || message, E'\n') FROM schemamig.lint('ALTER TABLE orders ALTER COLUMN amount TYPE bigint')});
like($out, qr/kB|MB/, 'lint sees the distributed table\'s size') or diag($out);
unlike($out, qr/about 0 rows|empty/, 'lint does not take the distributed table for empty');
diag("lint says: $out");
$coord->safe_psql('postgres', q{SELECT schemamig.remove_revision('c3')});

# parallel DDL on a distributed table, then a statement that Citus refuses
# after a parallel operation (psql -1 fails so): sequential mode for the call
$coord->safe_psql('postgres', q{
  SELECT schemamig.acknowledge_drift();
  SELECT schemamig.add_revision('c3a', 'add tag', 'ALTER TABLE orders ADD COLUMN tag text', 'ALTER TABLE orders DROP COLUMN tag');
  SELECT schemamig.add_revision('c3b', 'a type', $$CREATE TYPE mood AS ENUM ('ok', 'ko')$$, 'DROP TYPE mood');
});
($rc, $out, $err) = run_sql($coord, q{SELECT count(*) FROM schemamig.upgrade('head')});
is($rc, 0, 'DDL on a distributed table followed by CREATE TYPE runs in one upgrade()') or diag($err);

# ---- 6. a multi-shard write then DDL in one transaction --------------------------
$coord->safe_psql('postgres', q{
  CREATE TABLE items (id bigint PRIMARY KEY, country text REFERENCES countries (code), qty int);
  SELECT create_distributed_table('items', 'id');
  INSERT INTO items SELECT g, 'fr', g FROM generate_series(1, 1000) g;
  SELECT schemamig.acknowledge_drift();
  SELECT schemamig.add_revision('c4', 'backfill qty', 'UPDATE items SET qty = qty + 1', 'UPDATE items SET qty = qty - 1');
  SELECT schemamig.add_revision('c5', 'add flag', 'ALTER TABLE items ADD COLUMN flag boolean', 'ALTER TABLE items DROP COLUMN flag');
});
($rc, $out, $err) = run_sql($coord, q{SELECT count(*) FROM schemamig.upgrade('head')});
is($rc, 0, 'a multi-shard UPDATE followed by DDL runs in one upgrade()') or diag($err);
is($coord->safe_psql('postgres', q{SELECT string_agg(revision, ',') FROM schemamig.current()}),
	'c5', 'both revisions applied');

# a revision's own SET LOCAL ends with the revision, on the workers too
$coord->safe_psql('postgres', q{
  SELECT schemamig.add_revision('c6', 'local setting',
    $$SET LOCAL work_mem = '1234kB'; ALTER TABLE items ADD COLUMN note text$$,
    'ALTER TABLE items DROP COLUMN note');
});
$out = $coord->safe_psql('postgres', q{
  BEGIN;
  SET LOCAL citus.propagate_set_commands = 'local';
  SELECT count(*) FROM schemamig.upgrade('head');
  SELECT current_setting('work_mem');
  SELECT current_setting('work_mem') FROM items WHERE id = 1;
  SELECT current_setting('lock_timeout') FROM items WHERE id = 2;
  COMMIT;
});
my @lines = split /\n/, $out;
isnt($lines[1], '1234kB', 'the revision\'s SET LOCAL does not outlive it on the coordinator');
isnt($lines[2], '1234kB', 'nor on the worker');
is($lines[3], '0', 'the per-revision lock_timeout is restored on the worker');

# plain DDL, but a foreign key joins items to the reference table countries:
# DDL on countries after parallel DDL on orders needs sequential mode too
$coord->safe_psql('postgres', q{
  SELECT schemamig.add_revision('c7', 'add tag2', 'ALTER TABLE orders ADD COLUMN tag2 text', 'ALTER TABLE orders DROP COLUMN tag2');
  SELECT schemamig.add_revision('c8', 'add iso', 'ALTER TABLE countries ADD COLUMN iso text', 'ALTER TABLE countries DROP COLUMN iso');
});
($rc, $out, $err) = run_sql($coord, q{SELECT count(*) FROM schemamig.upgrade('head')});
is($rc, 0, 'DDL on a distributed table, then on a referenced reference table, runs in one upgrade()') or diag($err);
is($coord->safe_psql('postgres', q{SELECT string_agg(revision, ',') FROM schemamig.current()}),
	'c8', 'both applied');

# ---- 7. check() lists drift in id order -----------------------------------------
$coord->safe_psql('postgres', q{
  SELECT schemamig.acknowledge_drift();
  CREATE TABLE d1 (id int); CREATE TABLE d2 (id int); CREATE TABLE d3 (id int);
  CREATE TABLE d4 (id int); CREATE TABLE d5 (id int); CREATE TABLE d6 (id int);
  CREATE TABLE d7 (id int); CREATE TABLE d8 (id int); CREATE TABLE d9 (id int);
  CREATE TABLE d10 (id int); CREATE TABLE d11 (id int);
});
$out = $coord->safe_psql('postgres', q{
  SELECT string_agg(substring(detail from 'public\.(d[0-9]+)'), ',')
    FROM schemamig.check() WHERE detail ~ 'public\.d[0-9]+'});
is($out, 'd1,d2,d3,d4,d5,d6,d7,d8,d9,d10,d11', 'drift rows in the order they happened');

$_->stop foreach @nodes;
done_testing();
