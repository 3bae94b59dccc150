/*-------------------------------------------------------------------------
 *
 * cmd_check.c
 *	  "check": the server's schemamig.check() (graph problems, changed
 *	  checksums, drift, a live schema that differs from its snapshot, with
 *	  what differs), and before it what only the client can see, the files
 *	  against the database:
 *	    - a file that could not be read (error, with its file and line);
 *	    - an orphan: applied here, but no file in this checkout (error);
 *	    - a stray: registered, not applied, no file (warning);
 *	    - when the files were not synced (--no-sync, or a bad file): a file
 *	      that is not registered, or differs from its registered revision
 *	      (an error when that revision is applied).
 *	  Lines "severity: problem: detail"; --json prints one array of
 *	  {severity, problem, detail}.  Exit 1 on an error finding, or on a
 *	  warning with --fail-on warning.
 *
 * src/client/cmd_check.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"

typedef struct Findings
{
	int			n;
	int			errors;
	int			warnings;
	PQExpBufferData text;
	PQExpBufferData json;
} Findings;

static void
add_finding(Findings *f, const char *severity, const char *problem, const char *detail)
{
	if (strcmp(severity, "error") == 0)
		f->errors++;
	else if (strcmp(severity, "warning") == 0)
		f->warnings++;
	appendPQExpBuffer(&f->text, "%s: %s%s%s\n", severity, problem,
					  detail ? ": " : "", detail ? detail : "");
	appendPQExpBufferStr(&f->json, f->n++ > 0 ? ",{" : "{");
	json_kv(&f->json, true, "severity", severity);
	json_kv(&f->json, false, "problem", problem);
	json_kv(&f->json, false, "detail", detail);
	appendPQExpBufferChar(&f->json, '}');
}

/* Files that are not registered, or differ from their registered revision. */
static bool
unsynced_findings(PGconn *conn, const DbGraph *g, const MigDir *md, Findings *f)
{
	RevFile   **files = pg_malloc(sizeof(RevFile *) * (md->n + 1));
	char	  **sums = pg_malloc(sizeof(char *) * (md->n + 1));
	int			i,
				n = 0;
	bool		ok;

	for (i = 0; i < md->n; i++)
	{
		DbRev	   *r = dbgraph_find(g, md->files[i]->id);

		if (r == NULL)
		{
			char	   *d = psprintf("%s (revision %s) is not registered in the database; a sync registers it",
									  md->files[i]->path, md->files[i]->id);

			add_finding(f, "warning", "unregistered file", d);
			free(d);
		}
		else
			files[n++] = md->files[i];
	}
	ok = files_checksums(conn, files, n, sums);
	for (i = 0; ok && i < n; i++)
	{
		DbRev	   *r = dbgraph_find(g, files[i]->id);

		if (strcmp(sums[i], r->checksum) != 0)
		{
			char	   *d = psprintf(r->applied ?
									  "%s differs from applied revision %s as registered (checksum in the database %s, of the file %s)" :
									  "%s differs from revision %s as registered (checksum in the database %s, of the file %s); a sync updates it",
									  files[i]->path, r->id, r->checksum, sums[i]);

			add_finding(f, r->applied ? "error" : "warning",
						r->applied ? "applied revision changed" : "file changed", d);
			free(d);
		}
		else if (strcmp(r->message, files[i]->message) != 0)
		{
			char	   *d = psprintf("%s: the message differs from revision %s as registered; a sync updates it",
									  files[i]->path, r->id);

			add_finding(f, "warning", "file changed", d);
			free(d);
		}
	}
	for (i = 0; ok && i < n; i++)
		free(sums[i]);
	free(sums);
	free(files);
	return ok;
}

/* Findings only the client can see: the files against the database. */
static bool
file_findings(PGconn *conn, const DbGraph *g, const MigDir *md, bool synced, Findings *f)
{
	int			i;

	if (md == NULL)
		return true;
	for (i = 0; i < md->nbad; i++)
		add_finding(f, "error", "unreadable migration file", md->bad[i]);
	if (!synced && !opts.no_sync && md->nbad == 0)
		add_finding(f, "error", "sync failed",
					"the migration files could not be registered (the error is above); what follows compares them with what is registered");
	for (i = 0; i < g->n; i++)
	{
		const DbRev *r = &g->revs[i];
		char	   *d;

		if (rev_is_orphan(g, r))
		{
			d = psprintf("%s is applied in this database but has no file in %s (applied from another branch?); \"pg_schemamig downgrade --orphans\" takes it back",
						  r->id, md->path);
			add_finding(f, "error", "orphan revision", d);
			free(d);
		}
		else if (rev_is_stray(g, r))
		{
			d = psprintf("%s is registered but has no file in %s, so it is never applied; \"pg_schemamig sync --prune\" removes it",
						  r->id, md->path);
			add_finding(f, "warning", "revision without a file", d);
			free(d);
		}
	}
	if (!synced)
		return unsynced_findings(conn, g, md, f);
	return true;
}

/*
 * check [--json] [--fail-on warning|error]; "synced" tells whether the
 * files were registered first.
 */
int
cmd_check(PGconn *conn, const DbGraph *g, const MigDir *md, bool synced)
{
	Findings	f;
	PGresult   *res;
	int			i;
	bool		ok;
	bool		drifted = false;

	if (!db_has_function(conn, "check"))
	{
		pg_log_error("this database's pg_schemamig has no schemamig.check()");
		pg_log_error_hint("Install a pg_schemamig release that provides check.");
		return EXIT_MIGRATION;
	}
	memset(&f, 0, sizeof(f));
	initPQExpBuffer(&f.text);
	initPQExpBuffer(&f.json);
	ok = file_findings(conn, g, md, synced, &f);
	res = ok ? db_exec(conn, "SELECT severity, problem, detail FROM schemamig.check()", 0, NULL,
					   "running schemamig.check()") : NULL;
	if (res == NULL)
		ok = false;
	for (i = 0; ok && i < PQntuples(res); i++)
	{
		add_finding(&f, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
					PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2));
		if (strcmp(PQgetvalue(res, i, 1), "schema drift") == 0)
			drifted = true;
	}
	PQclear(res);
	if (ok && drifted)
	{
		/* what differs: the snapshot's description against the live one */
		char	  **lines;
		int			n;

		ok = drift_differences(conn, &lines, &n);
		for (i = 0; ok && i < n; i++)
		{
			add_finding(&f, "error", "schema differs", lines[i]);
			free(lines[i]);
		}
		if (ok)
			free(lines);
	}
	if (ok && opts.json)
		printf("[%s]\n", f.json.data);
	else if (ok)
	{
		fputs(f.text.data, stdout);
		if (f.n == 0)
			log_info("No problems detected.");
	}
	termPQExpBuffer(&f.text);
	termPQExpBuffer(&f.json);
	if (!ok)
		return EXIT_MIGRATION;
	if (f.errors > 0 || (opts.fail_on && strcmp(opts.fail_on, "warning") == 0 && f.warnings > 0))
		return EXIT_MIGRATION;
	return EXIT_OK;
}
