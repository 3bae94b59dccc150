# SQL-level fuzzing of every function of pg_schemamig: NULLs, empty and huge
# strings, multi-dimensional arrays and arrays with NULL elements, malformed
# targets and malformed SQL, plus pseudo-random combinations from a fixed
# seed.  Calls run in autocommit, inside transactions (one savepoint per
# call) and inside PL/pgSQL exception blocks.  Errors are expected; what must
# never happen is a backend crash.  After every batch one assertion checks
# that the postmaster was not restarted and that the server log shows no
# process terminated by a signal.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('fuzz');
$node->init;
$node->append_conf('postgresql.conf', q{
restart_after_crash = on
log_min_messages = warning
log_min_error_statement = panic
log_line_prefix = '%m [%p] %e '
});
$node->start;

$node->safe_psql('postgres', q{
  CREATE EXTENSION pg_schemamig;
  SELECT schemamig.add_revision('a1', 'one', 'CREATE TABLE fz_one (id int)', 'DROP TABLE fz_one', '{}');
  SELECT schemamig.add_revision('a2', 'two', 'CREATE TABLE fz_two (id int)', 'DROP TABLE fz_two', '{a1}',
                                '{lbl}');
  SELECT schemamig.add_revision('b1', 'side', 'CREATE TABLE fz_side (id int)', 'DROP TABLE fz_side', '{a1}');
  SELECT schemamig.add_revision('c1', 'nontx', 'CREATE INDEX CONCURRENTLY fz_ix ON fz_one (id)',
                                'DROP INDEX CONCURRENTLY fz_ix', '{a2}', '{}', '{}', false);
});

my $start_time = $node->safe_psql('postgres', 'SELECT pg_postmaster_start_time()');
my $log_offset = -s $node->logfile;

# One assertion per batch: the postmaster never reinitialised and no
# backend died from a signal since the previous batch.
sub server_survived
{
	my ($name) = @_;
	my ($ret, $now) = $node->psql('postgres', 'SELECT pg_postmaster_start_time()');
	my $log = slurp_file($node->logfile, $log_offset);
	$log_offset = -s $node->logfile;
	my @bad = grep { /terminated by signal|was terminated|server process .* exited with exit code [^0]/ }
	  split /\n/, $log;
	my $ok = ($ret == 0 && $now eq $start_time && !@bad);
	ok($ok, "server survived: $name");
	diag(join("\n", @bad[0 .. ($#bad < 5 ? $#bad : 5)])) if @bad;
	# keep going after a crash so later batches can still find bugs
	$node->poll_query_until('postgres', 'SELECT 1', '1') unless $ok;
	$start_time = $node->safe_psql('postgres', 'SELECT pg_postmaster_start_time()') unless $ok;
	return $ok;
}

# Run a list of statements in three modes.  Errors are ignored; psql goes on.
sub run_batch
{
	my ($name, @calls) = @_;
	my ($plain, $tx, $plpgsql) = ('', "BEGIN;\n", '');
	foreach my $c (@calls)
	{
		$plain .= "$c;\n";
		$tx .= "SAVEPOINT s;\n$c;\nROLLBACK TO SAVEPOINT s;\n";
		(my $body = $c) =~ s/^SELECT /PERFORM /;
		$body = "PERFORM 1 FROM ($c) AS q" if $body eq $c && $c =~ /^\s*(SELECT|VALUES|TABLE)/i;
		$plpgsql .= "DO \$fz\$ BEGIN $body; EXCEPTION WHEN OTHERS THEN NULL; END \$fz\$;\n"
		  unless $c =~ /^\s*(CALL|BEGIN|COMMIT|ROLLBACK|SET|RESET)\b/i;
	}
	$tx .= "ROLLBACK;\n";
	foreach my $mode (['autocommit', $plain], ['transaction', $tx], ['plpgsql', $plpgsql])
	{
		$node->psql('postgres', $mode->[1],
			on_error_stop => 0,
			extra_params => [ '-q', '-v', 'VERBOSITY=terse' ]);
	}
	server_survived($name);
}

sub q_lit
{
	my ($s) = @_;
	return 'NULL' unless defined $s;
	$s =~ s/'/''/g;
	return "'$s'";
}

# malformed and hostile text values
my @texts = (
	undef, '', ' ', '+', '-', '@', 'a@', '@head', 'head', 'base', 'heads', 'current',
	'head:base:head', 'base:head', 'a1:', ':a2', 'a1:a2', 'a1@head', 'lbl@head', 'lbl@-1',
	'lbl@+1', 'head-1', 'head+1', 'head+0', 'head-0', 'head+-1', 'base+1', 'base-1',
	'x+99999999999999999999', 'head+99999999999999999999', 'a1-99999999999999999999',
	'head-2147483648', 'head+2147483647', 'a1+2147483648', '-99999999999999999999',
	'a', 'a1', 'a2', 'b1', 'c1', 'A1', 'a1 ', "a1\t", "zz\x{e9}", "\x{263a}", "\x{1F600}",
	'a' x 64, 'a' x 65, 'x' x 10240, '@' x 10240, '+' x 4096, 'head' . ('+1' x 2000),
	'head@head@head', 'lbl@lbl@lbl', '%s%s%s%n', "a'b", 'a"b', 'a\\b', "a\nb",
);

# malformed SQL
my @sqls = (
	undef, '', ' ', ';', ';;;;', '-- only a comment', '/* only a comment */', '/* unterminated',
	"SELECT 'unterminated", 'SELECT $$unterminated', 'SELECT $a$ x $b$', 'SELECT E\'\\',
	'CREATE TABLE', 'SELECT 1; SELECT', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT x',
	'VACUUM', 'CREATE DATABASE fz_db', 'DROP DATABASE fz_db', 'ALTER SYSTEM SET work_mem = 1',
	'CREATE INDEX CONCURRENTLY ON fz_one (id)', 'SELECT schemamig.upgrade(\'head\')',
	'CALL schemamig.upgrade_each()', 'DO $$ BEGIN RAISE EXCEPTION \'x\'; END $$',
	'SELECT pg_catalog.pg_sleep(0)', 'ALTER TABLE fz_one ALTER COLUMN id TYPE bigint',
	"SELECT 1 /* nested /* comment */", 'SELECT ' . ('(' x 5000) . '1' . (')' x 5000),
	'SELECT 1;' x 2000, 'x' x 100000, "\x{263a}", 'CREATE TABLE "' . ('q' x 100) . '" ()',
	'COPY fz_one FROM STDIN', 'LISTEN x; NOTIFY x', 'PREPARE p AS SELECT 1; EXECUTE p',
	'SET LOCAL search_path = nothing', 'RESET ALL', 'DISCARD ALL', 'LOCK TABLE fz_one',
);

my @arrays = (
	'NULL', "'{}'", "'{NULL}'", "'{a1,NULL}'", "'{{a1,a2},{b1,c1}}'", "'{{a1}}'",
	"'[2:3]={a1,a2}'", "'{\"\"}'", "'{head}'", "'{a1,a1}'", "'{a2,b1}'", "'{lbl}'",
	"ARRAY[" . join(',', map { "'r$_'" } 1 .. 300) . "]", "ARRAY[repeat('x', 10240)]",
	"'{\"a\\\\b\"}'", "'{{{a1}}}'", "ARRAY[NULL]::text[]", "'{+,-,@}'", "'{pg_catalog}'",
	"'{public,schemamig}'", "'{\"no such schema\"}'", "'{\"\"}'",
);

my @bools = ('NULL', 'true', 'false');

# 1. NULLs and simple values for every function, position by position
my @fixed = (
	'SELECT schemamig.library_version()',
	'SELECT schemamig.checksum(NULL)', 'SELECT schemamig.checksum(NULL, NULL, NULL)',
	q{SELECT schemamig.checksum('', NULL, NULL)}, q{SELECT schemamig.checksum('x', 'y', NULL)},
	'SELECT schemamig.add_revision(NULL, NULL, NULL)',
	'SELECT schemamig.add_revision(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)',
	q{SELECT schemamig.add_revision('n1', NULL, 'SELECT 1', NULL, NULL, NULL, NULL, NULL)},
	q{SELECT schemamig.add_revision('n2', 'm', 'SELECT 1', NULL, '{}', NULL, NULL, NULL)},
	'SELECT schemamig.merge(NULL, NULL, NULL)', 'SELECT schemamig.merge()',
	'SELECT schemamig.remove_revision(NULL)', q{SELECT schemamig.remove_revision('')},
	'SELECT * FROM schemamig.heads(NULL)', 'SELECT * FROM schemamig.bases(NULL)',
	'SELECT * FROM schemamig.heads(true)', 'SELECT * FROM schemamig.bases(true)',
	'SELECT * FROM schemamig.branches()', 'SELECT * FROM schemamig.current()',
	'SELECT * FROM schemamig.history(NULL)', 'SELECT * FROM schemamig.show(NULL)',
	'SELECT schemamig.stamp(NULL::text, NULL)', 'SELECT schemamig.stamp(NULL::text[], NULL)',
	'SELECT schemamig.stamp(NULL::text)', 'SELECT schemamig.stamp(NULL::text[])',
	'SELECT * FROM schemamig.upgrade(NULL)', 'SELECT * FROM schemamig.downgrade(NULL)',
	'SELECT * FROM schemamig._each_steps(NULL, NULL)', q{SELECT * FROM schemamig._each_steps('head', NULL)},
	'SELECT schemamig._apply_step(NULL, NULL)', q{SELECT schemamig._apply_step('a1', NULL)},
	'SELECT * FROM schemamig.plan(NULL)',
	'SELECT schemamig._begin_step(NULL, NULL, NULL)', q{SELECT schemamig._begin_step('a1', 'upgrade', NULL)},
	q{SELECT schemamig._begin_step('a1', 'sideways', 1)}, q{SELECT schemamig._begin_step('a1', 'upgrade', -1)},
	q{SELECT schemamig._begin_step('a1', 'upgrade', 2147483647)},
	q{SELECT schemamig._begin_step('a1', 'downgrade', 0)},
	'SELECT schemamig._end_step(NULL, NULL)', q{SELECT schemamig._end_step('a1', NULL)},
	q{SELECT schemamig._end_step('a1', 'upgrade')}, q{SELECT schemamig._end_step('zz', 'downgrade')},
	'SELECT schemamig.upgrade_sql(NULL, NULL)', 'SELECT schemamig.downgrade_sql(NULL, NULL)',
	q{SELECT schemamig.upgrade_sql('head', NULL)}, q{SELECT schemamig.downgrade_sql('base', 'head')},
	'SELECT schemamig.describe(NULL)', 'SELECT schemamig.fingerprint(NULL)',
	'SELECT schemamig.snapshot()', 'SELECT schemamig.acknowledge_drift(NULL)',
	'SELECT schemamig.acknowledge_drift(-1)', 'SELECT schemamig.acknowledge_drift(9223372036854775807)',
	'SELECT * FROM schemamig."check"()',
	'SELECT schemamig.drift_ddl_command_end()', 'SELECT schemamig.drift_sql_drop()',
	'SELECT schemamig.rewrite_guard()',
	'SELECT * FROM schemamig.lint(NULL)', 'SELECT * FROM schemamig.review(NULL)',
	'CALL schemamig.upgrade_each(NULL)', 'CALL schemamig.downgrade_each(NULL)',
	q{CALL schemamig.upgrade_each('head')}, q{CALL schemamig.downgrade_each('base')},
);
run_batch('NULL and simple arguments', @fixed);

# 2. every text-target function with every hostile text value
my @target_calls;
foreach my $t (@texts)
{
	my $l = q_lit($t);
	push @target_calls,
	  "SELECT * FROM schemamig.show($l)",
	  "SELECT * FROM schemamig.history($l)",
	  "SELECT * FROM schemamig.plan($l)",
	  "SELECT schemamig.upgrade_sql($l, NULL)",
	  "SELECT schemamig.upgrade_sql('head', $l)",
	  "SELECT schemamig.downgrade_sql($l, 'head')",
	  "SELECT * FROM schemamig._each_steps($l, true)",
	  "SELECT * FROM schemamig._each_steps($l, false)",
	  "SELECT * FROM schemamig.review($l)";
}
run_batch('hostile targets in read-only functions', @target_calls);

my @mutating_target_calls;
foreach my $t (@texts)
{
	my $l = q_lit($t);
	push @mutating_target_calls,
	  "SELECT * FROM schemamig.upgrade($l)",
	  "SELECT * FROM schemamig.downgrade($l)",
	  "SELECT schemamig.stamp(${l}::text, false)",
	  "SELECT schemamig.stamp(ARRAY[$l]::text[], true)",
	  "SELECT schemamig._apply_step($l, true)",
	  "SELECT schemamig._apply_step($l, false)",
	  "SELECT schemamig._begin_step($l, 'upgrade', 1)",
	  "SELECT schemamig._end_step($l, 'downgrade')",
	  "SELECT schemamig.remove_revision($l)",
	  "SELECT schemamig.merge(NULL, $l, $l)",
	  "SELECT schemamig.checksum($l, $l, true)";
}
run_batch('hostile targets in mutating functions', @mutating_target_calls);

# 3. arrays: dimensions, NULL elements, lower bounds, size
my @array_calls;
foreach my $a (@arrays)
{
	push @array_calls,
	  "SELECT schemamig.stamp(${a}::text[], false)",
	  "SELECT schemamig.merge(${a}::text[], 'm', NULL)",
	  "SELECT schemamig.describe(${a}::text[])",
	  "SELECT schemamig.fingerprint(${a}::text[])",
	  "SELECT schemamig.add_revision('ar1', 'm', 'SELECT 1', NULL, ${a}::text[])",
	  "SELECT schemamig.add_revision('ar2', 'm', 'SELECT 1', NULL, '{}', ${a}::text[])",
	  "SELECT schemamig.add_revision('ar3', 'm', 'SELECT 1', NULL, '{}', '{}', ${a}::text[])";
}
run_batch('malformed arrays', @array_calls);

# 4. malformed SQL through lint, checksum, add_revision (then plan/upgrade it)
my @sql_calls;
my $n = 0;
foreach my $s (@sqls)
{
	my $l = q_lit($s);
	$n++;
	push @sql_calls,
	  "SELECT * FROM schemamig.lint($l)",
	  "SELECT schemamig.checksum($l, $l, false)",
	  "SELECT schemamig.add_revision('s$n', 'm', $l, $l, '{c1}')",
	  "SELECT schemamig.add_revision('t$n', 'm', $l, $l, '{c1}', '{}', '{}', false)",
	  "SELECT * FROM schemamig.review('s$n')",
	  "SELECT * FROM schemamig.review('t$n')",
	  "SELECT * FROM schemamig.plan('s$n')",
	  "SELECT schemamig.upgrade_sql('t$n')",
	  "SELECT * FROM schemamig.upgrade('s$n')",
	  "SELECT * FROM schemamig.downgrade('c1')",
	  "SELECT schemamig.remove_revision('s$n')",
	  "SELECT schemamig.remove_revision('t$n')";
}
run_batch('malformed SQL', @sql_calls);

# 5. hostile GUC values around the calls
my @guc_calls = (
	q{SET schemamig.tracked_schemas = ''}, q{SELECT schemamig.describe()},
	q{SET schemamig.tracked_schemas = ',,,'}, q{SELECT schemamig.fingerprint()},
	q{SET schemamig.tracked_schemas = '"unterminated'}, q{SELECT * FROM schemamig."check"()},
	q{SET schemamig.tracked_schemas = 'pg_catalog,information_schema'}, q{SELECT schemamig.snapshot()},
	q{SET schemamig.tracked_schemas = '} . ('s,' x 3000) . q{'}, q{SELECT schemamig.describe()},
	q{RESET schemamig.tracked_schemas},
	q{SET schemamig.statement_timeout = 1}, q{SELECT * FROM schemamig.upgrade('head')},
	q{SELECT * FROM schemamig.downgrade('base')},
	q{SET schemamig.lock_timeout = 1}, q{SET schemamig.lock_retries = 0},
	q{CALL schemamig.upgrade_each('head')}, q{CALL schemamig.downgrade_each('base')},
	q{SET schemamig.lint_on_upgrade = 'error'}, q{SELECT * FROM schemamig.upgrade('head')},
	q{SET schemamig.max_rewrite_size = 0},
	q{SELECT * FROM schemamig.upgrade('head')}, q{SELECT * FROM schemamig.downgrade('base')},
	q{SET schemamig.offline_script = on}, q{SELECT schemamig.upgrade_sql('head')},
	q{CREATE TABLE fz_guc (id int)}, q{DROP TABLE fz_guc},
	q{RESET ALL},
);
run_batch('hostile settings', @guc_calls);

# 6. pseudo-random combinations (fixed seed): random function, random
#    arguments from the pools above, plus upgrade/downgrade interleaved
srand(20261122);
my @funcs = (
	sub { "SELECT * FROM schemamig.show($_[0])" },
	sub { "SELECT * FROM schemamig.history($_[0])" },
	sub { "SELECT * FROM schemamig.upgrade($_[0])" },
	sub { "SELECT * FROM schemamig.downgrade($_[0])" },
	sub { "SELECT * FROM schemamig.plan($_[0])" },
	sub { "SELECT schemamig.stamp($_[0]::text, $_[2])" },
	sub { "SELECT schemamig.stamp($_[1]::text[], $_[2])" },
	sub { "SELECT schemamig.merge($_[1]::text[], $_[0], NULL)" },
	sub { "SELECT schemamig.add_revision($_[0], $_[0], $_[3], $_[3], $_[1]::text[], $_[1]::text[], $_[1]::text[], $_[2])" },
	sub { "SELECT schemamig.add_revision('r' || (random() * 1000)::int, 'm', $_[3], $_[3], $_[1]::text[])" },
	sub { "SELECT schemamig.remove_revision($_[0])" },
	sub { "SELECT schemamig.upgrade_sql($_[0], $_[0])" },
	sub { "SELECT schemamig.downgrade_sql($_[0], $_[0])" },
	sub { "SELECT * FROM schemamig._each_steps($_[0], $_[2])" },
	sub { "SELECT schemamig._apply_step($_[0], $_[2])" },
	sub { "SELECT schemamig._begin_step($_[0], $_[0], " . int(rand(5) - 1) . ")" },
	sub { "SELECT schemamig._end_step($_[0], $_[0])" },
	sub { "SELECT * FROM schemamig.lint($_[3])" },
	sub { "SELECT * FROM schemamig.review($_[0])" },
	sub { "SELECT schemamig.describe($_[1]::text[])" },
	sub { "SELECT schemamig.fingerprint($_[1]::text[])" },
	sub { "SELECT schemamig.snapshot()" },
	sub { "SELECT * FROM schemamig.\"check\"()" },
	sub { "SELECT * FROM schemamig.heads($_[2])" },
	sub { "SELECT * FROM schemamig.bases($_[2])" },
	sub { "SELECT schemamig.acknowledge_drift(NULL)" },
	sub { "SELECT * FROM schemamig.upgrade('head')" },
	sub { "SELECT * FROM schemamig.downgrade('base')" },
);
my @short_texts = grep { !defined $_ || length($_) < 200 } @texts;
my @short_sqls = grep { !defined $_ || length($_) < 200 } @sqls;
for my $round (1 .. 4)
{
	my @calls;
	for (1 .. 150)
	{
		my $f = $funcs[ int(rand(@funcs)) ];
		push @calls,
		  $f->(
			q_lit($short_texts[ int(rand(@short_texts)) ]),
			$arrays[ int(rand(@arrays)) ],
			$bools[ int(rand(@bools)) ],
			q_lit($short_sqls[ int(rand(@short_sqls)) ]));
	}
	run_batch("random combinations, round $round", @calls);
}

# 7. a catalog edited by hand (superusers can): every corruption runs in a
#    transaction that is rolled back, each call in its own savepoint
my @corruptions = (
	q{UPDATE schemamig.revision SET down_revisions = '{a2}' WHERE id = 'a1'},
	q{UPDATE schemamig.revision SET down_revisions = '{a1}' WHERE id = 'a1'},
	q{UPDATE schemamig.revision SET down_revisions = '{NULL}' WHERE id = 'a2'},
	q{UPDATE schemamig.revision SET down_revisions = '{{a1,a1}}' WHERE id = 'a2'},
	q{UPDATE schemamig.revision SET down_revisions = '{nosuch}' WHERE id = 'a2'},
	q{UPDATE schemamig.revision SET depends_on = '{c1}' WHERE id = 'a1'},
	q{UPDATE schemamig.revision SET depends_on = '{NULL,a1}' WHERE id = 'b1'},
	q{UPDATE schemamig.revision SET branch_labels = '{NULL}' WHERE id = 'a1'},
	q{UPDATE schemamig.revision SET branch_labels = '{a2}' WHERE id = 'a1'},
	q{UPDATE schemamig.revision SET branch_labels = '{lbl}' WHERE id = 'b1'},
	q{UPDATE schemamig.revision SET upgrade_sql = 'SELECT 1; COMMIT', checksum = 'x'},
	q{UPDATE schemamig.revision SET downgrade_sql = NULL, checksum_algorithm = 'nope'},
	q{INSERT INTO schemamig.version VALUES ('nosuch', 1), ('a1', 2), ('a2', 3)},
	q{INSERT INTO schemamig.version VALUES ('c1', 1), ('b1', 2)},
	q{INSERT INTO schemamig.version VALUES ('', 1)},
	q{DELETE FROM schemamig.revision WHERE id = 'a1'},
	q{TRUNCATE schemamig.log, schemamig.snapshot; INSERT INTO schemamig.snapshot (heads, fingerprint, algorithm) VALUES ('{NULL}', '', '')},
	q{INSERT INTO schemamig.snapshot (heads, schemas, fingerprint, algorithm) VALUES ('{}', '{{a,b}}', 'x', 'other')},
);
my @after_corruption = (
	'SELECT * FROM schemamig.heads()', 'SELECT * FROM schemamig.heads(true)',
	'SELECT * FROM schemamig.bases(true)', 'SELECT * FROM schemamig.branches()',
	'SELECT * FROM schemamig.current()', 'SELECT * FROM schemamig.history()',
	q{SELECT * FROM schemamig.history('base:head')}, q{SELECT * FROM schemamig.show('lbl@head')},
	q{SELECT * FROM schemamig.plan('head')}, q{SELECT * FROM schemamig.plan('base')},
	q{SELECT * FROM schemamig.upgrade('head')}, q{SELECT * FROM schemamig.downgrade('base')},
	q{SELECT * FROM schemamig.upgrade('+1')}, q{SELECT * FROM schemamig.downgrade('-1')},
	q{SELECT schemamig.upgrade_sql('head')}, q{SELECT schemamig.downgrade_sql('base', 'heads')},
	q{SELECT schemamig.stamp('head')}, q{SELECT schemamig.merge()},
	q{SELECT schemamig.add_revision('z1', 'm', 'SELECT 1')},
	q{SELECT schemamig.remove_revision('c1')}, q{SELECT * FROM schemamig.review('a2')},
	q{SELECT * FROM schemamig."check"()}, q{SELECT schemamig.snapshot()},
	q{SELECT schemamig._apply_step('a2', true)}, q{SELECT schemamig._begin_step('b1', 'upgrade', 1)},
);
my $corrupt_script = '';
foreach my $c (@corruptions)
{
	$corrupt_script .= "BEGIN;\n$c;\n";
	$corrupt_script .= "SAVEPOINT s;\n$_;\nROLLBACK TO SAVEPOINT s;\n" foreach @after_corruption;
	$corrupt_script .= "ROLLBACK;\n";
}
$node->psql('postgres', $corrupt_script, on_error_stop => 0, extra_params => ['-q']);
server_survived('catalog edited by hand');

# 8. no error a user can cause is reported as an internal error (XX000,
#    elog): those are for can't-happen conditions
my @internal = grep { / XX000 +(ERROR|FATAL):/ } split /\n/, slurp_file($node->logfile);
is(scalar(@internal), 0, 'no internal errors (XX000) from any call');
diag(join("\n", @internal[0 .. ($#internal < 10 ? $#internal : 10)])) if @internal;

# 9. the catalog still holds together: check() runs, heads resolve
my ($ret, $out, $err) = $node->psql('postgres', q{SELECT count(*) >= 0 FROM schemamig."check"()});
is($ret, 0, 'check() still runs after fuzzing');
($ret, $out, $err) = $node->psql('postgres', q{SELECT count(*) > 0 FROM schemamig.heads()});
is("$ret $out", '0 t', 'heads() still answers after fuzzing');

$node->stop;
done_testing();
