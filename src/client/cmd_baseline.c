/*-------------------------------------------------------------------------
 *
 * cmd_baseline.c
 *	  baseline -m MSG: the first revision of a database that already has a
 *	  schema.  Its upgrade creates the live schema as it is, its downgrade
 *	  drops it; it is written to the migrations folder, registered and
 *	  stamped applied, and nothing else in the database is touched.
 *
 * The SQL is the server's: schemamig.diff() of an empty desired schema
 * against the live one has, per step, the statement that drops a live
 * object (upgrade) and the one that creates it again (downgrade), in
 * dependency order.  The baseline's upgrade is those downgrade statements
 * in reverse step order (what diff's downgrade runs), its downgrade the
 * upgrade statements in order.
 *
 * src/client/cmd_baseline.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "pqexpbuffer.h"

/* Appends "stmt;" and a newline. */
static void
add_statement(PQExpBuffer buf, const char *stmt)
{
	size_t		n = strlen(stmt);

	while (n > 0 && (stmt[n - 1] == '\n' || stmt[n - 1] == ' '))
		n--;
	appendBinaryPQExpBuffer(buf, stmt, n);
	if (n > 0 && stmt[n - 1] != ';')
		appendPQExpBufferChar(buf, ';');
	appendPQExpBufferChar(buf, '\n');
}

/*
 * Marks the drift recorded so far as seen: after an adoption or a baseline
 * the live schema is, by definition, the state of the current revisions, so
 * the DDL that built it (Alembic's, or whatever came before) is not drift.
 * A role that may not acknowledge gets a warning, not a failure.
 */
void
acknowledge_prior_drift(PGconn *conn, const char *why)
{
	PGresult   *res;

	if (!db_has_function(conn, "acknowledge_drift"))
		return;
	res = PQexec(conn, "SELECT schemamig.acknowledge_drift()");
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		pg_log_warning("could not acknowledge the drift recorded before the %s: %s", why,
					PQerrorMessage(conn));
		PQclear(res);
		return;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "0") != 0)
		log_info("Acknowledged %s drift event%s recorded before the %s.", PQgetvalue(res, 0, 0),
				 strcmp(PQgetvalue(res, 0, 0), "1") == 0 ? "" : "s", why);
	PQclear(res);
}

int
cmd_baseline(void)
{
	MigDir	   *md;
	PGconn	   *conn = NULL;
	DbGraph    *g = NULL;
	PGresult   *res = NULL;
	RevFile		rf;
	PQExpBuffer up = NULL,
				down = NULL;
	char	   *registered = NULL;
	int			rc = EXIT_MIGRATION,
				i,
				n;

	if (opts.nargs > 0)
	{
		pg_log_error("baseline takes no arguments (the message goes in -m)");
		return EXIT_USAGE;
	}
	md = migdir_load(opts.directory, NULL, NULL);
	if (md == NULL)
		return EXIT_MIGRATION;
	memset(&rf, 0, sizeof(rf));
	if (md->n > 0)
	{
		pg_log_error("the migrations folder %s already has %d revision%s; a baseline starts a history",
				  md->path, md->n, md->n == 1 ? "" : "s");
		pg_log_error_hint("Write the next revision with \"pg_schemamig revision --autogenerate\" instead.");
		goto done;
	}
	conn = db_connect_finish(db_connect_start());
	if (conn == NULL)
		goto done;
	registered = db_value(conn,
						  "SELECT (SELECT pg_catalog.count(*) FROM schemamig.revision) "
						  "OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM schemamig.version)",
						  "reading the registered revisions");
	if (registered == NULL)
		goto done;
	if (strcmp(registered, "0") != 0)
	{
		pg_log_error("the database already has registered or applied revisions; a baseline starts a history");
		goto done;
	}
	res = desired_diff(conn, pg_strdup(""));
	if (res == NULL)
		goto done;
	n = PQntuples(res);
	if (n == 0)
	{
		pg_log_error("the schema \"public\" is empty: there is nothing to baseline");
		pg_log_error_hint("Start with \"pg_schemamig revision -m MSG\".");
		goto done;
	}
	up = createPQExpBuffer();
	down = createPQExpBuffer();
	for (i = n - 1; i >= 0; i--)
	{
		if (PQgetisnull(res, i, 2))
		{
			pg_log_error("diff() cannot recreate a live object: its step %s (%s) has no inverse",
					  PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
			goto done;
		}
		add_statement(up, PQgetvalue(res, i, 2));
	}
	for (i = 0; i < n; i++)
		add_statement(down, PQgetvalue(res, i, 1));

	rf.id = opts.rev_id ? pg_strdup(opts.rev_id) : new_rev_id(md);
	if (rf.id == NULL)
		goto done;
	rf.message = pg_strdup(opts.message ? opts.message : "baseline");
	rf.transactional = true;
	rf.upgrade_sql = up->data;
	rf.downgrade_sql = down->data;
	if (write_revision_file(md, &rf) != EXIT_OK)
		goto done;

	/* register the new file and stamp it: no SQL of it runs */
	migdir_free(md);
	md = migdir_load(opts.directory, NULL, NULL);
	if (md == NULL || cmd_sync(conn, md, false, &g) != EXIT_OK)
		goto done;
	{
		const char *params[1] = {rf.id};
		PGresult   *st = PQexecParams(conn, "SELECT schemamig.stamp($1::text)", 1, NULL, params,
									  NULL, NULL, 0);

		if (st == NULL || PQresultStatus(st) != PGRES_TUPLES_OK)
		{
			db_report_error(st, conn, "stamp failed", g);
			PQclear(st);
			goto done;
		}
		PQclear(st);
	}
	log_info("Running stamp_revision  -> %s", rf.id);
	acknowledge_prior_drift(conn, "baseline");
	rc = EXIT_OK;

done:
	if (up)
		destroyPQExpBuffer(up);
	if (down)
		destroyPQExpBuffer(down);
	free(rf.id);
	free(rf.message);
	free(registered);
	PQclear(res);
	dbgraph_free(g);
	migdir_free(md);
	if (conn)
		db_disconnect(conn);
	return rc;
}
