/*-------------------------------------------------------------------------
 *
 * commands.c
 *	  The commands that talk to the database: sync, upgrade, downgrade,
 *	  stamp, current, heads, branches, history, show, check, lint, verify
 *	  and drift.  Each one that reads the revision graph first registers the
 *	  migration files (sync) unless --no-sync is given.
 *
 * upgrade/downgrade run one "SELECT ... FROM schemamig.upgrade($1)" (one
 * transaction) when every step is transactional.  When a non-transactional
 * revision (CREATE INDEX CONCURRENTLY ...) is in the way, they hold the
 * catalog lock at session level (schemamig._session_lock) (no transaction, no snapshot),
 * fetch schemamig.plan() and run its statements one by one, top-level, in
 * autocommit: BEGIN/COMMIT rows wrap each transactional revision, and the
 * statements of a non-transactional one run on their own.
 *
 * src/client/commands.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"

typedef struct Ctx
{
	PGconn	   *conn;
	MigDir	   *md;				/* the files, if they could be read */
	DbGraph    *g;
	bool		synced;			/* the files were registered first */
} Ctx;

typedef int (*CmdFn) (Ctx *ctx);

/*
 * Prints each revision a "SELECT revision FROM ..." query returns; "nparams"
 * is 0 or 1 ($1 = "param", possibly NULL).
 */
static int
print_revisions(Ctx *ctx, const char *sql, int nparams, const char *param, const char *what,
				bool include_branches, bool include_doc, bool include_parents,
				bool tree_indicators, bool blank_line_in_verbose)
{
	const char *params[1] = {param};
	PGresult   *res;
	int			i;

	if (opts.json)
		return print_revisions_json(ctx->conn, ctx->g, sql, nparams, param, what);
	res = db_exec(ctx->conn, sql, nparams, params, what);
	if (res == NULL)
		return EXIT_MIGRATION;
	for (i = 0; i < PQntuples(res); i++)
	{
		DbRev	   *r = dbgraph_find(ctx->g, PQgetvalue(res, i, 0));
		char	   *line;

		if (r == NULL)
		{
			printf("%s\n", PQgetvalue(res, i, 0));
			continue;
		}
		line = rev_format(ctx->g, r, opts.verbose, include_branches, include_doc,
						  include_parents, tree_indicators);
		printf("%s\n", line);
		if (opts.verbose && blank_line_in_verbose)
			printf("\n");
		free(line);
	}
	PQclear(res);
	return EXIT_OK;
}

static int
do_current(Ctx *ctx)
{
	if (opts.verbose && !opts.json)
		printf("Current revision(s) for database \"%s\":\n", PQdb(ctx->conn));
	/* as "alembic current": the version table and what it implies through depends_on */
	return print_revisions(ctx, "SELECT c.revision FROM schemamig.current() c", 0, NULL,
						   "reading the current revisions", false, false, false, true, false);
}

static int
do_heads(Ctx *ctx)
{
	return print_revisions(ctx, "SELECT revision FROM schemamig.heads()", 0, NULL,
						   "reading the heads", true, false, false, false, false);
}

static int
do_history(Ctx *ctx)
{
	return print_revisions(ctx, "SELECT revision FROM schemamig.history($1)", 1, opts.range,
						   "reading the history", true, true, true, true, false);
}

static int
do_show(Ctx *ctx)
{
	bool		v = opts.verbose;
	int			rc;

	opts.verbose = true;		/* show prints the full entry */
	rc = print_revisions(ctx, "SELECT revision FROM schemamig.show($1)", 1, opts.args[0],
						 "resolving the revision", false, false, false, true, false);
	opts.verbose = v;
	return rc;
}

/* Alembic's "branches": each branch point and the revisions it splits into. */
static int
do_branches(Ctx *ctx)
{
	PGresult   *res = db_exec(ctx->conn, "SELECT revision FROM schemamig.branches()", 0, NULL,
							  "reading the branch points");
	int			i,
				j;

	if (res == NULL)
		return EXIT_MIGRATION;
	for (i = 0; i < PQntuples(res); i++)
	{
		DbRev	   *r = dbgraph_find(ctx->g, PQgetvalue(res, i, 0));
		char	   *line;

		if (r == NULL)
			continue;
		line = rev_format(ctx->g, r, opts.verbose, true, false, false, true);
		printf("%s\n", line);
		free(line);
		for (j = 0; j < r->nchildren; j++)
		{
			char	   *c = rev_format(ctx->g, &ctx->g->revs[r->children[j]], false,
									   true, opts.verbose, false, true);

			printf("%*s -> %s\n", (int) strlen(r->id), "", c);
			free(c);
		}
		printf("\n");
	}
	PQclear(res);
	return EXIT_OK;
}

/* "Running upgrade a -> b, msg" / "Running downgrade b -> a, msg" */
static void
print_graph_step(const DbGraph *g, const char *revision, bool up, const char *message)
{
	DbRev	   *r = dbgraph_find(g, revision);
	char	   *down = r ? revfile_join(&r->down, ", ") : pg_strdup("");

	if (down == NULL)
		down = pg_strdup("");
	if (up)
		log_info("Running upgrade %s -> %s, %s", down, revision, message);
	else
		log_info("Running downgrade %s -> %s, %s", revision, down, message);
	free(down);
}

static void
print_step(Ctx *ctx, const char *revision, bool up, const char *message)
{
	print_graph_step(ctx->g, revision, up, message);
}

/*
 * Online, one transaction: SELECT ... FROM schemamig.upgrade($1), once per
 * target (several only for the heads of the files), inside BEGIN/COMMIT
 * when there are several.  The server's progress notices print each step as
 * it starts; without them (an older server) the rows print afterwards.
 */
static int
apply_in_server(Ctx *ctx, const RevFileList *targets, bool up)
{
	PGresult   *res;
	int			i,
				t;
	bool		block = targets->n > 1;

	if (block && !db_command(ctx->conn, "BEGIN", "starting the migration"))
		return EXIT_MIGRATION;
	for (t = 0; t < targets->n; t++)
	{
		const char *params[1] = {targets->items[t]};
		int			progress_before = db_progress_lines();

		res = PQexecParams(ctx->conn, up ?
						   "SELECT revision, direction, message FROM schemamig.upgrade($1)" :
						   "SELECT revision, direction, message FROM schemamig.downgrade($1)",
						   1, NULL, params, NULL, NULL, 0);
		if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			db_report_error(res, ctx->conn, up ? "upgrade failed" : "downgrade failed", ctx->g);
			pg_log_error_detail("Nothing was applied: the %s runs in one transaction.", up ? "upgrade" : "downgrade");
			PQclear(res);
			if (block)
				PQclear(PQexec(ctx->conn, "ROLLBACK"));
			return EXIT_MIGRATION;
		}
		if (db_progress_lines() == progress_before)
			for (i = 0; i < PQntuples(res); i++)
				print_step(ctx, PQgetvalue(res, i, 0), strcmp(PQgetvalue(res, i, 1), "downgrade") != 0,
						   PQgetvalue(res, i, 2));
		PQclear(res);
	}
	if (block && !db_command(ctx->conn, "COMMIT", "committing the migration"))
		return EXIT_MIGRATION;
	return EXIT_OK;
}

/*
 * upgrade --each / downgrade --each: CALL schemamig.upgrade_each($1), one
 * transaction per revision, lock timeouts retried (schemamig.lock_retries).
 * The progress notices print each step as it starts.
 */
static int
apply_each(Ctx *ctx, const char *target, bool up)
{
	const char *params[1] = {target};
	PGresult   *res;

	res = PQexecParams(ctx->conn, up ? "CALL schemamig.upgrade_each($1)" :
					   "CALL schemamig.downgrade_each($1)",
					   1, NULL, params, NULL, NULL, 0);
	if (res == NULL || (PQresultStatus(res) != PGRES_COMMAND_OK &&
						PQresultStatus(res) != PGRES_TUPLES_OK))
	{
		db_report_error(res, ctx->conn, up ? "upgrade failed" : "downgrade failed", ctx->g);
		pg_log_error_detail("--each commits one revision at a time: the revisions before the failing one stay applied; \"pg_schemamig current\" shows where it stopped.");
		PQclear(res);
		return EXIT_MIGRATION;
	}
	PQclear(res);
	return EXIT_OK;
}

/* One target, online: see apply_target. */
static int
apply_one_in_server(Ctx *ctx, const char *target, bool up)
{
	RevFileList one = {0, NULL};
	int			rc;

	if (opts.each)
		return apply_each(ctx, target, up);
	list_append(&one, target);
	rc = apply_in_server(ctx, &one, up);
	free(one.items[0]);
	free(one.items);
	return rc;
}

/* Case-insensitive search for a keyword in a statement. */
static bool
mentions(const char *stmt, const char *word)
{
	size_t		n = strlen(word);

	for (; *stmt; stmt++)
		if (strncasecmp(stmt, word, n) == 0)
			return true;
	return false;
}

/*
 * The next word of a statement: a run of characters up to white space or
 * '(', with double-quoted parts kept whole.  Returns its length (0 at the
 * end) and sets *start.
 */
static size_t
next_word(const char **s, const char **start)
{
	const char *p = *s;

	while (isspace((unsigned char) *p))
		p++;
	*start = p;
	while (*p && !isspace((unsigned char) *p) && *p != '(')
	{
		if (*p == '"')
		{
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
				if (*p == '"')
					p++;		/* a doubled quote */
		}
		if (*p)
			p++;
	}
	*s = p;
	return p - *start;
}

static bool
word_is(const char *w, size_t len, const char *keyword)
{
	return len == strlen(keyword) && strncasecmp(w, keyword, len) == 0;
}

/*
 * The index name written in "CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT
 * EXISTS] name ON ...", as written (possibly qualified or quoted), or NULL
 * when the statement is not of that form or lets the server name the index
 * (malloc'd).
 */
static char *
concurrent_index_name(const char *stmt)
{
	const char *s = stmt;
	const char *w;
	size_t		len;

	len = next_word(&s, &w);
	if (!word_is(w, len, "CREATE"))
		return NULL;
	len = next_word(&s, &w);
	if (word_is(w, len, "UNIQUE"))
		len = next_word(&s, &w);
	if (!word_is(w, len, "INDEX"))
		return NULL;
	len = next_word(&s, &w);
	if (!word_is(w, len, "CONCURRENTLY"))
		return NULL;
	len = next_word(&s, &w);
	if (word_is(w, len, "IF"))
	{
		len = next_word(&s, &w);
		if (!word_is(w, len, "NOT"))
			return NULL;
		len = next_word(&s, &w);
		if (!word_is(w, len, "EXISTS"))
			return NULL;
		len = next_word(&s, &w);
	}
	if (len == 0 || word_is(w, len, "ON"))
		return NULL;
	return psprintf("%.*s", (int) len, w);
}

/*
 * Drops the INVALID indexes whose oids are not in "keep" (a comma list, or
 * NULL for none) and, when "name" is given, the INVALID index of that name:
 * what a failed or interrupted concurrent build leaves behind, which would
 * make the retry fail.  DROP INDEX CONCURRENTLY, top-level.
 */
static void
drop_invalid_indexes(Ctx *ctx, const char *keep, const char *name)
{
	const char *params[2] = {keep ? keep : "", name};

	/* $2 NULL: every INVALID index not in $1; else the one named $2 */
	PGresult   *res;
	int			i;

	res = db_exec(ctx->conn,
				  "SELECT i.indexrelid::pg_catalog.regclass::pg_catalog.text FROM pg_catalog.pg_index i "
				  "WHERE NOT i.indisvalid AND (($2::pg_catalog.text IS NULL AND NOT i.indexrelid::pg_catalog.text "
				  "OPERATOR(pg_catalog.=) ANY (pg_catalog.string_to_array($1::pg_catalog.text, ','))) "
				  "OR i.indexrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass($2::pg_catalog.text))",
				  2, params, "looking for INVALID indexes");
	if (res == NULL)
		return;
	for (i = 0; i < PQntuples(res); i++)
	{
		char	   *drop = psprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", PQgetvalue(res, i, 0));

		if (db_command(ctx->conn, drop, "dropping an INVALID index"))
			pg_log_warning("dropped the INVALID index %s left by a failed concurrent build", PQgetvalue(res, i, 0));
		free(drop);
	}
	PQclear(res);
}

/* The oids of the INVALID indexes, as a comma list (malloc'd), or NULL. */
static char *
invalid_indexes(Ctx *ctx)
{
	return db_value(ctx->conn,
					"SELECT pg_catalog.string_agg(i.indexrelid::pg_catalog.text, ',') "
					"FROM pg_catalog.pg_index i WHERE NOT i.indisvalid",
					"looking for INVALID indexes");
}

/*
 * Runs the rows of schemamig.plan() one by one, top-level.  On an error
 * inside BEGIN/COMMIT the revision is rolled back; revisions before it stay
 * applied (each is its own transaction).  A failed concurrent index build
 * leaves an INVALID index behind: it is dropped, so that a retry can work.
 */
static int
apply_plan_rows(Ctx *ctx, PGresult *plan, bool up)
{
	int			i;
	const char *last = NULL;
	char	   *invalid_before = NULL;
	bool		concurrent;
	int			rev_first = 0;	/* the revision's first plan row */
	int			attempt = 0;	/* its failed attempts (lock timeouts) */

	for (i = 0; i < PQntuples(plan); i++)
	{
		const char *rev = PQgetvalue(plan, i, 1);
		const char *stmt = PQgetvalue(plan, i, 3);
		PGresult   *res;

		if (last == NULL || strcmp(last, rev) != 0)
		{
			DbRev	   *r = dbgraph_find(ctx->g, rev);
			int			j;
			bool		any = false;

			print_step(ctx, rev, up, r ? r->message : "");
			last = rev;
			rev_first = i;
			attempt = 0;

			/*
			 * Before the revision's first row (its _begin_step, which counts
			 * every statement until _end_step): an INVALID index left by an
			 * earlier failed build of one of its concurrent indexes would
			 * make the build fail, so drop it; and note the INVALID indexes
			 * there are, to find what a failed build leaves.
			 */
			for (j = i; j < PQntuples(plan) && strcmp(PQgetvalue(plan, j, 1), rev) == 0; j++)
			{
				const char *s = PQgetvalue(plan, j, 3);
				char	   *name;

				if (PQgetvalue(plan, j, 4)[0] == 't' || !mentions(s, "CONCURRENTLY"))
					continue;
				any = true;
				if ((name = concurrent_index_name(s)) != NULL)
					drop_invalid_indexes(ctx, NULL, name);
				free(name);
			}
			free(invalid_before);
			invalid_before = any ? invalid_indexes(ctx) : NULL;
		}
		log_verbose("%s: %s", rev, stmt);
		concurrent = PQgetvalue(plan, i, 4)[0] != 't' && mentions(stmt, "CONCURRENTLY");
		res = PQexec(ctx->conn, stmt);
		if (res == NULL || (PQresultStatus(res) != PGRES_COMMAND_OK &&
							PQresultStatus(res) != PGRES_TUPLES_OK))
		{
			DbRev	   *r = dbgraph_find(ctx->g, rev);
			char	   *what;
			int			line = 0;
			const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

			/*
			 * A transactional revision that timed out waiting for a lock
			 * (schemamig.lock_timeout, set by its _begin_step): roll it
			 * back, so that it holds no lock, and let the server announce
			 * the retry and wait the backoff, or give up naming the
			 * session in the way.
			 */
			if (state && strcmp(state, "55P03") == 0 &&
				PQtransactionStatus(ctx->conn) == PQTRANS_INERROR)
			{
				char		attempt_s[16];
				char	   *subject = psprintf("revision %s", rev);
				const char *params[2] = {subject, attempt_s};
				PGresult   *retry;

				PQclear(res);
				PQclear(PQexec(ctx->conn, "ROLLBACK"));
				snprintf(attempt_s, sizeof(attempt_s), "%d", ++attempt);
				retry = PQexecParams(ctx->conn, "SELECT schemamig._lock_retry($1, $2::pg_catalog.int4)",
									 2, NULL, params, NULL, NULL, 0);
				free(subject);
				if (retry != NULL && PQresultStatus(retry) == PGRES_TUPLES_OK)
				{
					PQclear(retry);
					i = rev_first - 1;
					continue;
				}
				what = psprintf("%s failed in revision %s", up ? "upgrade" : "downgrade", rev);
				db_report_error(retry, ctx->conn, what, NULL);
				free(what);
				PQclear(retry);
				pg_log_error_detail("Revision %s was rolled back; the revisions before it stay applied.", rev);
				free(invalid_before);
				return EXIT_MIGRATION;
			}

			if (r && r->file)
				line = revision_error_line(r->file, stmt,
										   res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL);
			if (r && r->file && line > 0)
				what = psprintf("%s failed in revision %s (%s:%d)", up ? "upgrade" : "downgrade",
								 rev, r->file->path, line);
			else if (r && r->file)
				what = psprintf("%s failed in revision %s (%s)", up ? "upgrade" : "downgrade",
								 rev, r->file->path);
			else
				what = psprintf("%s failed in revision %s", up ? "upgrade" : "downgrade", rev);
			db_report_error(res, ctx->conn, what, NULL);
			free(what);
			PQclear(res);
			if (PQtransactionStatus(ctx->conn) != PQTRANS_IDLE)
			{
				PQclear(PQexec(ctx->conn, "ROLLBACK"));
				pg_log_error_detail("Revision %s was rolled back; the revisions before it stay applied.", rev);
			}
			else
				pg_log_error_detail("Revision %s is not transactional: the statements before the failing one stay applied, and it is not recorded as applied.", rev);
			if (concurrent && invalid_before != NULL &&
				PQtransactionStatus(ctx->conn) == PQTRANS_IDLE)
				drop_invalid_indexes(ctx, invalid_before, NULL);
			free(invalid_before);
			return EXIT_MIGRATION;
		}
		PQclear(res);
	}
	free(invalid_before);
	return EXIT_OK;
}

/* True when a registered revision is not transactional. */
static bool
any_nontransactional(Ctx *ctx)
{
	int			i;

	for (i = 0; i < ctx->g->n; i++)
		if (!ctx->g->revs[i].transactional)
			return true;
	return false;
}

/*
 * One target, online: in the server (one transaction, or --each one per
 * revision), or statement by statement through plan() when a
 * non-transactional revision is in the way (each revision its own
 * transaction, as with --each).
 */
static int
apply_target(Ctx *ctx, const char *target, bool up)
{
	int			i,
				rc;
	PGresult   *plan;
	const char *params[1] = {target};
	bool		all_tx = true;

	if (!any_nontransactional(ctx))
		return apply_one_in_server(ctx, target, up);

	/* a non-transactional revision exists: is one in the way? */
	if (!db_command(ctx->conn, "SELECT schemamig._session_lock(true)",
					"taking the pg_schemamig lock"))
		return EXIT_MIGRATION;
	plan = db_exec(ctx->conn,
				   "SELECT step, revision, direction, statement, transactional "
				   "FROM schemamig.plan($1) ORDER BY step",
				   1, params, "planning the migration");
	if (plan == NULL)
		rc = EXIT_MIGRATION;
	else
	{
		rc = EXIT_OK;
		for (i = 0; i < PQntuples(plan); i++)
		{
			const DbRev *r = dbgraph_find(ctx->g, PQgetvalue(plan, i, 1));

			/*
			 * a statement that cannot run in a transaction block, or any
			 * statement of a revision registered as non-transactional (a
			 * batched data change): upgrade() would refuse either
			 */
			if (PQgetvalue(plan, i, 4)[0] != 't' || (r != NULL && !r->transactional))
				all_tx = false;
			if ((strcmp(PQgetvalue(plan, i, 2), "upgrade") == 0) != up)
			{
				pg_log_error("destination %s is not a valid %s target from the current heads",
						  target, up ? "upgrade" : "downgrade");
				pg_log_error_hint("Use \"pg_schemamig %s %s\".", up ? "downgrade" : "upgrade", target);
				rc = EXIT_MIGRATION;
				break;
			}
		}
		if (rc == EXIT_OK && !all_tx)
			rc = apply_plan_rows(ctx, plan, up);
		PQclear(plan);
	}
	if (PQtransactionStatus(ctx->conn) == PQTRANS_IDLE)
		(void) db_command(ctx->conn, "SELECT schemamig._session_lock(false)",
						  "releasing the pg_schemamig lock");
	if (rc == EXIT_OK && all_tx)
		return apply_one_in_server(ctx, target, up);
	return rc;
}

/*
 * upgrade [TARGET] / downgrade TARGET, online or (--sql) offline.  The
 * files decide what may run (cmd_orphans.c): no revision without a file is
 * applied, and a plain upgrade stops while orphans are applied.
 */
static int
apply(Ctx *ctx, const char *target, bool up)
{
	RevFileList targets = {0, NULL};
	int			rc,
				i;

	if (!up && opts.orphans)
		return orphans_downgrade(ctx->conn, ctx->g, print_graph_step);
	if (up)
		rc = orphans_upgrade_targets(ctx->conn, ctx->g, ctx->md, target, &targets);
	else
	{
		rc = orphans_check_relative_downgrade(ctx->g, target);
		list_append(&targets, target);
	}
	if (rc == EXIT_OK && targets.n > 1 && !opts.each && !any_nontransactional(ctx))
		rc = apply_in_server(ctx, &targets, up);
	else
		for (i = 0; i < targets.n && rc == EXIT_OK; i++)
			rc = apply_target(ctx, targets.items[i], up);
	for (i = 0; i < targets.n; i++)
		free(targets.items[i]);
	free(targets.items);
	return rc;
}

static int
do_upgrade(Ctx *ctx)
{
	if (opts.dry_run)
		return cmd_dry_run(ctx->conn, ctx->g, ctx->md, opts.nargs > 0 ? opts.args[0] : "head", true);
	return apply(ctx, opts.nargs > 0 ? opts.args[0] : "head", true);
}

static int
do_downgrade(Ctx *ctx)
{
	if (opts.orphans && (opts.nargs > 0 || opts.sql || opts.dry_run || opts.each))
	{
		pg_log_error("downgrade --orphans takes no target and cannot be combined with --sql, --dry-run or --each");
		return EXIT_USAGE;
	}
	if (opts.dry_run)
		return cmd_dry_run(ctx->conn, ctx->g, ctx->md, opts.args[0], false);
	return apply(ctx, opts.args[0], false);
}

/* The version table as "a, b" (malloc'd), or NULL after an error. */
static char *
current_text(Ctx *ctx)
{
	return db_value(ctx->conn,
					"SELECT pg_catalog.string_agg(v.revision, ', ' ORDER BY v.position) FROM schemamig.version v",
					"reading the current revisions");
}

static int
do_stamp(Ctx *ctx)
{
	const char *params[2];
	char	   *before,
			   *after,
			   *arr = NULL;
	PGresult   *res;
	RevFileList targets = {0, NULL};
	int			i;

	before = current_text(ctx);
	if (before == NULL)
		return EXIT_MIGRATION;
	params[1] = opts.purge ? "true" : "false";
	if (opts.nargs == 1)
	{
		params[0] = opts.args[0];
		res = PQexecParams(ctx->conn, "SELECT schemamig.stamp($1::text, $2::boolean)", 2, NULL,
						   params, NULL, NULL, 0);
	}
	else
	{
		for (i = 0; i < opts.nargs; i++)
			list_append(&targets, opts.args[i]);
		arr = array_literal(&targets);
		params[0] = arr;
		res = PQexecParams(ctx->conn, "SELECT schemamig.stamp($1::text[], $2::boolean)", 2, NULL,
						   params, NULL, NULL, 0);
		for (i = 0; i < targets.n; i++)
			free(targets.items[i]);
		free(targets.items);
		free(arr);
	}
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		db_report_error(res, ctx->conn, "stamp failed", ctx->g);
		PQclear(res);
		free(before);
		return EXIT_MIGRATION;
	}
	PQclear(res);
	after = current_text(ctx);
	if (after == NULL)
	{
		free(before);
		return EXIT_MIGRATION;
	}
	log_info("Running stamp_revision %s -> %s", before, after);
	free(before);
	free(after);
	return EXIT_OK;
}

/* check lives in cmd_check.c */
static int
do_check(Ctx *ctx)
{
	return cmd_check(ctx->conn, ctx->g, ctx->md, ctx->synced);
}

/* lint lives in cmd_lint.c */
static int
do_lint(Ctx *ctx)
{
	return cmd_lint(ctx->conn);
}

static int
do_verify(Ctx *ctx)
{
	return cmd_verify(ctx->conn, ctx->g, ctx->md, opts.nargs > 0 ? opts.args[0] : "heads");
}

static int
do_review(Ctx *ctx)
{
	return cmd_review(ctx->conn, ctx->g, opts.args[0]);
}

/* backfill lives in cmd_backfill.c */
static int
do_backfill(Ctx *ctx)
{
	return cmd_backfill_run(ctx->conn);
}

/* drift and snapshot live in cmd_drift.c */
static int
do_drift(Ctx *ctx)
{
	return cmd_drift(ctx->conn);
}

static int
do_snapshot(Ctx *ctx)
{
	return cmd_snapshot(ctx->conn);
}

typedef struct DbCommand
{
	const char *name;
	CmdFn		fn;				/* NULL: nothing after the sync */
	int			minargs;
	int			maxargs;		/* -1: any */
	bool		reads_graph;	/* syncs the files first */
	bool		reader;			/* answers even when a file is bad */
	const char *argdesc;
} DbCommand;

static const DbCommand dbcommands[] = {
	{"sync", NULL, 0, 0, true, false, ""},	/* the sync itself is all it does */
	{"upgrade", do_upgrade, 0, 1, true, false, "[TARGET]"},
	{"downgrade", do_downgrade, 0, 1, true, false, "TARGET | --orphans"},
	{"stamp", do_stamp, 1, -1, true, false, "TARGET..."},
	{"current", do_current, 0, 0, true, true, ""},
	{"heads", do_heads, 0, 0, true, true, ""},
	{"branches", do_branches, 0, 0, true, true, ""},
	{"history", do_history, 0, 0, true, true, "(a range goes in -r)"},
	{"show", do_show, 1, 1, true, true, "REV"},
	{"check", do_check, 0, 0, true, true, ""},
	{"lint", do_lint, 1, -1, false, true, "FILE..."},
	{"verify", do_verify, 0, 1, true, false, "[TARGET]"},
	{"review", do_review, 1, 1, true, true, "REV"},
	{"drift", do_drift, 0, 0, false, true, ""},
	{"snapshot", do_snapshot, 0, 0, false, false, ""},
	{"backfill", do_backfill, 1, 1, false, false, "TABLE --set SET [--where COND] [--batch-size N] [--pause INTERVAL]"},
	{NULL, NULL, 0, 0, false, false, NULL}
};

/*
 * Runs a database command: checks its arguments (usage errors first, before
 * connecting), reads the files, connects, syncs, and runs it.
 */
int
cmd_db(void)
{
	const DbCommand *c;
	Ctx			ctx = {NULL, NULL, NULL};
	int			rc;

	for (c = dbcommands; c->name; c++)
		if (strcmp(c->name, opts.command) == 0)
			break;
	if (c->name == NULL)
	{
		pg_log_error("unknown command \"%s\"", opts.command);
		fprintf(stderr, "Try \"pg_schemamig --help\" for more information.\n");
		return EXIT_USAGE;
	}
	if (opts.nargs < c->minargs || (c->maxargs >= 0 && opts.nargs > c->maxargs))
	{
		pg_log_error("wrong number of arguments for \"%s\"", c->name);
		fprintf(stderr, "Usage: pg_schemamig %s %s\n", c->name, c->argdesc);
		return EXIT_USAGE;
	}
	if (c->fn == do_downgrade && opts.nargs == 0 && !opts.orphans)
	{
		pg_log_error("wrong number of arguments for \"downgrade\"");
		fprintf(stderr, "Usage: pg_schemamig downgrade TARGET | --orphans\n");
		return EXIT_USAGE;
	}
	if (strcmp(c->name, "sync") == 0 && opts.no_sync)
	{
		pg_log_error("\"sync\" and --no-sync cannot be used together");
		return EXIT_USAGE;
	}
	if (strcmp(c->name, "backfill") == 0 && (rc = cmd_backfill_check()) != EXIT_OK)
		return rc;

	/* --offline, and the scripts of --sql: from the files alone */
	if (opts.offline ||
		(opts.sql && !opts.dry_run && !opts.orphans &&
		 (strcmp(c->name, "upgrade") == 0 || strcmp(c->name, "downgrade") == 0)))
		return cmd_offline(c->name);

	/* connect while reading the files: the server starts up meanwhile */
	ctx.conn = db_connect_start();
	if (c->reads_graph)
	{
		ctx.md = migdir_load(opts.directory, db_connect_step, ctx.conn);
		if (ctx.md == NULL && !opts.no_sync)
		{
			PQfinish(ctx.conn);
			return EXIT_MIGRATION;
		}
		if (ctx.md != NULL && ctx.md->nbad > 0 && !c->reader && !opts.no_sync)
		{
			/* nothing changes while a file has a problem */
			(void) migdir_report_bad(ctx.md);
			migdir_free(ctx.md);
			PQfinish(ctx.conn);
			return EXIT_MIGRATION;
		}
	}
	ctx.conn = db_connect_finish(ctx.conn);
	if (ctx.conn == NULL)
	{
		migdir_free(ctx.md);
		return EXIT_MIGRATION;
	}
	rc = EXIT_OK;
	if (ctx.md != NULL && !opts.no_sync && ctx.md->nbad == 0)
	{
		rc = cmd_sync(ctx.conn, ctx.md, strcmp(c->name, "sync") == 0, &ctx.g);
		ctx.synced = rc == EXIT_OK;
		if (rc != EXIT_OK && c->reader)
		{
			/* a reading command still answers, from what is registered */
			pg_log_warning("the files could not be synced (above); answering from the revisions registered in the database");
			rc = EXIT_OK;
		}
	}
	else if (ctx.md != NULL && ctx.md->nbad > 0 && c->fn != do_check && c->reader)
	{
		int			i;

		for (i = 0; i < ctx.md->nbad; i++)
			pg_log_warning("%s", ctx.md->bad[i]);
		pg_log_warning("%d migration file%s left out; answering from the revisions registered in the database, without a sync",
					ctx.md->nbad, ctx.md->nbad == 1 ? "" : "s");
	}
	else if (ctx.md != NULL && ctx.md->nbad > 0 && c->fn != do_check)
	{
		int			i;

		/* --no-sync: what is registered runs; a left-out file counts as absent */
		for (i = 0; i < ctx.md->nbad; i++)
			pg_log_warning("%s", ctx.md->bad[i]);
	}
	if (rc == EXIT_OK && ctx.g == NULL && c->reads_graph)
	{
		ctx.g = dbgraph_load(ctx.conn, false);
		rc = ctx.g ? EXIT_OK : EXIT_MIGRATION;
		if (ctx.g)
			dbgraph_attach_files(ctx.g, ctx.md);
	}
	db_set_notice_graph(ctx.g);
	if (rc == EXIT_OK && (c->fn == do_upgrade || c->fn == do_downgrade) && !opts.sql && !opts.dry_run &&
		!db_command(ctx.conn, "SELECT pg_catalog.set_config('schemamig.progress', 'on', false)",
					"asking for progress notices"))
		rc = EXIT_MIGRATION;
	if (rc == EXIT_OK && c->fn != NULL)
		rc = c->fn(&ctx);
	db_set_notice_graph(NULL);
	dbgraph_free(ctx.g);
	migdir_free(ctx.md);
	db_disconnect(ctx.conn);
	return rc;
}
