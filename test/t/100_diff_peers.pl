# The peers' schema-diff tests (pg-schema-diff, migra, Alembic autogenerate)
# replayed against schemamig.diff(): ../shared/peer-suites/diff/cases/<name>/
# holds from.sql (the live schema), to.sql (the desired one) and meta.json
# (README there).  For every case, in a database holding from.sql:
#   - the upgrade steps reach the desired schema exactly: describe() after
#     them equals describe() of a fresh database that ran to.sql;
#   - a second diff right after the upgrade is empty;
#   - the downgrade steps (in reverse order) restore describe() of the live
#     schema exactly;
#   - a no_change case gives no step; a diff_error case (invalid desired DDL)
#     fails with the server's error and leaves nothing behind.
# Cases diff does not support on purpose are listed in %skip with the
# reason (docs/generating.md lists them too) and counted as skips.
use strict;
use warnings;

use File::Basename qw(dirname);
use File::Spec;
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $shared = $ENV{SHARED_DIR}
  // File::Spec->catdir(dirname(__FILE__), '..', '..', '..', 'shared');
my $dir = "$shared/peer-suites/diff/cases";
plan skip_all => "no peer suite at $dir" unless -d $dir;

# Deliberate differences (docs/generating.md, "What diff does not handle").
my %skip = (
	'migra-singleschema' =>
	  'the desired DDL also creates objects in schemas outside the diffed ones that collide with live ones; diff builds the whole DDL',
	'migra-excludeschema' =>
	  'the desired DDL also creates objects in a schema outside the diffed ones that collide with live ones; diff builds the whole DDL',
);


my $node = PostgreSQL::Test::Cluster->new('diff_peers');
$node->init;
$node->append_conf('postgresql.conf', "max_locks_per_transaction = 256\n");
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE peers');
$node->safe_psql('peers', 'CREATE EXTENSION pg_schemamig');

# back to what a fresh database has: no extension but ours, an empty public
my $reset = <<'SQL';
DO $reset$
DECLARE r record;
BEGIN
  FOR r IN SELECT extname FROM pg_extension WHERE extname NOT IN ('plpgsql', 'pg_schemamig') LOOP
    EXECUTE format('DROP EXTENSION %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', 'schemamig') LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  CREATE SCHEMA public;
  ALTER SCHEMA public OWNER TO pg_database_owner;
  GRANT USAGE ON SCHEMA public TO PUBLIC;
  COMMENT ON SCHEMA public IS 'standard public schema';
END
$reset$;
SET client_min_messages = warning;
SQL

my $filter = $ENV{DIFF_PEER_FILTER} // '';
opendir(my $dh, $dir) or die "cannot open $dir: $!";
my @cases = sort grep { !/^\./ && -d "$dir/$_" } readdir($dh);
closedir $dh;
@cases = grep { /$filter/ } @cases if $filter ne '';

sub slurp
{
	my ($path) = @_;
	open(my $fh, '<', $path) or die "cannot open $path: $!";
	local $/;
	my $t = <$fh>;
	close $fh;
	return $t;
}

sub lit
{
	my ($s) = @_;
	$s =~ s/'/''/g;
	return "'$s'";
}

my %roles;
my (%pass, %fail, %skipped);
foreach my $case (@cases)
{
	my $meta = JSON::PP->new->decode(slurp("$dir/$case/meta.json"));
	my ($source) = $case =~ /^([a-z]+)-/;
	if ($skip{$case})
	{
		$skipped{$source}++;
		SKIP: { skip "$case: $skip{$case}", 1; }
		next;
	}
	foreach my $r (@{ $meta->{roles} // [] })
	{
		next if $roles{$r}++;
		my $q = $r;
		$q = '"' . ($q =~ s/"/""/gr) . '"' unless $q =~ /^"/;
		$node->psql('postgres', "CREATE ROLE $q");
	}
	my $from = slurp("$dir/$case/from.sql");
	my $to = slurp("$dir/$case/to.sql");
	my @schemas = @{ $meta->{schemas} };
	my $sch = 'ARRAY[' . join(',', map { lit($_) } @schemas) . ']::text[]';
	my $target = $meta->{single_schema_public} ? "'public'" : $sch;
	my $tag = '$peer_case$';
	my ($ok, $why) = (1, '');
	my ($ret, $out, $err);
	my ($desired, $live);

	# the desired schema as a fresh database has it
	if ($meta->{expect} ne 'diff_error')
	{
		($ret, $out, $err) = $node->psql('peers', "$reset\n$to\n;\nSELECT 'DESIRED:' || schemamig.describe($sch)::text;",
			on_error_stop => 1);
		($desired) = $out =~ /^DESIRED:(.*)$/m;
		($ok, $why) = (0, "to.sql fails in a fresh database: $err") unless $ret == 0 && defined $desired;
	}
	if ($ok)
	{
		($ret, $out, $err) = $node->psql('peers', "$reset\n$from\n;\nSELECT 'LIVE:' || schemamig.describe($sch)::text;",
			on_error_stop => 1);
		($live) = $out =~ /^LIVE:(.*)$/m;
		($ok, $why) = (0, "from.sql fails: $err") unless $ret == 0 && defined $live;
	}

	if ($ok && $meta->{expect} eq 'diff_error')
	{
		($ret, $out, $err) = $node->psql('peers', "SELECT count(*) FROM schemamig.diff($tag$to$tag, $target)");
		my $after = $node->safe_psql('peers', "SELECT schemamig.describe($sch)");
		if ($ret == 0) { ($ok, $why) = (0, 'invalid desired DDL did not fail'); }
		elsif ($err !~ /ERROR:/) { ($ok, $why) = (0, "no server error: $err"); }
		elsif ($after ne $live) { ($ok, $why) = (0, 'a failed diff left something behind'); }
	}
	elsif ($ok)
	{
		($ret, $out, $err) = $node->psql('peers',
			"SELECT coalesce(json_agg(json_build_array(upgrade, downgrade, hazard) ORDER BY step), '[]') FROM schemamig.diff($tag$to$tag, $target)"
		);
		my $steps;
		if ($ret != 0)
		{
			($ok, $why) = (0, "diff fails: $err");
		}
		else
		{
			$steps = JSON::PP->new->decode($out);
		}
		if ($ok && $meta->{expect} eq 'no_change' && @$steps)
		{
			($ok, $why) = (0, 'no change expected, got ' . scalar(@$steps) . ' steps: ' . $steps->[0][0]);
		}
		if ($ok)
		{
			my $script = "BEGIN;\n";
			$script .= "$_->[0]\n" foreach @$steps;
			$script .= "SELECT 'UP:' || schemamig.describe($sch)::text;\n";
			$script .= "SELECT 'SECOND:' || count(*) || ':' || coalesce(min(upgrade), '') FROM schemamig.diff($tag$to$tag, $target);\n";
			$script .= "$_->[1]\n" foreach reverse @$steps;
			$script .= "SELECT 'DOWN:' || schemamig.describe($sch)::text;\nROLLBACK;\n";
			($ret, $out, $err) = $node->psql('peers', $script, on_error_stop => 1);
			my ($up) = $out =~ /^UP:(.*)$/m;
			my ($second) = $out =~ /^SECOND:(.*)$/m;
			my ($down) = $out =~ /^DOWN:(.*)$/m;
			if ($ret != 0) { ($ok, $why) = (0, "steps fail: $err"); }
			elsif (!defined $up || $up ne $desired) { ($ok, $why) = (0, "upgrade does not reach the desired schema:\n  got  $up\n  want $desired"); }
			elsif ($second !~ /^0:/) { ($ok, $why) = (0, "second diff not empty: $second"); }
			elsif ($down ne $live) { ($ok, $why) = (0, "downgrade does not restore the live schema:\n  got  $down\n  want $live"); }
			if (!$ok && @$steps)
			{
				$why .= "\n  steps:\n" . join("\n", map { "    up: $_->[0]\n    down: " . ($_->[1] // 'NULL') } @$steps);
			}
		}
	}
	if ($ok)
	{
		$pass{$source}++;
		ok(1, $case);
	}
	else
	{
		$fail{$source}++;
		ok(0, $case) or diag($why);
	}
}
foreach my $s (sort keys %{ { %pass, %fail, %skipped } })
{
	diag(sprintf("%s: %d passed, %d failed, %d documented skips", $s,
		$pass{$s} // 0, $fail{$s} // 0, $skipped{$s} // 0));
}
$node->stop;
done_testing();
