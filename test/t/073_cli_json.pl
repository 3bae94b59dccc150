# Copyright (c) pg_schemamig contributors
#
# pg_schemamig client, issue 14 point 11: --json on every reading command
# for CI: current, heads, history, show, check, drift, lint (each one JSON
# value on stdout, nothing else there).
use strict;
use warnings;
use Test::More;
use SchemamigTest;
use CliTest;

cli_start('cli_json');
fresh('json');
rev('j1', '', 'create tasks', 'CREATE TABLE tasks (id int);', 'DROP TABLE tasks;');
rev('j2', 'j1', "say \"hi\"", 'SELECT 2;', 'SELECT 2;');
cli([ '-q', 'upgrade', 'j1' ], 0, '', '', 'deployed j1');

my $j1 = '\{"revision":"j1","message":"create tasks","down_revisions":\[\],"branch_labels":\[\],"depends_on":\[\],"is_head":false,"current":true,"applied":true,"transactional":true,"reversible":true,"file":"[^"]*j1_x\.sql","orphan":false\}';
cli([ 'current', '--json' ], 0, qr/\A\[$j1\]\n\z/, '', 'current --json');
cli([ 'heads', '--json' ], 0, qr/\A\[\{"revision":"j2","message":"say \\"hi\\"",.*"is_head":true,"current":false,"applied":false,.*\}\]\n\z/,
	'', 'heads --json (quotes escaped)');
cli([ 'history', '--json' ], 0, qr/\A\[\{"revision":"j2".*\},$j1\]\n\z/, '', 'history --json, newest first');
cli([ 'show', 'j1', '--json' ], 0, qr/\A\[$j1\]\n\z/, '', 'show --json');
cli([ 'check', '--json' ], 0, "[]\n", '', 'check --json: no findings');
cli([ 'drift', '--json' ], 0, "[]\n", '', 'drift --json: none');
my ($lint) = cli([ 'lint', '--json', dir() . '/j1_x.sql' ], 0, qr/\A\[(\{"file":"[^"]*j1_x\.sql","line":\d+,"section":"(upgrade|downgrade)","severity":"info",[^}]*\},?)*\]\n\z/,
	'', 'lint --json: info findings only');
cli([ '-v', 'current', '--json' ], 0, qr/\A\[$j1\]\n\z/, qr//, '--verbose keeps stdout JSON only');

done_testing();
