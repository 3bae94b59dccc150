/*-------------------------------------------------------------------------
 *
 * filegraph.c
 *	  The client without a database: history, heads, branches, show and the
 *	  offline scripts of upgrade/downgrade --sql, answered from the
 *	  migration files alone by the shared graph engine (src/common).
 *
 * The files are given to the engine in the order sync registers them
 * (migdir.c: parents first, ties by file name), so the answers are the
 * server's for the same files; the checksums and the script text come from
 * the same shared code as the server's upgrade_sql().  Nothing connects,
 * nothing is written.  With no version table, an upgrade script starts
 * from base unless the target is a range FROM:TO, and a downgrade script
 * needs a range.
 *
 * src/client/filegraph.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include "sm_common.h"

#include "client.h"
#include "graph.h"
#include "script.h"
#include "sqltoken.h"
#include "target.h"

/* what the command is doing, for error messages (as conn.c's "what") */
static const char *doing = "reading the migration files";

/*
 * errors of the shared code: reported as the client reports the same error
 * from the server (db_report_error), exit 1
 */
static void
report_error(int elevel, int sqlerrcode, const char *message,
			 const char *detail, const char *hint)
{
	char		state[6];
	int			i;

	for (i = 0; i < 5; i++)
	{
		state[i] = PGUNSIXBIT(sqlerrcode);
		sqlerrcode >>= 6;
	}
	state[5] = '\0';
	if (elevel >= ERROR)
		pg_log_error("%s: %s (SQLSTATE %s)", doing, message, state);
	else
		pg_log_warning("%s", message);
	if (detail)
		pg_log_error_detail("%s", detail);
	if (hint)
		pg_log_error_hint("%s", hint);
	if (elevel >= ERROR)
		exit(EXIT_MIGRATION);
}

static List *
list_from(const RevFileList *l)
{
	List	   *r = NIL;
	int			i;

	for (i = 0; i < l->n; i++)
		r = lappend(r, l->items[i]);
	return r;
}

/* the files as revisions, in registration order, with their checksums */
static SmGraph *
graph_from_files(const MigDir *md)
{
	SmRevision **revs = palloc(sizeof(SmRevision *) * (md->n > 0 ? md->n : 1));
	int			i;

	for (i = 0; i < md->n; i++)
	{
		const RevFile *f = md->files[i];
		SmRevision *r = palloc0(sizeof(SmRevision));

		r->index = i;
		r->id = f->id;
		r->message = f->message;
		r->down = list_from(&f->down);
		r->labels = list_from(&f->labels);
		r->depends = list_from(&f->depends);
		r->upgrade_sql = f->upgrade_sql;
		r->downgrade_sql = f->downgrade_sql;
		r->has_downgrade = f->downgrade_sql != NULL;
		r->transactional = f->transactional;
		r->checksum = sm_checksum(f->upgrade_sql, f->downgrade_sql, f->transactional);
		revs[i] = r;
	}
	return graph_build(revs, md->n);
}

/* prints revisions (SmRevision *) in Alembic's format, as print_revisions */
static void
print_list(const DbGraph *dg, List *revs, bool include_branches,
		   bool include_doc, bool include_parents, bool tree_indicators)
{
	ListCell   *lc;

	foreach(lc, revs)
	{
		SmRevision *rev = lfirst(lc);
		DbRev	   *r = dbgraph_find(dg, rev->id);
		char	   *line = rev_format(dg, r, opts.verbose, include_branches,
									  include_doc, include_parents, tree_indicators);

		printf("%s\n", line);
		free(line);
	}
}

static int
offline_branches(const DbGraph *dg, SmGraph *g)
{
	ListCell   *lc;
	int			j;

	foreach(lc, target_branch_points(g))
	{
		SmRevision *rev = lfirst(lc);
		DbRev	   *r = dbgraph_find(dg, rev->id);
		char	   *line = rev_format(dg, r, opts.verbose, true, false, false, true);

		printf("%s\n", line);
		free(line);
		for (j = 0; j < r->nchildren; j++)
		{
			char	   *c = rev_format(dg, &dg->revs[r->children[j]], false,
									   true, opts.verbose, false, true);

			printf("%*s -> %s\n", (int) strlen(r->id), "", c);
			free(c);
		}
		printf("\n");
	}
	return EXIT_OK;
}

/*
 * "FROM:TO" -> the start state and the target.  FROM is base, a target, or
 * several targets separated by commas (a version table with several rows).
 */
static List *
script_start(SmGraph *g, const char *spec, const char **target, bool upgrade)
{
	const char *colon = strchr(spec, ':');
	char	   *from;
	char	   *tok;
	char	   *save;
	List	   *heads = NIL;
	ListCell   *lc;

	if (colon == NULL)
	{
		if (!upgrade)
		{
			pg_log_error("downgrade --sql needs a range FROM:TO without a database");
			pg_log_error_hint("For example: downgrade head:-1 --sql");
			exit(EXIT_USAGE);
		}
		*target = spec;
		return NIL;				/* from base */
	}
	*target = colon + 1;
	from = pnstrdup(spec, colon - spec);
	if (from[0] == '\0' || strcmp(from, "base") == 0)
		return NIL;
	doing = "resolving the start of the range";
	for (tok = strtok_r(from, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
	{
		foreach(lc, target_show(g, tok))
			heads = lappend(heads, ((SmRevision *) lfirst(lc))->id);
	}
	return heads;
}

static int
offline_script_cmd(SmGraph *g, const char *spec, bool upgrade)
{
	const char *target;
	List	   *heads = script_start(g, spec, &target, upgrade);
	List	   *steps;
	char	   *script;
	size_t		n;

	doing = upgrade ? "generating the upgrade script" : "generating the downgrade script";
	steps = upgrade ? graph_upgrade_steps(g, heads, target)
		: graph_downgrade_steps(g, heads, target);
	sm_check_steps(steps, false);
	script = sm_script_build(g, heads, steps, target, upgrade);
	fputs(script, stdout);
	n = strlen(script);
	if (n > 0 && script[n - 1] != '\n')
		fputc('\n', stdout);
	return EXIT_OK;
}

/* does a history range name "current" (which needs a version table)? */
static bool
range_mentions_current(const char *range)
{
	char		lower[SM_TARGET_MAX_LEN + 1];
	char		upper[SM_TARGET_MAX_LEN + 1];

	if (range == NULL || sm_range_split(range, lower, upper) != NULL)
		return false;
	return strcmp(lower, "current") == 0 || strcmp(upper, "current") == 0;
}

/*
 * cmd_offline runs "command" (its arguments already checked) from the
 * files alone.
 */
int
cmd_offline(const char *command)
{
	MigDir	   *md;
	SmGraph    *g;
	DbGraph    *dg;
	int			rc = EXIT_OK;

	if (strcmp(command, "heads") != 0 && strcmp(command, "history") != 0 &&
		strcmp(command, "show") != 0 && strcmp(command, "branches") != 0 &&
		strcmp(command, "upgrade") != 0 && strcmp(command, "downgrade") != 0)
	{
		pg_log_error("\"%s\" needs a database; --offline works for history, heads, branches, show and upgrade/downgrade --sql",
				  command);
		return EXIT_USAGE;
	}
	if ((strcmp(command, "upgrade") == 0 || strcmp(command, "downgrade") == 0) && !opts.sql)
	{
		pg_log_error("\"%s\" without --sql needs a database", command);
		return EXIT_USAGE;
	}
	if (opts.indicate_current)
	{
		pg_log_error("--indicate-current needs a database");
		return EXIT_USAGE;
	}
	if (strcmp(command, "history") == 0 && range_mentions_current(opts.range))
	{
		pg_log_error("a history range with \"current\" needs a database");
		return EXIT_USAGE;
	}

	md = migdir_load(opts.directory, NULL, NULL);
	if (md == NULL)
		return EXIT_MIGRATION;
	sm_fe_error_hook = report_error;
	g = graph_from_files(md);
	dg = dbgraph_from_files(md);

	if (strcmp(command, "heads") == 0)
		doing = "reading the heads";
	else if (strcmp(command, "history") == 0)
		doing = "reading the history";
	else if (strcmp(command, "show") == 0)
		doing = "resolving the revision";
	else if (strcmp(command, "branches") == 0)
		doing = "reading the branch points";

	if (strcmp(command, "heads") == 0)
		print_list(dg, graph_revision_set(g, SM_SET_HEADS), true, false, false, false);
	else if (strcmp(command, "history") == 0)
		print_list(dg, target_history(g, opts.range, NIL), true, true, true, true);
	else if (strcmp(command, "show") == 0)
	{
		bool		v = opts.verbose;

		opts.verbose = true;	/* show prints the full entry */
		print_list(dg, target_show(g, opts.args[0]), false, false, false, true);
		opts.verbose = v;
	}
	else if (strcmp(command, "branches") == 0)
		rc = offline_branches(dg, g);
	else
		rc = offline_script_cmd(g, opts.nargs > 0 ? opts.args[0] : "head",
								strcmp(command, "upgrade") == 0);
	dbgraph_free(dg);
	migdir_free(md);
	return rc;
}
