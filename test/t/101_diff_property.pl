# Property test of schemamig.diff(): seeded random schema pairs (A, B), B a
# random mutation of A.  For each pair, with A built in schema s<i>:
#   - the upgrade steps of diff(B, 's<i>') make s<i> describe exactly like
#     B built alone in a fresh schema;
#   - a second diff right after is empty;
#   - the downgrade steps, in reverse order, give back A's description;
#   - diff(A, 's<i>') on the unchanged A is empty.
# DIFF_PROPERTY_PAIRS (default 100 in the suite; the 1,000-pair run is in
# docs/generating.md) and DIFF_PROPERTY_SEED (default 42)
# choose the run; a failure prints the pair's DDL so it can be replayed.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $pairs = $ENV{DIFF_PROPERTY_PAIRS} // 100;
my $seed = $ENV{DIFF_PROPERTY_SEED} // 42;
srand($seed);

my $node = PostgreSQL::Test::Cluster->new('diff_property');
$node->init;
$node->append_conf('postgresql.conf', "max_locks_per_transaction = 512\n");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION pg_schemamig');
$node->safe_psql('postgres', <<'SQL');
CREATE SCHEMA prop;
-- check(i, a, b): 'ok' or what went wrong; everything rolled back
CREATE FUNCTION prop.check(i int, a text, b text) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  s text := 's' || i;
  w text := 'w' || i;
  want jsonb; live jsonb; got jsonb; back jsonb;
  n int; second int; same int;
  ups text[] := '{}'; downs text[] := '{}';
  r record;
  result text := 'ok';
BEGIN
  BEGIN
    EXECUTE format('CREATE SCHEMA %I', w);
    PERFORM set_config('search_path', w, true);
    EXECUTE b;
    want := schemamig.describe(ARRAY[w]) -> w;
    EXECUTE format('CREATE SCHEMA %I', s);
    PERFORM set_config('search_path', s, true);
    EXECUTE a;
    PERFORM set_config('search_path', 'prop', true);
    live := schemamig.describe(ARRAY[s]) -> s;
    SELECT count(*) INTO same FROM schemamig.diff(a, s);
    FOR r IN SELECT * FROM schemamig.diff(b, s) ORDER BY step LOOP
      ups := ups || r.upgrade;
      downs := r.downgrade || downs;
    END LOOP;
    FOR k IN 1 .. coalesce(array_length(ups, 1), 0) LOOP
      EXECUTE ups[k];
    END LOOP;
    got := schemamig.describe(ARRAY[s]) -> s;
    SELECT count(*) INTO second FROM schemamig.diff(b, s);
    FOR k IN 1 .. coalesce(array_length(downs, 1), 0) LOOP
      EXECUTE downs[k];
    END LOOP;
    back := schemamig.describe(ARRAY[s]) -> s;
    IF same <> 0 THEN result := 'diff of the unchanged schema has ' || same || ' steps';
    ELSIF got IS DISTINCT FROM want THEN result := 'upgrade differs: got ' || got || ' want ' || want;
    ELSIF second <> 0 THEN result := 'second diff has ' || second || ' steps';
    ELSIF back IS DISTINCT FROM live THEN result := 'downgrade differs: got ' || back || ' want ' || live;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'P0099', MESSAGE = result;
  EXCEPTION
    WHEN SQLSTATE 'P0099' THEN result := SQLERRM;
    WHEN OTHERS THEN result := 'error: ' || SQLERRM || ' | steps: ' || array_to_string(ups, ' ');
  END;
  RETURN result;
END $fn$;
SQL

my @types = ('integer', 'bigint', 'text', 'varchar(20)', 'varchar(40)', 'boolean',
	'numeric(10,2)', 'date', 'timestamptz', 'mood');
my %default_for = (
	'integer' => '0', 'bigint' => '1', 'text' => q{'x'}, 'varchar(20)' => q{'y'},
	'varchar(40)' => q{'z'}, 'boolean' => 'false', 'numeric(10,2)' => '1.5',
	'date' => 'CURRENT_DATE', 'timestamptz' => 'now()', 'mood' => q{'ok'});
# compatible type changes (an assignment cast exists)
my %widen = ('integer' => 'bigint', 'varchar(20)' => 'varchar(40)', 'bigint' => 'numeric(10,2)',
	'varchar(40)' => 'text', 'date' => 'timestamptz');

sub pick { return $_[ int(rand(@_)) ]; }

sub random_schema
{
	my %s = (labels => [qw(sad ok happy)], tables => [], seq => int(rand(2)),
		fn => int(rand(2)) ? 'a + b' : undef);
	my $nt = 1 + int(rand(4));
	for my $t (1 .. $nt)
	{
		my @cols = ({ name => 'id', type => pick('integer', 'bigint'), notnull => 1 });
		my $nc = 1 + int(rand(5));
		for my $c (1 .. $nc)
		{
			my $type = pick(@types);
			push @cols, { name => "c$c", type => $type, notnull => int(rand(3)) == 0,
				default => int(rand(3)) == 0 ? $default_for{$type} : undef };
		}
		my %t = (name => "t$t", cols => \@cols, pk => int(rand(5)) > 0,
			comment => int(rand(4)) == 0 ? "table t$t" : undef, indexes => [], checks => [],
			fks => []);
		$s{serial} = "t$t" if !defined $s{serial} && int(rand(3)) == 0;
		push @{ $s{tables} }, \%t;
	}
	foreach my $t (@{ $s{tables} })
	{
		my @c = grep { $_->{name} ne 'id' } @{ $t->{cols} };
		next unless @c;
		push @{ $t->{indexes} }, { name => "$t->{name}_i1", cols => [ pick(@c)->{name} ],
			unique => int(rand(3)) == 0, where => int(rand(3)) == 0 }
		  if int(rand(2));
		my ($num) = grep { $_->{type} =~ /^(integer|bigint|numeric)/ } @c;
		push @{ $t->{checks} }, { name => "$t->{name}_ck", col => $num->{name}, n => int(rand(10)) }
		  if $num && int(rand(2));
		# a foreign key to an earlier table with a primary key
		my @targets = grep { $_->{pk} && $_ != $t } @{ $s{tables} };
		if (@targets && int(rand(2)))
		{
			my $to = pick(@targets);
			my $col = { name => "ref_$to->{name}", type => $to->{cols}[0]{type} };
			push @{ $t->{cols} }, $col;
			push @{ $t->{fks} }, { name => "$t->{name}_fk", col => $col->{name}, to => $to->{name},
				action => pick('NO ACTION', 'CASCADE', 'SET NULL') };
		}
	}
	$s{view} = $s{tables}[0]{name} if int(rand(2));
	return \%s;
}

sub clone
{
	my ($x) = @_;
	return [ map { clone($_) } @$x ] if ref $x eq 'ARRAY';
	return { map { $_ => clone($x->{$_}) } keys %$x } if ref $x eq 'HASH';
	return $x;
}

sub mutate
{
	my ($s) = @_;
	my $b = clone($s);
	my $nops = 1 + int(rand(3));
	for (1 .. $nops)
	{
		my $op = int(rand(14));
		my $t = pick(@{ $b->{tables} });
		my @c = grep { $_->{name} ne 'id' && $_->{name} !~ /^ref_/ } @{ $t->{cols} };
		my $c = @c ? pick(@c) : undef;
		if ($op == 0) { push @{ $b->{tables} }, { name => 'n' . int(rand(1000)), cols => [ { name => 'id', type => 'integer', notnull => 1 }, { name => 'v', type => pick(@types) } ], pk => 1, indexes => [], checks => [], fks => [] }; }
		elsif ($op == 1 && @{ $b->{tables} } > 1)
		{
			my $gone = pop @{ $b->{tables} };
			foreach my $o (@{ $b->{tables} })
			{
				$o->{fks} = [ grep { $_->{to} ne $gone->{name} } @{ $o->{fks} } ];
			}
			delete $b->{view} if $b->{view} && $b->{view} eq $gone->{name};
			delete $b->{serial} if $b->{serial} && $b->{serial} eq $gone->{name};
		}
		elsif ($op == 2) { push @{ $t->{cols} }, { name => 'a' . int(rand(1000)), type => pick(@types), notnull => int(rand(2)), default => int(rand(2)) ? "7" : undef }; $t->{cols}[-1]{default} = $default_for{ $t->{cols}[-1]{type} } if defined $t->{cols}[-1]{default}; }
		elsif ($op == 3 && $c)
		{
			$t->{cols} = [ grep { $_ != $c } @{ $t->{cols} } ];
			$t->{indexes} = [ grep { $_->{cols}[0] ne $c->{name} } @{ $t->{indexes} } ];
			$t->{checks} = [ grep { $_->{col} ne $c->{name} } @{ $t->{checks} } ];
		}
		elsif ($op == 4 && $c && $widen{ $c->{type} } && !$c->{default}) { $c->{type} = $widen{ $c->{type} }; }
		elsif ($op == 5 && $c) { $c->{notnull} = !$c->{notnull}; }
		elsif ($op == 6 && $c) { $c->{default} = defined $c->{default} ? undef : $default_for{ $c->{type} }; }
		elsif ($op == 7 && $c) { push @{ $t->{indexes} }, { name => "$t->{name}_x" . int(rand(100)), cols => [ $c->{name} ], unique => 0, where => int(rand(2)) }; }
		elsif ($op == 8) { pop @{ $t->{indexes} }; }
		elsif ($op == 9) { my $l = $b->{labels}; splice(@$l, int(rand(@$l + 1)), 0, 'v' . int(rand(100))) unless grep { /^v/ } @$l; }
		elsif ($op == 10) { $b->{labels} = [ grep { $_ ne 'sad' } @{ $b->{labels} } ]; }
		elsif ($op == 11) { $b->{view} = $b->{view} ? undef : $b->{tables}[0]{name}; }
		elsif ($op == 12) { $b->{fn} = defined $b->{fn} ? ($b->{fn} eq 'a + b' ? 'a * b' : undef) : 'a - b'; }
		elsif ($op == 13) { $t->{comment} = $t->{comment} ? undef : 'changed'; $t->{pk} = !$t->{pk} unless grep { $_->{to} eq $t->{name} } map { @{ $_->{fks} } } @{ $b->{tables} }; }
	}
	return $b;
}

sub render
{
	my ($s) = @_;
	my @ddl;
	push @ddl, "CREATE TYPE mood AS ENUM (" . join(', ', map { "'$_'" } @{ $s->{labels} }) . ");";
	push @ddl, "CREATE SEQUENCE counter START 5;" if $s->{seq};
	push @ddl, "CREATE FUNCTION f(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN $s->{fn};" if defined $s->{fn};
	foreach my $t (@{ $s->{tables} })
	{
		my @cd;
		foreach my $c (@{ $t->{cols} })
		{
			my $type = $c->{type};
			$type = 'serial' if $c->{name} eq 'id' && $s->{serial} && $s->{serial} eq $t->{name} && $type eq 'integer';
			# drop a default that no longer fits a mood column without the label
			my $d = $c->{default};
			$d = undef if defined $d && $type eq 'mood' && !grep { $_ eq 'ok' } @{ $s->{labels} };
			push @cd, "$c->{name} $type" . ($c->{notnull} ? ' NOT NULL' : '') . (defined $d ? " DEFAULT $d" : '');
		}
		push @cd, 'PRIMARY KEY (id)' if $t->{pk};
		push @ddl, "CREATE TABLE $t->{name} (" . join(', ', @cd) . ");";
		push @ddl, "COMMENT ON TABLE $t->{name} IS '$t->{comment}';" if $t->{comment};
	}
	my %haspk = map { $_->{name} => $_->{pk} } @{ $s->{tables} };
	foreach my $t (@{ $s->{tables} })
	{
		my %cols = map { $_->{name} => $_ } @{ $t->{cols} };
		foreach my $i (@{ $t->{indexes} })
		{
			next unless $cols{ $i->{cols}[0] };
			push @ddl, "CREATE " . ($i->{unique} ? 'UNIQUE ' : '') . "INDEX $i->{name} ON $t->{name} ($i->{cols}[0])"
			  . ($i->{where} ? " WHERE id > 0" : '') . ';';
		}
		foreach my $k (@{ $t->{checks} })
		{
			next unless $cols{ $k->{col} } && $cols{ $k->{col} }{type} =~ /^(integer|bigint|numeric)/;
			push @ddl, "ALTER TABLE $t->{name} ADD CONSTRAINT $k->{name} CHECK ($k->{col} > $k->{n});";
		}
		foreach my $f (@{ $t->{fks} })
		{
			next unless $haspk{ $f->{to} } && $cols{ $f->{col} };
			push @ddl, "ALTER TABLE $t->{name} ADD CONSTRAINT $f->{name} FOREIGN KEY ($f->{col}) REFERENCES $f->{to} (id) ON DELETE $f->{action};";
		}
	}
	if ($s->{view} && grep { $_->{name} eq $s->{view} } @{ $s->{tables} })
	{
		my ($t) = grep { $_->{name} eq $s->{view} } @{ $s->{tables} };
		push @ddl, "CREATE VIEW v AS SELECT " . join(', ', map { $_->{name} } @{ $t->{cols} }) . " FROM $t->{name};";
	}
	return join("\n", @ddl);
}

sub lit { my ($s) = @_; $s =~ s/'/''/g; return "'$s'"; }

my ($ok, $bad) = (0, 0);
my $batch = 25;
for (my $i = 1; $i <= $pairs; $i += $batch)
{
	my @sql;
	my %ddl;
	for my $j ($i .. ($i + $batch - 1 > $pairs ? $pairs : $i + $batch - 1))
	{
		my $a = random_schema();
		my $b = mutate($a);
		$ddl{$j} = [ render($a), render($b) ];
		push @sql, "SELECT '$j:' || prop.check($j, " . lit($ddl{$j}[0]) . ', ' . lit($ddl{$j}[1]) . ');';
	}
	my $out = $node->safe_psql('postgres', join("\n", @sql));
	foreach my $line (split /\n/, $out)
	{
		my ($j, $res) = $line =~ /^(\d+):(.*)$/ or next;
		if ($res eq 'ok') { $ok++; next; }
		$bad++;
		fail("pair $j (seed $seed)");
		diag("$res\n-- A:\n$ddl{$j}[0]\n-- B:\n$ddl{$j}[1]");
	}
}
diag("$pairs pairs (seed $seed): $ok exact, $bad failed");
is($ok, $pairs, "every pair round-trips exactly");
$node->stop;
done_testing();
