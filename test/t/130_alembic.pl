# Copyright (c) pg_schemamig contributors
#
# import-alembic on the test Alembic project (test/alembic_project: branches
# and a merge, a branch label, depends_on, enum types, data migrations, batch
# operations, a renamed column, date-prefixed file names, one irreversible
# revision), read with Debian's Alembic: every id, parent, label,
# dependency, message and file name equal to Alembic's script directory;
# upgrade head on an empty database gives Alembic's head schema (catalogs
# compared, column order aside) and its data; downgrades stop before the
# irreversible revision.  Adopting databases Alembic migrated: stamped with
# exactly alembic_version's rows (no revision SQL runs), a rerun changes
# nothing, an unknown revision fails naming it with nothing stamped, and an
# adopted database at a middle revision upgrades to Alembic's head schema.
# What offline mode cannot render is reported per revision.
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Copy qw(copy);
use File::Path qw(make_path);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use SchemamigTest;

my @client = client_command();
my $project = abs_path(dirname(abs_path(__FILE__)) . '/../alembic_project');
my $python = $ENV{PYTHON} // (-x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3');

my $node = PostgreSQL::Test::Cluster->new('alembic');
$node->init;
$node->start;

my $tmp = PostgreSQL::Test::Utils::tempdir;
my $dir = "$tmp/migrations";
delete $ENV{DATABASE_URL};

sub newdb
{
	my ($db, $ext) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION pg_schemamig') if $ext;
}

sub cli
{
	my ($args, $ret, $out, $err, $name) = @_;
	my ($stdout, $stderr);
	local %ENV = %ENV;
	$ENV{PGHOST} = $node->host;
	$ENV{PGPORT} = $node->port;
	$ENV{PYTHON} = $python;
	IPC::Run::run([ @client, '-D', $dir, @$args ], '>', \$stdout, '2>', \$stderr);
	is($? >> 8, $ret, "$name: exit status");
	if (ref $out) { like($stdout, $out, "$name: stdout"); }
	else { is($stdout, $out, "$name: stdout"); }
	like($stderr, $err, "$name: stderr");
	return $stdout;
}

# Alembic itself, online, on database $db
sub alembic
{
	my ($db, @args) = @_;
	my ($out, $err);
	local $ENV{ALEMBIC_URL} = 'postgresql:///' . $db . '?host=' . $node->host . '&port=' . $node->port;
	IPC::Run::run([ $python, '-m', 'alembic', '-c', "$project/alembic.ini", @args ], '>', \$out, '2>', \$err);
	is($?, 0, "alembic @args on $db") or diag($err);
	return $out;
}

sub py
{
	my ($code) = @_;
	my ($out, $err);
	IPC::Run::run([ $python, '-c', $code ], '>', \$out, '2>', \$err);
	is($?, 0, 'python snippet runs') or diag($err);
	return $out;
}

# the schema of "public" as the catalogs see it, column order aside, without
# Alembic's version table
my $catalog_sql = q{
SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'column ' || c.relname || '.' || a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') AS x
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
     AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> 'alembic_version'
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_catalog.pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'alembic_version'
  UNION ALL
  SELECT 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
   WHERE c.relnamespace = 'public'::regnamespace AND i.indrelid::regclass::text <> 'alembic_version'
  UNION ALL
  SELECT 'type ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace
   GROUP BY t.typname
  UNION ALL
  SELECT 'sequence ' || relname FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'comment ' || c.relname || ' ' || d.description
    FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
   WHERE c.relnamespace = 'public'::regnamespace
) s};
my $data_sql = q{SELECT (SELECT string_agg(id || ':' || full_name || ':' || role, ',' ORDER BY id) FROM users)
  || ' / ' || (SELECT string_agg(id || ':' || title || ':' || status || ':' || priority, ',' ORDER BY id) FROM tasks)};
sub catalog { return $node->safe_psql($_[0], $catalog_sql); }

# ---- import into a new migrations folder, no database
my $out = cli([ 'import-alembic', $project ], 0, qr/import-alembic: 9 written, 0 unchanged, 1 irreversible, 0 not imported/,
	qr/warning: revision f1e2d3c4b5a6 is irreversible: Alembic cannot render its downgrade \(NotImplementedError: PostgreSQL cannot remove a value from an enum type/,
	'import-alembic');
opendir(my $dh, "$project/versions") or die;
my @pyfiles = sort grep { /\.py$/ } readdir($dh);
closedir $dh;
is(scalar(@pyfiles), 9, 'the project has nine revisions');
foreach my $f (@pyfiles)
{
	(my $sql = $f) =~ s/\.py$/.sql/;
	ok(-f "$dir/$sql", "file name kept: $sql");
}
like(slurp("$dir/20240120_1630_f1e2d3c4b5a6_archive_status.sql"), qr/-- irreversible: true\n.*ADD VALUE 'archived'/s,
	'the irreversible revision has no downgrade');
my $merge = slurp("$dir/20240116_1200_e9a8b7c6d5e4_merge_reporting.sql");
like($merge, qr/-- down_revision: c4a0b1c2d3e4, d7f8a9b0c1d2\n/, 'the merge keeps both parents');
unlike($merge, qr/irreversible/, 'an empty merge is a reversible no-op');
unlike(slurp("$dir/20240106_1015_b7e2f0c1a9d3_create_tasks.sql"), qr/alembic_version|^BEGIN|^COMMIT/m,
	'no Alembic bookkeeping, no BEGIN/COMMIT');
like(slurp("$dir/20240111_0930_c4a0b1c2d3e4_report_periods.sql"),
	qr/ALTER TABLE reports ADD COLUMN period_start DATE.*CREATE INDEX ix_reports_period/s, 'batch operations as ALTER TABLE');

my %before;
$before{$_} = slurp("$dir/$_") foreach map { (my $s = $_) =~ s/\.py$/.sql/; $s } @pyfiles;
cli([ 'import-alembic', $project ], 0, qr/import-alembic: 0 written, 9 unchanged, 1 irreversible, 0 not imported/,
	qr/irreversible/, 'import-alembic again: nothing written');
is(slurp("$dir/$_"), $before{$_}, "unchanged: $_") foreach sort keys %before;

# ---- every id, parent, label, dependency and message equal to Alembic's
newdb('imported', 1);
cli([ '-d', 'dbname=imported', 'sync' ], 0, qr/sync: 9 added/, qr/^$/, 'sync the imported files');
my $alembic_meta = py(qq{
import os
os.chdir("$project")
from alembic.config import Config
from alembic.script import ScriptDirectory
s = ScriptDirectory.from_config(Config("alembic.ini"))
def l(v):
    return [] if v is None else [v] if isinstance(v, str) else list(v)
for r in sorted(s.walk_revisions(), key=lambda r: r.revision):
    print("|".join([r.revision, ",".join(l(r.down_revision)), ",".join(l(r._orig_branch_labels)),
                    ",".join(l(r.dependencies)), r.doc]))
});
my $ours = $node->safe_psql('imported',
	q{SELECT string_agg(concat_ws('|', id, array_to_string(down_revisions, ','), array_to_string(branch_labels, ','),
	  array_to_string(depends_on, ','), message), E'\n' ORDER BY id) FROM schemamig.revision});
is($ours . "\n", $alembic_meta, "ids, parents, labels, dependencies and messages equal Alembic's");
my $aheads = py(qq{
import os
os.chdir("$project")
from alembic.config import Config
from alembic.script import ScriptDirectory
print("\\n".join(sorted(ScriptDirectory.from_config(Config("alembic.ini")).get_heads())))
});
is($node->safe_psql('imported', 'SELECT string_agg(revision, E\'\n\' ORDER BY revision) FROM schemamig.heads()') . "\n",
	$aheads, "heads equal Alembic's");
is($node->safe_psql('imported', "SELECT string_agg(id, ',' ORDER BY id) FROM schemamig.revision WHERE downgrade_sql IS NULL"),
	'f1e2d3c4b5a6', 'exactly the irreversible revision has no downgrade');

# ---- upgrade head on an empty database = alembic upgrade head
newdb('alembic_head', 0);
alembic('alembic_head', 'upgrade', 'head');
cli([ '-d', 'dbname=imported', 'upgrade', 'head' ], 0, qr/(Running upgrade .*\n){9}/, qr/^$/, 'upgrade head');
is(catalog('imported'), catalog('alembic_head'), "upgrade head gives Alembic's head schema");
is($node->safe_psql('imported', $data_sql), $node->safe_psql('alembic_head', $data_sql),
	"and the data migrations' rows");

# downgrades stop before the irreversible revision
my $head_catalog = catalog('imported');
cli([ '-d', 'dbname=imported', 'downgrade', 'base' ], 1, '',
	qr/revision "f1e2d3c4b5a6" cannot be downgraded.*\n.*nothing was run/, 'downgrade base stops at the irreversible revision');
is(catalog('imported'), $head_catalog, 'nothing was downgraded');
cli([ '-d', 'dbname=imported', 'downgrade', 'f1e2d3c4b5a6' ], 0, qr/Running downgrade a0b9c8d7e6f5 -> f1e2d3c4b5a6/, qr/^$/,
	'downgrade to the irreversible revision');
cli([ '-d', 'dbname=imported', 'upgrade', 'head' ], 0, qr/Running upgrade f1e2d3c4b5a6 -> a0b9c8d7e6f5/, qr/^$/, 'and up again');
is(catalog('imported'), $head_catalog, 'the same head schema again');

# ---- adopt a database Alembic migrated to a middle revision on one branch,
# plus the other branch's head: two rows in alembic_version
newdb('adopt', 1);
alembic('adopt', 'upgrade', 'd5e6f7a8b9c0');
alembic('adopt', 'upgrade', 'c4a0b1c2d3e4');
my $middle = catalog('adopt');
cli([ '-d', 'dbname=adopt', 'import-alembic', $project ], 0,
	qr/Running stamp_revision  -> c4a0b1c2d3e4, d5e6f7a8b9c0\nAdopted the database/, qr/irreversible/, 'adopt');
is($node->safe_psql('adopt', "SELECT string_agg(revision, ',' ORDER BY revision) FROM schemamig.version"),
	'c4a0b1c2d3e4,d5e6f7a8b9c0', "schemamig.version holds exactly alembic_version's rows");
is($node->safe_psql('adopt', "SELECT string_agg(direction || ' ' || array_to_string(heads_after, ','), ';') FROM schemamig.log"),
	'stamp c4a0b1c2d3e4,d5e6f7a8b9c0', 'the log shows one stamp and no revision ran');
is(catalog('adopt'), $middle, 'the schema is untouched');
cli([ '-d', 'dbname=adopt', 'check' ], 0, qr/No problems detected/, qr/^$/, 'check after the adoption');
cli([ '-d', 'dbname=adopt', 'import-alembic', $project ], 0,
	qr/0 written, 9 unchanged.*\nThe database is adopted already \(current: c4a0b1c2d3e4, d5e6f7a8b9c0\)/, qr/irreversible/,
	'adopt again: nothing changes');
is($node->safe_psql('adopt', 'SELECT count(*) FROM schemamig.log'), '1', 'no second stamp');
cli([ '-d', 'dbname=adopt', 'upgrade', 'head' ], 0,
	qr/\ARunning upgrade d5e6f7a8b9c0 -> d7f8a9b0c1d2.*\n.*e9a8b7c6d5e4.*\n.*f1e2d3c4b5a6.*\n.*a0b9c8d7e6f5, task priority\n\z/,
	qr/^$/, 'the adopted database upgrades to head');
is(catalog('adopt'), catalog('alembic_head'), "ending with Alembic's head schema");
is($node->safe_psql('adopt', "SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version"),
	'c4a0b1c2d3e4,d5e6f7a8b9c0', 'alembic_version is retired: left in place as adopted');
cli([ '-d', 'dbname=adopt', 'import-alembic', $project ], 0,
	qr/pg_schemamig manages this database already \(current: a0b9c8d7e6f5\); the retired alembic_version is not adopted again/,
	qr/irreversible/, 'adopt after upgrading: the retired table is not stamped back');
is($node->safe_psql('adopt', "SELECT string_agg(revision, ',') FROM schemamig.version"), 'a0b9c8d7e6f5', 'still at head');

# an alembic_version row naming an unknown revision: exit 1, nothing stamped
newdb('unknown', 1);
$node->safe_psql('unknown', "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
	INSERT INTO alembic_version VALUES ('d5e6f7a8b9c0'), ('deadbeef0000')");
cli([ '-d', 'dbname=unknown', 'import-alembic', $project ], 1, qr/9 unchanged/,
	qr/error: alembic_version names revision deadbeef0000, which is not in \S+: nothing was stamped/,
	'an unknown revision in alembic_version');
is($node->safe_psql('unknown', 'SELECT count(*) FROM schemamig.version'), '0', 'nothing stamped');
is($node->safe_psql('unknown', "SELECT count(*) FROM schemamig.log WHERE direction = 'stamp'"), '0', 'no stamp logged');

# no alembic_version: the files are registered, nothing to adopt
newdb('noalembic', 1);
cli([ '-d', 'dbname=noalembic', 'import-alembic', $project ], 0, qr/No alembic_version table in the database: nothing to adopt/,
	qr/irreversible/, 'a database without alembic_version');

# env.py's own version table (version_table, version_table_schema)
my $proj3 = "$tmp/project3";
make_path("$proj3/versions");
copy("$project/$_", "$proj3/$_") or die "copy $_: $!" foreach qw(alembic.ini script.py.mako);
copy("$project/versions/$_", "$proj3/versions/$_") or die foreach @pyfiles;
(my $env = slurp("$project/env.py")) =~
  s/target_metadata=target_metadata/target_metadata=target_metadata, version_table="migration_version", version_table_schema="ops"/g;
write_file("$proj3/env.py", $env);
newdb('ownversion', 1);
$node->safe_psql('ownversion', "CREATE SCHEMA ops; CREATE TABLE ops.migration_version (version_num varchar(32) PRIMARY KEY);
	INSERT INTO ops.migration_version VALUES ('a1b2c3d4e5f6'); CREATE TABLE alembic_version (version_num varchar(32));
	INSERT INTO alembic_version VALUES ('b7e2f0c1a9d3')");
$dir = "$tmp/migrations3";
cli([ '-d', 'dbname=ownversion', 'import-alembic', $proj3 ], 0,
	qr/Running stamp_revision  -> a1b2c3d4e5f6\nAdopted the database: schemamig.version holds migration_version's rows/,
	qr/irreversible/, "adopt from env.py's version table");
is($node->safe_psql('ownversion', "SELECT string_agg(revision, ',') FROM schemamig.version"), 'a1b2c3d4e5f6',
	'stamped from ops.migration_version, not alembic_version');
$dir = "$tmp/migrations";

# ---- what offline mode cannot render
my $proj2 = "$tmp/project2";
make_path("$proj2/versions");
copy("$project/$_", "$proj2/$_") or die "copy $_: $!" foreach qw(alembic.ini env.py script.py.mako);
copy("$project/versions/$_", "$proj2/versions/$_") or die foreach @pyfiles;
write_file("$proj2/versions/20240201_0900_b1c2d3e4f5a6_count_tasks.py", <<'PY');
"""count tasks in Python

Revision ID: b1c2d3e4f5a6
Revises: a0b9c8d7e6f5
Create Date: 2024-02-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'b1c2d3e4f5a6'
down_revision = 'a0b9c8d7e6f5'
branch_labels = None
depends_on = None


def upgrade():
    n = op.get_bind().execute(sa.text("SELECT count(*) FROM tasks")).scalar()
    op.execute("COMMENT ON TABLE tasks IS 'holds %d tasks'" % n)


def downgrade():
    op.execute("COMMENT ON TABLE tasks IS 'work items'")
PY
write_file("$proj2/versions/20240202_0900_c2d3e4f5a6b7_after_count.py", <<'PY');
"""after count

Revision ID: c2d3e4f5a6b7
Revises: b1c2d3e4f5a6
Create Date: 2024-02-02 09:00:00

"""
from alembic import op

revision = 'c2d3e4f5a6b7'
down_revision = 'b1c2d3e4f5a6'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE audit (id int)")


def downgrade():
    op.execute("DROP TABLE audit")
PY
write_file("$proj2/versions/20240203_0900_d3e4f5a6b7c8_no_downgrade.py", <<'PY');
"""no downgrade written

Revision ID: d3e4f5a6b7c8
Revises: a0b9c8d7e6f5
Create Date: 2024-02-03 09:00:00

"""
from alembic import op

revision = 'd3e4f5a6b7c8'
down_revision = 'a0b9c8d7e6f5'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE notes (id int)")


def downgrade():
    pass
PY
$dir = "$tmp/migrations2";
cli([ 'import-alembic', $proj2 ], 1, qr/import-alembic: 10 written, 0 unchanged, 2 irreversible, 2 not imported/,
	qr/error: could not import revision b1c2d3e4f5a6 \(20240201_0900_b1c2d3e4f5a6_count_tasks\.py\): Alembic's offline mode cannot render its upgrade: \w+.*count_tasks\.py:\d+\)\n(.*\n)*.*error: could not import revision c2d3e4f5a6b7 \(20240202_0900_c2d3e4f5a6b7_after_count\.py\): it needs revision b1c2d3e4f5a6, which was not imported/,
	'revisions offline mode cannot render are reported, with those above them');
like(slurp("$dir/20240203_0900_d3e4f5a6b7c8_no_downgrade.sql"), qr/-- irreversible: true/,
	'a downgrade that renders nothing makes the revision irreversible');
ok(!-e "$dir/20240201_0900_b1c2d3e4f5a6_count_tasks.sql", 'no file for a revision that could not be imported');

# usage
cli([ 'import-alembic' ], 2, '', qr/wrong number of arguments/, 'import-alembic without DIR');
cli([ 'import-alembic', "$tmp/nowhere" ], 2, '', qr/is not a folder/, 'import-alembic of a missing folder');
cli([ 'import-alembic', $tmp ], 1, '', qr/holds neither alembic\.ini nor env\.py/, 'import-alembic of a folder that is no Alembic project');

$node->stop;
done_testing();
