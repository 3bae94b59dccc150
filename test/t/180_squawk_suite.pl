# squawk's own rule tests, replayed through schemamig.lint().
#
# ../shared/peer-suites/squawk/cases.json holds squawk's 359 rule-test
# cases (SQL, the rule under test, whether squawk's test expects a
# violation, and a fixture: the tables and indexes the SQL uses but does not
# create); squawk_cli.json holds what squawk's CLI answers for each (which
# of the rule's family it reports).  For each case the fixture is built in
# a transaction, with 1,000 rows in every table (lint's size-aware rules
# are silent on empty tables, as a migration on a live database would not
# be), lint() runs, and the transaction rolls back.  schemamig.lock_timeout
# and schemamig.statement_timeout are 0, as squawk knows only the SQL: the
# timeout rules then judge the SQL's own SET statements.
#
# A positive case is caught when lint() reports (at any severity, not
# suppressed) every rule squawk's CLI reports for it, translated to our
# ids; a negative case is flagged when lint() reports the rule.  Every case
# must agree with squawk, except the deliberate differences listed in
# %deliberate below (each with its reason; docs/lint-rules.md says the same
# per rule): for those the test asserts our answer, so the list cannot go
# stale.  Per-rule counts are printed with diag().
use strict;
use warnings;

use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my $dir = shared_dir() . '/peer-suites/squawk';
my $json = JSON::PP->new->utf8;
my $cases = $json->decode(slurp("$dir/cases.json"))->{cases};
my $cli = $json->decode(slurp("$dir/squawk_cli.json"))->{cases};

# squawk's rule ids to ours (the same id unless listed)
my %ours = (
	'prefer-timestamp-tz' => ['prefer-timestamptz'],
	'require-lock-timeout' => ['require-timeout-settings'],
	'require-statement-timeout' => ['require-statement-timeout'],
	# squawk's older rule asks for both timeouts
	'require-timeout-settings' => [ 'require-timeout-settings', 'require-statement-timeout' ],
	# squawk's rule covers FOREIGN KEY too; ours has a rule of its own for it
	'constraint-missing-not-valid' => [ 'constraint-missing-not-valid', 'adding-foreign-key-constraint' ],
);

sub ours_of { my ($r) = @_; return @{ $ours{$r} // [$r] }; }

# squawk's cases for PostgreSQL versions whose behaviour differs from 15
my $old_pg = 'squawk lints for PostgreSQL 11 here; lint() answers for the server it runs on (15)';
my $one_xact = 'lint() assumes the SQL runs in one transaction, as upgrade() runs a revision; '
  . 'squawk assumes autocommit unless told otherwise';
my $tx_control = 'transaction-nesting reports every BEGIN/COMMIT: upgrade() runs each revision in a transaction of its own';
my $robust = 'prefer-robust-stmts is narrower: only CONCURRENTLY statements, which leave an INVALID index '
  . 'behind when they fail outside a transaction; transactional revisions roll back whole';
my $int_keys = 'prefer-bigint-over-int/-smallint are narrower: key columns only (primary key, identity, serial), '
  . 'where running out of values breaks inserts';
my $no_lock = 'timeout rules ask only for statements whose lock request would queue ordinary reads '
  . 'or writes behind it (SHARE or stronger on an existing table)';

# id => reason: cases where lint() deliberately answers otherwise
my %deliberate = (
	# ban-duplicate-column-assignments: PostgreSQL itself refuses every one
	# of these statements ("multiple assignments to same column", "column
	# specified more than once"), so the migration fails at once, harmlessly
	(map { ("ban_duplicate_column_assignments::$_" => 'no ban-duplicate-column-assignments: PostgreSQL refuses these statements itself') }
	  qw(duplicate_assignment_err fix_deletes_all_but_last_assignment
	  fix_preserves_comments_between_assignments duplicate_multiple_column_assignment_err
	  whole_and_partial_assignment_err names_use_postgres_case_rules
	  names_use_postgres_truncation_rules insert_err merge_insert_err create_table_err
	  create_foreign_table_err create_view_err create_view_with_duplicate_target_aliases_err
	  create_view_with_duplicate_inferred_names_err select_into_err conflict_update_err
	  merge_update_err)),

	'adding_field_with_default::docs_example_error_on_pg_11' => $old_pg,
	'adding_not_null_field::regression_gh_issue_628_pg11_with_validated_check_err' => $old_pg,
	'adding_not_null_field::pg11_cross_migration_validate_then_set_not_null_err' => $old_pg,

	'ban_char_field::all_the_types' => 'squawk\'s SQL is not valid PostgreSQL ("int array[]"): lint() reports only syntax-error',
	'ban_char_field::fix_char_with_length#4' => 'squawk\'s SQL is not valid PostgreSQL: quoted "char" is the one-byte type, which takes no length',
	'ban_char_field::fix_char_with_length#5' => 'squawk\'s SQL is not valid PostgreSQL: there is no type "character" (quoted)',

	'ban_concurrent_index_creation_in_transaction::assuming_in_transaction_err' =>
	  'lint() cannot know whether the revision is registered transactional; PostgreSQL refuses the statement in upgrade() with a hint',

	'constraint_missing_not_valid::adding_fk_not_valid_ok' => $one_xact,
	'constraint_missing_not_valid::adding_check_constraint_ok' => $one_xact,

	(map { ("transaction_nesting::$_" => $tx_control) }
	  qw(no_nesting_ok no_nesting_repeated_ok squawk_disable_assume_in_transaction_allows_begin_commit)),

	'prefer_repack::cluster_below_pg19_ok' => 'prefer-repack recommends pg_repack/pg_squeeze, which exist for PostgreSQL 15; squawk only suggests PostgreSQL 19\'s REPACK',
	'prefer_repack::vacuum_full_below_pg19_ok' => 'prefer-repack recommends pg_repack/pg_squeeze, which exist for PostgreSQL 15; squawk only suggests PostgreSQL 19\'s REPACK',

	(map { ("prefer_robust_stmts::$_" => $robust) }
	  qw(fix_drop_type_if_exists fix_drop_table_if_exists fix_create_table_if_not_exists
	  fix_alter_table_add_column_if_not_exists fix_alter_table_drop_column_if_exists
	  fix_alter_table_drop_constraint_if_exists alter_table_err alter_table_drop_column_err
	  create_table_err alter_table_drop_constraint_err enable_row_level_security_err
	  enable_row_level_security_without_exists_check_err disable_row_level_security_err
	  double_add_after_drop_err alter_column_set_not_null
	  create_temp_table_without_on_commit_drop_err create_table_with_on_commit_drop_err)),

	(map { ("prefer_bigint_over_int::$_" => $int_keys) }
	  ('fix_int_types#1', 'fix_int_types#2', 'fix_int_types#3', 'fix_mixed_case#1',
	   'fix_mixed_case#2', 'fix_mixed_case#3', 'fix_array_types#1', 'fix_array_types#2',
	   'fix_array_types#3', 'fix_array_types#4', 'fix_array_types#5')),
	(map { ("prefer_bigint_over_smallint::$_" => $int_keys) }
	  ('fix_smallint_types#1', 'fix_smallint_types#2', 'fix_mixed_case#1', 'fix_mixed_case#2',
	   'fix_array_types#1', 'fix_array_types#2', 'fix_array_types#3', 'fix_array_types#4')),

	'require_table_schema::alter_table_err' => 'require-table-schema is about where a table is created: ALTER and DROP find an existing table through search_path like every other statement',
	'require_table_schema::drop_table_err' => 'require-table-schema is about where a table is created: ALTER and DROP find an existing table through search_path like every other statement',

	'require_timeout_settings::err_other_ddl_operations' => "$no_lock: CREATE TYPE locks no table",
	'require_timeout_settings::err_comment_on_explains_lock_impact' => "$no_lock: COMMENT ON takes SHARE UPDATE EXCLUSIVE, which no read or write waits for",
	'require_timeout_settings::err_vacuum_full_false_uses_non_full_lock' => "$no_lock: plain VACUUM takes SHARE UPDATE EXCLUSIVE",
	'require_timeout_settings::err_lock_access_share_uses_correct_article' => "$no_lock: ACCESS SHARE conflicts only with ACCESS EXCLUSIVE",
	'require_timeout_settings::fix_multiple_ddl_statements' => "$no_lock: the table is created by the same SQL",
);

sub qi { my ($s) = @_; $s =~ s/"/""/g; return "\"$s\""; }

sub dq
{
	my ($s) = @_;
	my $tag = 'sq';
	$tag .= 'x' while index($s, "\$$tag\$") >= 0;
	return "\$$tag\$$s\$$tag\$";
}

sub qname { my ($schema, $name) = @_; return (defined $schema ? qi($schema) . '.' : '') . qi($name); }

# DDL that builds a case's fixture, every table with rows
sub fixture_sql
{
	my ($fx) = @_;
	my @tables = @{ $fx->{tables} };
	my %have = map { (($_->{schema} // '') . '.' . $_->{name}) => 1 } @tables;
	my %host_cols;
	my @indexes;
	foreach my $ix (@{ $fx->{indexes} })
	{
		my $host = $ix->{host} // "$ix->{name}_host";
		unless ($have{ ($ix->{schema} // '') . ".$host" }++)
		{
			push @tables, { schema => $ix->{schema}, name => $host, columns => [],
				alter_type_to => {}, not_valid_checks => [] };
		}
		$host_cols{ ($ix->{schema} // '') . ".$host" } = 1;
		push @indexes, [ $ix, $host ];
	}
	my %children;
	push @{ $children{ $_->{partition_of} } }, $_ foreach grep { $_->{partition_of} } @tables;

	my $sql = '';
	my %schemas = map { $_->{schema} => 1 } grep { defined $_->{schema} } @tables;
	$sql .= 'CREATE SCHEMA IF NOT EXISTS ' . qi($_) . ";\n" foreach sort keys %schemas;
	foreach my $t (grep { !$_->{partition_of} } @tables)
	{
		my @cols;
		foreach my $c (@{ $t->{columns} })
		{
			my $to = $t->{alter_type_to}{$c};
			# a type the case's ALTER ... TYPE really changes
			my $type = defined $to && $to =~ /^timestamp/ ? 'timestamptz' : 'integer';
			push @cols, qi($c) . " $type";
		}
		push @cols, 'fixture_key integer'
		  if $t->{partitioned} || ($host_cols{ ($t->{schema} // '') . ".$t->{name}" } && !@{ $t->{columns} });
		$sql .= 'CREATE TABLE ' . qname($t->{schema}, $t->{name}) . ' (' . join(', ', @cols) . ')'
		  . ($t->{partitioned} ? ' PARTITION BY LIST (fixture_key)' : '') . ";\n";
		if ($t->{partitioned})
		{
			my @parts = @{ $children{ $t->{name} } // [ { schema => $t->{schema}, name => "$t->{name}_default" } ] };
			my $n = 0;
			foreach my $p (@parts)
			{
				$sql .= 'CREATE TABLE ' . qname($p->{schema}, $p->{name}) . ' PARTITION OF '
				  . qname($t->{schema}, $t->{name})
				  . ($n++ == 0 ? ' DEFAULT' : " FOR VALUES IN ($n)") . ";\n";
			}
		}
		$sql .= 'INSERT INTO ' . qname($t->{schema}, $t->{name}) . " SELECT FROM pg_catalog.generate_series(1, 1000);\n";
		foreach my $chk (@{ $t->{not_valid_checks} })
		{
			$sql .= 'ALTER TABLE ' . qname($t->{schema}, $t->{name}) . ' ADD CONSTRAINT ' . qi($chk->{name})
			  . ' CHECK (' . qi($chk->{column}) . " IS NOT NULL) NOT VALID;\n";
		}
	}
	foreach my $i (@indexes)
	{
		my ($ix, $host) = @$i;
		my ($t) = grep { $_->{name} eq $host } @tables;
		my $col = @{ $t->{columns} } ? $t->{columns}[0] : 'fixture_key';
		$sql .= 'CREATE INDEX ' . qi($ix->{name}) . ' ON ' . qname($ix->{schema}, $host) . ' (' . qi($col) . ");\n";
	}
	return $sql;
}

my $node = PostgreSQL::Test::Cluster->new('squawk');
$node->init(extra => [ '--encoding=UTF8', '--locale=C' ]);
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_schemamig');

# one transaction per case: fixture, lint, rollback
my $script = "SET schemamig.lock_timeout = 0;\nSET schemamig.statement_timeout = 0;\n";
foreach my $c (@$cases)
{
	$script .= "BEGIN;\n" . fixture_sql($c->{fixture})
	  . 'SELECT ' . dq($c->{id}) . " || '|' || coalesce(pg_catalog.string_agg(DISTINCT rule, ',' ORDER BY rule), '') "
	  . 'FROM schemamig.lint(' . dq($c->{sql}) . ") WHERE message NOT LIKE 'suppressed:%';\nROLLBACK;\n";
}
my $out = $node->safe_psql('postgres', $script);
my %got;
foreach my $line (split /\n/, $out)
{
	my ($id, $rules) = split /\|/, $line, 2;
	$got{$id} = { map { $_ => 1 } split /,/, ($rules // '') };
}
is(scalar(keys %got), scalar(@$cases), 'every case linted');

my (%stat, %seen_deliberate);
foreach my $c (@$cases)
{
	my $id = $c->{id};
	my $rule = $c->{rule};
	my $found = $got{$id} // {};
	my $answer;
	if ($c->{expect_violation})
	{
		# every rule of the family squawk's CLI reports
		my @want = @{ $cli->{$id}{relevant} };
		@want = ($rule) unless @want;
		$answer = 1;
		foreach my $w (@want)
		{
			$answer = 0 unless grep { $found->{$_} } ours_of($w);
		}
		$stat{$rule}{pos}++;
		$stat{$rule}{caught}++ if $answer;
	}
	else
	{
		$answer = (grep { $found->{$_} } ours_of($rule)) ? 1 : 0;
		$stat{$rule}{neg}++;
		$stat{$rule}{flagged}++ if $answer;
	}
	my $expected = $c->{expect_violation} ? 1 : 0;
	my $what = ($c->{expect_violation} ? 'caught' : 'silent') . ' [' . join(',', sort keys %$found) . ']';
	if (exists $deliberate{$id})
	{
		$seen_deliberate{$id} = 1;
		$stat{$rule}{deliberate}++;
		isnt($answer, $expected, "$id: deliberately differs ($deliberate{$id}) [" . join(',', sort keys %$found) . ']');
	}
	else
	{
		is($answer, $expected, "$id: $what");
	}
}
is_deeply([ sort grep { !$seen_deliberate{$_} } keys %deliberate ], [], 'every deliberate difference names a case');

my ($tp, $tc, $tn, $tf, $td) = (0, 0, 0, 0, 0);
foreach my $rule (sort keys %stat)
{
	my $s = $stat{$rule};
	$tp += $s->{pos} // 0; $tc += $s->{caught} // 0;
	$tn += $s->{neg} // 0; $tf += $s->{flagged} // 0; $td += $s->{deliberate} // 0;
	diag(sprintf('%-46s caught %2d/%-2d  flagged %2d/%-2d%s', $rule,
		$s->{caught} // 0, $s->{pos} // 0, $s->{flagged} // 0, $s->{neg} // 0,
		$s->{deliberate} ? "  ($s->{deliberate} deliberate)" : ''));
}
diag("squawk suite: caught $tc/$tp positives, flagged $tf/$tn negatives, $td deliberate differences");

$node->stop;
done_testing();
