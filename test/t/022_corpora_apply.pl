# Every upgrade and downgrade case of the Alembic corpora (../shared/corpora),
# run through schemamig.upgrade()/downgrade(): the revisions applied, in
# order, and the version table after each step (from schemamig.log) must be
# Alembic's.  Revisions carry no-op SQL; each case starts from its "from"
# state set by stamp(..., purge => true) and is rolled back afterwards.
use strict;
use warnings;
use File::Basename;
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my @dirs = grep { -f "$_/answers.json" } corpora_dirs();

my $node = PostgreSQL::Test::Cluster->new('corpora_apply');
$node->init;
$node->start;

sub slurp_json
{
	my ($path) = @_;
	open my $fh, '<', $path or die "$path: $!";
	local $/;
	return decode_json(<$fh>);
}

sub lit
{
	my ($s) = @_;
	$s =~ s/'/''/g;
	return "'$s'";
}

sub arr
{
	my ($list) = @_;
	return "'{}'::text[]" unless @$list;
	return 'ARRAY[' . join(', ', map { lit($_) } @$list) . ']::text[]';
}

# run_case(direction, from, target) -> 'revs|heads after each step' or 'ERROR|sqlstate'
my $helper = q{
CREATE FUNCTION pg_temp.run_case(dir text, from_heads text[], target text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    result text;
    first_log bigint;
BEGIN
    BEGIN
        IF pg_catalog.cardinality(from_heads) = 0 THEN
            PERFORM schemamig.stamp('base', true);
        ELSE
            PERFORM schemamig.stamp(from_heads, true);
        END IF;
        SELECT coalesce(max(id), 0) INTO first_log FROM schemamig.log;
        IF dir = 'upgrade' THEN
            SELECT coalesce(string_agg(revision, ','), '') INTO result FROM schemamig.upgrade(target);
        ELSE
            SELECT coalesce(string_agg(revision, ','), '') INTO result FROM schemamig.downgrade(target);
        END IF;
        SELECT result || '|' || coalesce(string_agg(
                 (SELECT coalesce(string_agg(h, '+' ORDER BY h COLLATE "C"), '') FROM unnest(heads_after) h),
                 ';' ORDER BY id), '')
          INTO result FROM schemamig.log WHERE id > first_log;
        RAISE EXCEPTION USING ERRCODE = 'P0099', MESSAGE = result;
    EXCEPTION
        WHEN SQLSTATE 'P0099' THEN
            RETURN SQLERRM;
        WHEN OTHERS THEN
            RETURN 'ERROR|' || SQLSTATE || '|' || SQLERRM;
    END;
END $$;
};

my $dbn = 0;
for my $dir (@dirs)
{
	my $name = basename($dir);
	my $graph = slurp_json("$dir/graph.json");
	my $answers = slurp_json("$dir/answers.json");
	my $db = 'c' . $dbn++;
	$node->safe_psql('postgres', "CREATE DATABASE $db");

	my $load = "SET client_min_messages = warning;\nCREATE EXTENSION pg_schemamig;\n";
	for my $r (@$graph)
	{
		$load .= sprintf("SELECT schemamig.add_revision(%s, %s, 'SELECT 1', 'SELECT 1', %s, %s, %s);\n",
			lit($r->{revision}), lit($r->{message} // ''), arr($r->{down_revisions}),
			arr($r->{branch_labels}), arr($r->{depends_on}));
	}
	$node->safe_psql($db, $load);

	my @cases = grep { $_->{op} eq 'upgrade' || $_->{op} eq 'downgrade' } @{ $answers->{cases} };
	my $sql = "SET client_min_messages = warning;\n$helper\n";
	for my $c (@cases)
	{
		$sql .= sprintf("SELECT %d || '#' || pg_temp.run_case(%s, %s, %s);\n",
			$c->{id}, lit($c->{op}), arr($c->{from}), lit($c->{target}));
	}
	my %got;
	for my $line (split /\n/, $node->safe_psql($db, $sql))
	{
		my ($id, $rest) = split /#/, $line, 2;
		$got{$id} = $rest;
	}

	for my $c (@cases)
	{
		my $want = $c->{alembic_1_14_differs} ? $c->{result_alembic_1_14} : $c->{result};
		my $label = "$name case $c->{id} ($c->{tag}): $c->{op} $c->{target} from [@{$c->{from}}]";
		my $got = $got{ $c->{id} } // 'missing';
		if (exists $want->{error})
		{
			like($got, qr/^ERROR\|/, "$label fails like Alembic ($want->{error})");
			next;
		}
		my $exp = join(',', @{ $want->{revisions} }) . '|'
		  . join(';', map { join('+', sort @{ $_->{heads_after} }) } @{ $want->{steps} });
		is($got, $exp, $label);
	}
	$node->safe_psql('postgres', "DROP DATABASE $db");
}

$node->stop;
done_testing();
