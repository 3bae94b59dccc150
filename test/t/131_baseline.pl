# Copyright (c) pg_schemamig contributors
#
# baseline -m MSG: one base revision that creates the live schema as it is
# (the server's diff() of an empty desired schema, inverted), written,
# registered and stamped applied with nothing else touched.  Afterwards
# check is clean and upgrade head is a no-op; the file applied to an empty
# database reproduces the schema exactly, and its downgrade empties it.
use strict;
use warnings;
use File::Copy qw(copy);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my @client = client_command();

my $node = PostgreSQL::Test::Cluster->new('baseline');
$node->init;
$node->start;

my $tmp = PostgreSQL::Test::Utils::tempdir;
my $dir = "$tmp/migrations";
mkdir $dir or die;
delete $ENV{DATABASE_URL};

sub cli
{
	my ($db, $args, $ret, $out, $err, $name) = @_;
	my ($stdout, $stderr);
	local %ENV = %ENV;
	$ENV{PGHOST} = $node->host;
	$ENV{PGPORT} = $node->port;
	IPC::Run::run([ @client, '-d', "dbname=$db", '-D', $dir, @$args ], '>', \$stdout, '2>', \$stderr);
	is($? >> 8, $ret, "$name: exit status");
	if (ref $out) { like($stdout, $out, "$name: stdout"); }
	else { is($stdout, $out, "$name: stdout"); }
	like($stderr, $err, "$name: stderr");
	return $stdout;
}

sub sql { my ($db, $q) = @_; return $node->safe_psql($db, $q); }
sub fingerprint { return sql($_[0], "SELECT schemamig.fingerprint(ARRAY['public'])"); }

# a live schema built by hand, with rows
$node->safe_psql('postgres', 'CREATE DATABASE live');
sql('live', q{
CREATE EXTENSION pg_schemamig;
CREATE TYPE task_status AS ENUM ('todo', 'doing', 'done');
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email email NOT NULL UNIQUE, name text);
CREATE TABLE tasks (
  id serial PRIMARY KEY,
  owner_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) > 0),
  status task_status NOT NULL DEFAULT 'todo',
  priority smallint DEFAULT 2
);
CREATE INDEX tasks_owner_status ON tasks (owner_id, status) WHERE status <> 'done';
CREATE VIEW open_tasks AS SELECT id, title FROM tasks WHERE status <> 'done';
CREATE FUNCTION task_count(bigint) RETURNS bigint LANGUAGE plpgsql STABLE
  AS 'BEGIN RETURN (SELECT count(*) FROM tasks WHERE owner_id = $1); END';
-- a LANGUAGE sql body reading the table whose default calls it: no order
-- creates it with its body checked (the baseline runs it unchecked)
SET check_function_bodies = off;
CREATE FUNCTION note_rank() RETURNS integer LANGUAGE sql STABLE
  AS 'SELECT count(*)::integer FROM notes';
RESET check_function_bodies;
CREATE TABLE notes (id int, rank integer DEFAULT note_rank());
COMMENT ON TABLE tasks IS 'work items';
COMMENT ON COLUMN tasks.priority IS '1 = high';
INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada'), ('bob@example.com', 'Bob');
INSERT INTO tasks (owner_id, title, status) VALUES (1, 'write', 'doing'), (2, 'ship', 'todo');
});
# baseline's SQL is the server's diff() (src/diff); a build without it has
# nothing to test here
plan skip_all => 'this build of pg_schemamig has no schemamig.diff()'
  unless sql('live', "SELECT EXISTS (SELECT FROM pg_proc WHERE proname = 'diff' AND pronamespace = 'schemamig'::regnamespace)") eq 't';
my $live = fingerprint('live');
my $rows = sql('live', "SELECT string_agg(id || title, ',' ORDER BY id) FROM tasks");

cli('live', [ 'baseline', '-m', 'baseline of the live schema' ], 0,
	qr/Generating \S+_baseline_of_the_live_schema\.sql \.\.\.  done\nRunning stamp_revision  -> (\w+)\n/, qr/^$/, 'baseline');
opendir(my $dh, $dir) or die;
my @files = grep { /\.sql$/ } readdir($dh);
closedir $dh;
is(scalar(@files), 1, 'one file written');
my $text = slurp("$dir/$files[0]");
my ($id) = $text =~ /^-- revision: (\w+)$/m;
like($text, qr/-- down_revision:\n/, 'a base revision');
like($text, qr/-- \+upgrade\n.*CREATE TYPE public\.task_status.*CREATE TABLE public\.users.*CREATE TABLE public\.tasks.*CREATE VIEW public\.open_tasks.*-- \+downgrade\n.*DROP/s,
	'upgrade creates the schema in dependency order, downgrade drops it');
like($text, qr/^SET check_function_bodies = off;\nCREATE OR REPLACE FUNCTION public\.note_rank\(\).*?^RESET check_function_bodies;$/ms,
	'a LANGUAGE sql function is created with check_function_bodies off');
is(fingerprint('live'), $live, 'the live schema is untouched');
is(sql('live', "SELECT string_agg(id || title, ',' ORDER BY id) FROM tasks"), $rows, 'and its rows');
is(sql('live', "SELECT string_agg(revision, ',') FROM schemamig.version"), $id, 'stamped applied');
is(sql('live', "SELECT string_agg(direction, ',') FROM schemamig.log"), 'stamp', 'the log has the stamp only');
cli('live', ['check'], 0, qr/No problems detected/, qr/^$/, 'check is clean afterwards');
cli('live', [ 'upgrade', 'head' ], 0, '', qr/^$/, 'upgrade head is a no-op');
cli('live', ['current'], 0, "$id (head)\n", qr/^$/, 'current');

# the file on an empty database reproduces the schema exactly
$node->safe_psql('postgres', 'CREATE DATABASE fresh');
sql('fresh', 'CREATE EXTENSION pg_schemamig');
cli('fresh', [ 'upgrade', 'head' ], 0, qr/Running upgrade  -> $id, baseline of the live schema/, qr/^$/,
	'the baseline on an empty database');
is(fingerprint('fresh'), $live, 'reproduces the schema exactly');
cli('fresh', [ 'downgrade', 'base' ], 0, qr/Running downgrade $id -> /, qr/^$/, 'its downgrade');
is(sql('fresh', "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")
	 . sql('fresh', "SELECT count(*) FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd')")
	 . sql('fresh', "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"),
	'000', 'drops everything');
cli('fresh', [ 'upgrade', 'head' ], 0, qr/Running upgrade/, qr/^$/, 'and up again');
is(fingerprint('fresh'), $live, 'the same schema again');

# the history goes on from the baseline
write_file("$tmp/schema.sql", ($text =~ /-- \+upgrade\n(.*)-- \+downgrade\n/s)[0]);
cli('live', [ 'check', '--schema', "$tmp/schema.sql" ], 0, "No changes in schema detected.\n", qr/^$/,
	'the baseline upgrade as a desired schema matches the database');
write_file("$tmp/schema.sql", slurp("$tmp/schema.sql") . "ALTER TABLE public.tasks ADD COLUMN due date;\n");
cli('live', [ 'revision', '--autogenerate', '-m', 'due date', '--schema', "$tmp/schema.sql" ], 0,
	qr/Generating \S+_due_date\.sql/, qr/^$/, 'autogenerate on top of the baseline');
cli('live', [ 'upgrade', 'head' ], 0, qr/Running upgrade $id -> \w+, due date/, qr/^$/, 'upgrade');

# refusals
cli('live', [ 'baseline', '-m', 'again' ], 1, '', qr/already has 2 revisions; a baseline starts a history/,
	'baseline in a folder with revisions');
cli('live', [ 'baseline', 'extra' ], 2, '', qr/baseline takes no arguments/, 'baseline with an argument');
$node->safe_psql('postgres', 'CREATE DATABASE empty');
sql('empty', 'CREATE EXTENSION pg_schemamig');
$dir = "$tmp/empty_migrations";
mkdir $dir or die;
cli('empty', [ 'baseline' ], 1, '', qr/the schema "public" is empty: there is nothing to baseline/, 'baseline of nothing');
sql('empty', "SELECT schemamig.add_revision('r1', 'registered', 'SELECT 1', 'SELECT 1')");
sql('empty', 'CREATE TABLE t (id int)');
cli('empty', [ '--no-sync', 'baseline' ], 1, '', qr/already has registered or applied revisions/,
	'baseline of a database with a history');

$node->stop;
done_testing();
