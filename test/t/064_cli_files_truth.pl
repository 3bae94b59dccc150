# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 1: the files are the truth for what
# may be applied.  A revision registered in the database by a sync from
# another checkout, but absent from this checkout's files (a stray), is
# never applied: not by a plain upgrade, not by "upgrade heads", not as a
# named target or on the path of one.
use strict;
use warnings;
use File::Path qw(make_path);
use Test::More;
use SchemamigTest;
use CliTest;

cli_start('cli_files_truth');
fresh('truth');
my $other = dir() . '_other';
make_path($other);

rev('a1', '', 'create tasks', 'CREATE TABLE tasks (id int);', 'DROP TABLE tasks;');
rev('a2', 'a1', 'add title', 'ALTER TABLE tasks ADD title text;', 'ALTER TABLE tasks DROP COLUMN title;');
# another checkout: a1 and a side revision s1 the files here do not have
system('cp', dir() . '/a1_x.sql', "$other/");
SchemamigTest::write_file("$other/s1_x.sql",
	"-- revision: s1\n-- down_revision: a1\n-- message: side\n-- +upgrade\nCREATE TABLE side (id int);\n-- +downgrade\nDROP TABLE side;\n");
cli([ '-D', $other, 'sync' ], 0, qr/Registered s1/, '', 'the other checkout registers s1', no_dir => 1);

cli(['upgrade'], 0, "Running upgrade  -> a1, create tasks\nRunning upgrade a1 -> a2, add title\n",
	qr/warning: revision s1 is registered but has no file in .*; it is never applied/,
	'upgrade applies the files only');
is(sql("SELECT to_regclass('side') IS NULL"), 't', 'the stray s1 did not run');
cli(['current'], 0, "a2 (head)\n", qr/s1 is registered but has no file/, 'current is the files\' head');
cli([ 'upgrade', 'heads' ], 0, '', qr/never applied/, 'upgrade heads: the heads of the files only');
cli([ 'upgrade', 's1' ], 1, '',
	qr/error: upgrade to s1 would apply revision s1, which has no file in .*\n.*detail: .*Nothing was applied.\n.*hint: Check out its file, or remove it from the database with "pg_schemamig sync --prune"/,
	'a stray as a named target is refused');
is(sql("SELECT to_regclass('side') IS NULL"), 't', 'still not applied');
cli([ 'history' ], 0, qr/^a1 -> s1 \(head\) \(no file\), side$/m, qr//, 'history marks the stray');

# a stray on the path of a named target: m1 merges a2 and s1
cli([ 'downgrade', 'a1' ], 0, "Running downgrade a2 -> a1, add title\n", qr//, 'back to a1');
SchemamigTest::write_file("$other/a2_x.sql", SchemamigTest::slurp(dir() . '/a2_x.sql'));
SchemamigTest::write_file("$other/m1_x.sql",
	"-- revision: m1\n-- down_revision: a2, s1\n-- message: merge\n-- +upgrade\n-- +downgrade\n");
cli([ '-D', $other, 'sync' ], 0, qr/Registered m1/, '', 'the other checkout registers a merge', no_dir => 1);
cli([ 'upgrade', 'm1' ], 1, '', qr/upgrade to m1 would apply revision (s1|m1), which has no file/,
	'a target whose path holds strays is refused');
cli(['current'], 0, "a1 (branchpoint)\n", qr//, 'nothing was applied');
cli([ 'upgrade', 'a2' ], 0, "Running upgrade a1 -> a2, add title\n", qr//,
	'a named target whose path has files works');
cli([ 'sync', '--prune' ], 0, qr/Removed m1.*\n.*Removed s1/s, qr//, 'sync --prune removes the strays');
cli([ 'downgrade', '-1' ], 0, "Running downgrade a2 -> a1, add title\n", '', 'clean again: no warnings');
cli([ 'upgrade', '+1' ], 0, "Running upgrade a1 -> a2, add title\n", '', 'a relative upgrade');

done_testing();
