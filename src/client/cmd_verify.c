/*-------------------------------------------------------------------------
 *
 * cmd_verify.c
 *	  The commands that prove a migration before it is applied:
 *	    verify [TARGET]             schemamig.verify(): each revision
 *	                                upgraded, downgraded and upgraded again
 *	                                on the live rows, all rolled back
 *	    upgrade --dry-run [TARGET]  schemamig.dry_run(): the statements, with
 *	                                the locks, rewrites and rows of each
 *	    review REV                  schemamig.review(): lint of both
 *	                                directions and data checks on live rows
 * Each prints readable lines, or with --json one JSON array built by the
 * server in the same query.  Exit 1 when a check fails (verify), a
 * statement fails (dry run) or a finding is an error (review).
 *
 * src/client/cmd_verify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"

/* A clear error for a server function that this database lacks. */
static bool
have_function(PGconn *conn, const char *name)
{
	if (db_has_function(conn, name))
		return true;
	pg_log_error("this database's pg_schemamig has no schemamig.%s()", name);
	pg_log_error_hint("Install a pg_schemamig release that provides %s.", name);
	return false;
}

/* Prints the one JSON value a query returns; false after an error. */
static bool
print_json_query(PGconn *conn, const char *sql, const char *param, const char *what)
{
	const char *params[1] = {param};
	PGresult   *res = db_exec(conn, sql, 1, params, what);

	if (res == NULL)
		return false;
	printf("%s\n", PQgetisnull(res, 0, 0) ? "[]" : PQgetvalue(res, 0, 0));
	PQclear(res);
	return true;
}

/*
 * The target(s) the server is given, as a text[] literal (malloc'd), or
 * NULL after a message: what "upgrade TARGET" would be given, since the
 * files decide what may run (cmd_orphans.c): a revision without a file is
 * never verified or dry-run, and "head" is refused while orphans are applied.
 */
static char *
server_targets(PGconn *conn, const DbGraph *g, const MigDir *md,
			   const char *target, bool up)
{
	RevFileList targets = {0, NULL};
	char	   *lit = NULL;
	int			rc,
				i;

	if (up)
		rc = orphans_upgrade_targets(conn, g, md, target, &targets);
	else
	{
		rc = orphans_check_relative_downgrade(g, target);
		list_append(&targets, target);
	}
	if (rc == EXIT_OK)
		lit = array_literal(&targets);
	for (i = 0; i < targets.n; i++)
		free(targets.items[i]);
	free(targets.items);
	return lit;
}

/* verify [TARGET]: one line per check; exit 1 when one failed. */
int
cmd_verify(PGconn *conn, const DbGraph *g, const MigDir *md, const char *target)
{
	const char *params[1];
	PGresult   *res;
	int			i,
				failed = 0;
	char	   *lit;

	if (!have_function(conn, "verify"))
		return EXIT_MIGRATION;
	lit = server_targets(conn, g, md, target, true);
	if (lit == NULL)
		return EXIT_MIGRATION;
	params[0] = lit;
	if (opts.json)
	{
		failed = db_print_json(conn,
							   "SELECT COALESCE(pg_catalog.json_agg(v), '[]'::pg_catalog.json),"
							   " pg_catalog.count(*) FILTER (WHERE NOT v.ok)"
							   " FROM pg_catalog.unnest($1::pg_catalog.text[]) t, LATERAL schemamig.verify(t) v",
							   lit, "running schemamig.verify()");
		free(lit);
		return failed != 0 ? EXIT_MIGRATION : EXIT_OK;
	}
	res = db_exec(conn,
				  "SELECT v.revision, v.\"check\", v.ok, v.detail"
				  " FROM pg_catalog.unnest($1::pg_catalog.text[]) t, LATERAL schemamig.verify(t) v",
				  1, params, "running schemamig.verify()");
	free(lit);
	if (res == NULL)
		return EXIT_MIGRATION;
	for (i = 0; i < PQntuples(res); i++)
	{
		bool		ok = PQgetvalue(res, i, 2)[0] == 't';
		bool		has_detail = !PQgetisnull(res, i, 3);

		if (!ok)
			failed++;
		printf("%s %s: %s%s%s\n",
			   PQgetisnull(res, i, 0) ? "(graph)" : PQgetvalue(res, i, 0),
			   PQgetvalue(res, i, 1), ok ? "ok" : "FAILED",
			   has_detail ? ", " : "", has_detail ? PQgetvalue(res, i, 3) : "");
	}
	if (PQntuples(res) == 0)
		log_info("Nothing to verify between the current state and %s.", target);
	else if (failed == 0)
		log_info("All %d checks passed.", PQntuples(res));
	PQclear(res);
	if (failed > 0)
		pg_log_error("%d verification check%s failed", failed, failed == 1 ? "" : "s");
	return failed > 0 ? EXIT_MIGRATION : EXIT_OK;
}

/* a statement on one line: runs of white space become one space */
static char *
one_line(const char *s)
{
	char	   *out = pg_malloc(strlen(s) + 1);
	char	   *o = out;
	bool		space = false;

	for (; *s; s++)
	{
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		{
			space = (o != out);
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/*
 * upgrade --dry-run [TARGET] (and downgrade --dry-run TARGET): a table of
 * the statements, each with its duration, rows, locks and rewrites.
 */
int
cmd_dry_run(PGconn *conn, const DbGraph *g, const MigDir *md,
			const char *target, bool up)
{
	const char *params[1];
	char	   *lit;
	PGresult   *res;
	const char *headers[7] = {"revision", "direction", "#", "ms", "rows", "locks", "rewrites"};
	int			width[7];
	int			i,
				c,
				n;

	if (opts.sql)
	{
		pg_log_error("--sql and --dry-run cannot be used together");
		return EXIT_USAGE;
	}
	if (!have_function(conn, "dry_run"))
		return EXIT_MIGRATION;
	lit = server_targets(conn, g, md, target, up);
	if (lit == NULL)
		return EXIT_MIGRATION;
	params[0] = lit;
	if (opts.json)
	{
		bool		ok = print_json_query(conn,
								"SELECT pg_catalog.json_agg(pg_catalog.json_build_object("
								"'revision', d.revision, 'direction', d.direction,"
								" 'statement_no', d.statement_no, 'statement', d.statement,"
								" 'duration_ms', pg_catalog.round((pg_catalog.date_part('epoch', d.duration)"
								" OPERATOR(pg_catalog.*) 1000)::pg_catalog.numeric, 3),"
								" 'locks', d.locks, 'rewrites', d.rewrites, 'rows', d.rows))"
								" FROM pg_catalog.unnest($1::pg_catalog.text[]) t, LATERAL schemamig.dry_run(t) d",
								lit, "running schemamig.dry_run()");

		free(lit);
		return ok ? EXIT_OK : EXIT_MIGRATION;
	}
	res = PQexecParams(conn,
				  "SELECT d.revision, d.direction, d.statement_no::pg_catalog.text,"
				  " pg_catalog.to_char(pg_catalog.date_part('epoch', d.duration) OPERATOR(pg_catalog.*) 1000, 'FM999999990.000'),"
				  " d.rows::pg_catalog.text,"
				  " COALESCE(pg_catalog.array_to_string(d.locks, ', '), ''),"
				  " COALESCE(pg_catalog.array_to_string(d.rewrites, ', '), ''),"
				  " d.statement FROM pg_catalog.unnest($1::pg_catalog.text[]) t, LATERAL schemamig.dry_run(t) d",
				  1, NULL, params, NULL, NULL, 0);
	free(lit);
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		db_report_error(res, conn, "dry run failed", g);
		pg_log_error_detail("Nothing was left: a dry run is always rolled back.");
		PQclear(res);
		return EXIT_MIGRATION;
	}
	n = PQntuples(res);
	if (n == 0)
	{
		log_info("Nothing to run: the database is at %s.", target);
		PQclear(res);
		return EXIT_OK;
	}
	for (c = 0; c < 7; c++)
	{
		width[c] = (int) strlen(headers[c]);
		for (i = 0; i < n; i++)
			if ((int) strlen(PQgetvalue(res, i, c)) > width[c])
				width[c] = (int) strlen(PQgetvalue(res, i, c));
	}
	for (c = 0; c < 7; c++)
		printf("%-*s  ", width[c], headers[c]);
	printf("statement\n");
	for (c = 0; c < 7; c++)
		printf("%.*s  ", width[c], "--------------------------------------------------------------------------------"
			   "--------------------------------------------------------------------------------"
			   "--------------------------------------------------------------------------------");
	printf("---------\n");
	for (i = 0; i < n; i++)
	{
		char	   *stmt = one_line(PQgetvalue(res, i, 7));

		for (c = 0; c < 7; c++)
		{
			/* numbers right-aligned */
			if (c >= 2 && c <= 4)
				printf("%*s  ", width[c], PQgetvalue(res, i, c));
			else
				printf("%-*s  ", width[c], PQgetvalue(res, i, c));
		}
		printf("%s\n", stmt);
		free(stmt);
	}
	PQclear(res);
	log_info("Dry run of %d statement%s: everything was rolled back.", n, n == 1 ? "" : "s");
	return EXIT_OK;
}

/*
 * review REV: each finding as "file:line: severity: rule: message" (or
 * "revision (direction) statement N: ..." without a file); exit 1 when a
 * finding is an error, which includes a data check that would fail on the
 * live rows.
 */
int
cmd_review(PGconn *conn, const DbGraph *g, const char *spec)
{
	const char *params[1];
	PGresult   *res;
	char	   *id;
	const DbRev *r;
	int			i,
				errors = 0;

	if (!have_function(conn, "review"))
		return EXIT_MIGRATION;
	params[0] = spec;
	res = db_exec(conn, "SELECT revision FROM schemamig.show($1)", 1, params,
				  "resolving the revision");
	if (res == NULL)
		return EXIT_MIGRATION;
	if (PQntuples(res) != 1)
	{
		pg_log_error("\"%s\" does not name one revision", spec);
		PQclear(res);
		return EXIT_MIGRATION;
	}
	id = pg_strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	params[0] = id;
	if (opts.json)
	{
		errors = db_print_json(conn,
							   "SELECT COALESCE(pg_catalog.json_agg(f), '[]'::pg_catalog.json),"
							   " pg_catalog.count(*) FILTER (WHERE f.severity OPERATOR(pg_catalog.=) 'error')"
							   " FROM schemamig.review($1) f",
							   id, "running schemamig.review()");
		free(id);
		return errors != 0 ? EXIT_MIGRATION : EXIT_OK;
	}
	res = db_exec(conn,
				  "SELECT direction, severity, rule, statement, location, message, hint"
				  " FROM schemamig.review($1)",
				  1, params, "running schemamig.review()");
	if (res == NULL)
	{
		free(id);
		return EXIT_MIGRATION;
	}
	r = dbgraph_find(g, id);
	for (i = 0; i < PQntuples(res); i++)
	{
		bool		up = strcmp(PQgetvalue(res, i, 0), "upgrade") == 0;
		const char *sev = PQgetvalue(res, i, 1);

		if (strcmp(sev, "error") == 0)
			errors++;
		if (r != NULL && r->file != NULL && !PQgetisnull(res, i, 4))
			printf("%s:%d: ", r->file->path,
				   revfile_line_of(r->file, up, (size_t) atol(PQgetvalue(res, i, 4))));
		else
			printf("%s (%s)%s%s: ", id, PQgetvalue(res, i, 0),
				   atoi(PQgetvalue(res, i, 3)) > 0 ? " statement " : "",
				   atoi(PQgetvalue(res, i, 3)) > 0 ? PQgetvalue(res, i, 3) : "");
		printf("%s: %s: %s\n", sev, PQgetvalue(res, i, 2), PQgetvalue(res, i, 5));
		if (!PQgetisnull(res, i, 6))
			printf("    hint: %s\n", PQgetvalue(res, i, 6));
	}
	if (PQntuples(res) == 0)
		log_info("No findings for revision %s.", id);
	PQclear(res);
	free(id);
	if (errors > 0)
		pg_log_error("%d error%s in revision %s", errors, errors == 1 ? "" : "s", spec);
	return errors > 0 ? EXIT_MIGRATION : EXIT_OK;
}
