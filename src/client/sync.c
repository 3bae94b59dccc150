/*-------------------------------------------------------------------------
 *
 * sync.c
 *	  "sync": the migration files -> schemamig.revision.
 *
 *	- a file whose revision is not registered is added;
 *	- a file identical to its registered revision is skipped (same text, or
 *	  the same checksum over PostgreSQL's token stream, so reformatting is
 *	  not a change);
 *	- a changed file whose revision is applied is refused, with both
 *	  checksums, and nothing is registered;
 *	- a changed file whose revision is not applied is registered again;
 *	- a registered revision without a file is reported, and removed with
 *	  --prune when it is not applied.
 *
 * Everything is registered in one transaction, parents first.
 *
 * src/client/sync.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"

/* What sync does with one file. */
typedef enum SyncAction
{
	SYNC_SAME,
	SYNC_ADD,
	SYNC_UPDATE,				/* registered, but changed */
	SYNC_AMEND,					/* applied; only its downgrade changed */
	SYNC_CHECK					/* SQL text differs: compare checksums */
} SyncAction;

static bool
lists_equal(const RevFileList *a, const RevFileList *b)
{
	int			i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

/*
 * Fills sums[i] with schemamig.checksum() of files[i] (the extension's
 * checksum over PostgreSQL's token stream), in one query.  Returns false
 * after an error.
 */
bool
files_checksums(PGconn *conn, RevFile *const *files, int n, char **sums)
{
	PQExpBufferData ups,
				downs,
				trans;
	const char *params[3];
	PGresult   *res;
	int			i;

	if (n == 0)
		return true;
	initPQExpBuffer(&ups);
	initPQExpBuffer(&downs);
	initPQExpBuffer(&trans);
	for (i = 0; i < n; i++)
	{
		array_literal_add(&ups, files[i]->upgrade_sql);
		array_literal_add(&downs, files[i]->downgrade_sql);
		array_literal_add(&trans, files[i]->transactional ? "t" : "f");
	}
	array_literal_end(&ups);
	array_literal_end(&downs);
	array_literal_end(&trans);
	params[0] = ups.data;
	params[1] = downs.data;
	params[2] = trans.data;
	res = db_exec(conn,
				  "SELECT schemamig.checksum(x.u, x.d, x.t) "
				  "FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::text[]), "
				  "pg_catalog.unnest($3::boolean[])) AS x(u, d, t)",
				  3, params, "computing checksums of the migration files");
	termPQExpBuffer(&ups);
	termPQExpBuffer(&downs);
	termPQExpBuffer(&trans);
	if (res == NULL)
		return false;
	for (i = 0; i < n; i++)
		sums[i] = pg_strdup(PQgetvalue(res, i, 0));
	PQclear(res);
	return true;
}

/* sums[i] for the files marked SYNC_CHECK. */
static bool
file_checksums(PGconn *conn, MigDir *md, const SyncAction *act, char **sums)
{
	RevFile   **files = pg_malloc(sizeof(RevFile *) * (md->n + 1));
	char	  **got = pg_malloc(sizeof(char *) * (md->n + 1));
	int			i,
				n = 0;
	bool		ok;

	for (i = 0; i < md->n; i++)
		if (act[i] == SYNC_CHECK)
			files[n++] = md->files[i];
	ok = files_checksums(conn, files, n, got);
	for (i = 0, n = 0; ok && i < md->n; i++)
		if (act[i] == SYNC_CHECK)
			sums[i] = got[n++];
	free(files);
	free(got);
	return ok;
}

/*
 * True when the file differs from its registered revision only in the
 * downgrade section: the upgrade and transactional with the registered
 * downgrade give the registered checksum.  An applied revision's downgrade
 * may be corrected.
 */
static bool
downgrade_only_change(PGconn *conn, const RevFile *f, const DbRev *r)
{
	RevFile		probe = *f;
	RevFile    *files[1];
	char	   *sum = NULL;
	bool		same;

	if (r->upgrade_sql == NULL)
		return false;
	probe.downgrade_sql = r->downgrade_sql;
	files[0] = &probe;
	if (!files_checksums(conn, files, 1, &sum))
		return false;
	same = strcmp(sum, r->checksum) == 0;
	free(sum);
	return same;
}

/* The applied revisions (ancestors of the version table), as a map. */
static bool
applied_set(PGconn *conn, StrMap *applied, PGresult **keep)
{
	PGresult   *res;
	int			i;

	res = db_exec(conn,
				  "WITH RECURSIVE a(id) AS ("
				  " SELECT v.revision FROM schemamig.version v"
				  " UNION"
				  " SELECT pg_catalog.unnest(r.down_revisions OPERATOR(pg_catalog.||) r.depends_on)"
				  " FROM schemamig.revision r JOIN a ON r.id OPERATOR(pg_catalog.=) a.id)"
				  " SELECT id FROM a",
				  0, NULL, "reading the applied revisions");
	if (res == NULL)
		return false;
	strmap_init(applied, PQntuples(res));
	for (i = 0; i < PQntuples(res); i++)
		strmap_put(applied, PQgetvalue(res, i, 0), i);
	*keep = res;
	return true;
}

/* Registers one file with schemamig.add_revision(). */
static bool
register_file(PGconn *conn, const RevFile *f, const DbGraph *g)
{
	const char *params[8];
	char	   *down = array_literal(&f->down);
	char	   *labels = array_literal(&f->labels);
	char	   *deps = array_literal(&f->depends);
	PGresult   *res;
	bool		ok;

	params[0] = f->id;
	params[1] = f->message;
	params[2] = f->upgrade_sql;
	params[3] = f->downgrade_sql;
	params[4] = down;
	params[5] = labels;
	params[6] = deps;
	params[7] = f->transactional ? "true" : "false";
	res = PQexecParams(conn,
					   "SELECT schemamig.add_revision($1, $2, $3, $4, $5::text[], $6::text[], $7::text[], $8::boolean)",
					   8, NULL, params, NULL, NULL, 0);
	ok = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
	{
		/* a parse error names the section's text and position: file:line */
		int			line = res ? revision_error_line(f, PQresultErrorField(res, PG_DIAG_INTERNAL_QUERY),
													 PQresultErrorField(res, PG_DIAG_INTERNAL_POSITION)) : 0;
		char	   *what = line > 0 ?
			psprintf("could not register revision %s (%s:%d)", f->id, f->path, line) :
			psprintf("could not register revision %s (%s)", f->id, f->path);

		db_report_error(res, conn, what, g);
		free(what);
	}
	PQclear(res);
	free(down);
	free(labels);
	free(deps);
	return ok;
}

/*
 * Synchronises the files into the database.  On success *out is the
 * registered graph (with SQL), files attached.  "explicit_sync" is the
 * "sync" command itself, which prints what it did.
 */
int
cmd_sync(PGconn *conn, MigDir *md, bool explicit_sync, DbGraph **out)
{
	DbGraph    *g;
	SyncAction *act;
	char	  **sums;
	StrMap		applied = {0, 0, NULL, NULL};
	PGresult   *applied_res = NULL;
	int			i,
				nadd = 0,
				nupdate = 0,
				nsame = 0,
				nremove = 0,
				nconflict = 0,
				ncheck = 0,
				norphan = 0;
	bool		ok = true;

	*out = NULL;
	g = dbgraph_load(conn, true);
	if (g == NULL)
		return EXIT_MIGRATION;
	act = pg_malloc(sizeof(SyncAction) * (md->n + 1));
	sums = pg_malloc(sizeof(char *) * (md->n + 1));
	for (i = 0; i < md->n; i++)
	{
		const RevFile *f = md->files[i];
		DbRev	   *r = dbgraph_find(g, f->id);

		sums[i] = NULL;
		if (r == NULL)
			act[i] = SYNC_ADD;
		else if (strcmp(r->upgrade_sql, f->upgrade_sql) != 0 ||
				 (r->downgrade_sql == NULL) != (f->downgrade_sql == NULL) ||
				 (r->downgrade_sql && strcmp(r->downgrade_sql, f->downgrade_sql) != 0) ||
				 r->transactional != f->transactional)
		{
			act[i] = SYNC_CHECK;
			ncheck++;
		}
		else if (strcmp(r->message, f->message) != 0 ||
				 !lists_equal(&r->down, &f->down) ||
				 !lists_equal(&r->labels, &f->labels) ||
				 !lists_equal(&r->depends, &f->depends))
			act[i] = SYNC_UPDATE;
		else
			act[i] = SYNC_SAME;
	}
	for (i = 0; i < g->n; i++)
		if (migdir_find(md, g->revs[i].id) < 0)
			norphan++;

	if (ncheck > 0 && !file_checksums(conn, md, act, sums))
		ok = false;
	if (ok && (ncheck > 0 || norphan > 0) && !applied_set(conn, &applied, &applied_res))
		ok = false;

	/* changed SQL: refused when applied */
	for (i = 0; ok && i < md->n; i++)
	{
		const RevFile *f = md->files[i];
		DbRev	   *r;

		if (act[i] != SYNC_CHECK)
			continue;
		r = dbgraph_find(g, f->id);
		if (strcmp(sums[i], r->checksum) == 0)
		{
			/* the same tokens: a formatting change only */
			act[i] = (strcmp(r->message, f->message) != 0 ||
					  !lists_equal(&r->down, &f->down) ||
					  !lists_equal(&r->labels, &f->labels) ||
					  !lists_equal(&r->depends, &f->depends)) ? SYNC_UPDATE : SYNC_SAME;
			continue;
		}
		if (strmap_get(&applied, f->id) >= 0 && downgrade_only_change(conn, f, r))
			act[i] = SYNC_AMEND;
		else if (strmap_get(&applied, f->id) >= 0)
		{
			pg_log_error("%s: revision %s was changed after it was applied", f->path, f->id);
			pg_log_error_detail("Checksum in the database: %s; checksum of the file: %s.", r->checksum, sums[i]);
			pg_log_error_hint("Restore the file (see schemamig.revision), or write a new revision for the change; only the downgrade section of an applied revision may be corrected.");
			nconflict++;
		}
		else
			act[i] = SYNC_UPDATE;
	}
	if (nconflict > 0)
	{
		pg_log_error("sync refused: %d applied revision%s changed; nothing was registered",
				  nconflict, nconflict == 1 ? "" : "s");
		ok = false;
	}

	/* registered revisions without a file: orphans (applied) and strays */
	{
		int			norph = 0,
					nstray = 0;

		for (i = 0; ok && i < g->n; i++)
		{
			DbRev	   *r = &g->revs[i];

			if (migdir_find(md, r->id) >= 0)
				continue;
			if (strmap_get(&applied, r->id) >= 0)
			{
				pg_log_warning("revision %s is applied here but has no file in %s (an orphan: applied from another branch?)",
							r->id, md->path);
				norph++;
			}
			else if (!opts.prune)
			{
				pg_log_warning("revision %s is registered but has no file in %s; it is never applied",
							r->id, md->path);
				nstray++;
			}
		}
		if (norph > 0)
			pg_log_error_hint("\"pg_schemamig downgrade --orphans\" takes %s back with the SQL stored in the database.",
					 norph > 1 ? "them" : "it");
		if (nstray > 0)
			pg_log_error_hint("\"pg_schemamig sync --prune\" removes %s from the database.",
					 nstray > 1 ? "them" : "it");
	}

	for (i = 0; i < md->n; i++)
	{
		if (act[i] == SYNC_ADD)
			nadd++;
		else if (act[i] == SYNC_UPDATE || act[i] == SYNC_CHECK || act[i] == SYNC_AMEND)
			nupdate++;
		else
			nsame++;
	}
	if (ok && opts.prune)
		for (i = 0; i < g->n; i++)
			if (migdir_find(md, g->revs[i].id) < 0 && strmap_get(&applied, g->revs[i].id) < 0)
				nremove++;

	if (ok && (nadd > 0 || nupdate > 0 || nremove > 0))
	{
		dbgraph_attach_files(g, md);
		ok = db_command(conn, "BEGIN", "starting the registration");
		for (i = 0; ok && i < md->n; i++)
		{
			if (act[i] == SYNC_SAME)
				continue;
			ok = register_file(conn, md->files[i], g);
		}
		/* removals, children before parents */
		for (i = g->n - 1; ok && opts.prune && i >= 0; i--)
		{
			const char *params[1];
			PGresult   *res;
			DbRev	   *r = &g->revs[i];

			if (migdir_find(md, r->id) >= 0 || strmap_get(&applied, r->id) >= 0)
				continue;
			params[0] = r->id;
			res = PQexecParams(conn, "SELECT schemamig.remove_revision($1)", 1, NULL,
							   params, NULL, NULL, 0);
			if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
			{
				char	   *what = psprintf("could not remove revision %s", r->id);

				db_report_error(res, conn, what, NULL);
				free(what);
				ok = false;
			}
			else if (explicit_sync)
				log_info("Removed %s (no file, not applied)", r->id);
			PQclear(res);
		}
		if (ok)
			ok = db_command(conn, "COMMIT", "committing the registration");
		else
			PQclear(PQexec(conn, "ROLLBACK"));
		/* what was registered, once it is committed */
		for (i = 0; ok && i < md->n; i++)
		{
			if (act[i] == SYNC_SAME)
				continue;
			if (act[i] == SYNC_AMEND)
				log_info("Amended the downgrade of applied revision %s (%s); the old text is kept in schemamig.revision_amendment",
						 md->files[i]->id, md->files[i]->path);
			else if (explicit_sync)
				log_info("%s %s (%s)", act[i] == SYNC_ADD ? "Registered" : "Updated",
						 md->files[i]->id, md->files[i]->path);
			else
				log_verbose("%s %s (%s)", act[i] == SYNC_ADD ? "registered" : "updated",
							md->files[i]->id, md->files[i]->path);
		}
	}
	if (ok && explicit_sync && opts.prune)
		log_info("sync: %d added, %d updated, %d unchanged, %d removed",
				 nadd, nupdate, nsame, nremove);
	else if (ok && explicit_sync)
		log_info("sync: %d added, %d updated, %d unchanged", nadd, nupdate, nsame);
	else if (ok && (nadd > 0 || nupdate > 0 || nremove > 0))
		log_verbose("sync: %d added, %d updated, %d unchanged, %d removed",
					nadd, nupdate, nsame, nremove);

	for (i = 0; i < md->n; i++)
		free(sums[i]);
	free(sums);
	free(act);
	if (applied.keys)
		strmap_free(&applied);
	PQclear(applied_res);
	if (!ok)
	{
		dbgraph_free(g);
		return EXIT_MIGRATION;
	}
	if (nadd > 0 || nupdate > 0 || nremove > 0)
	{
		dbgraph_free(g);
		g = dbgraph_load(conn, true);
		if (g == NULL)
			return EXIT_MIGRATION;
	}
	dbgraph_attach_files(g, md);
	*out = g;
	return EXIT_OK;
}
