/*-------------------------------------------------------------------------
 *
 * cmd_drift.c
 *	  The drift workflow without psql:
 *	    drift [--all] [--json]  the rows of schemamig.drift (DDL done outside
 *	                            pg_schemamig); exit 1 on unacknowledged ones
 *	    drift --ack             acknowledges them and records the live schema
 *	                            as the expected one (a snapshot), in one
 *	                            transaction
 *	    snapshot                records the live schema as the expected
 *	                            schema of the current heads
 *	  and, for check, what differs between the latest snapshot and the live
 *	  schema: schemamig.snapshot_diff() compares describe()'s jsonb with the
 *	  description stored with the snapshot; each difference is named by its
 *	  object ("table public.tasks, column priority") and attribute.
 *
 * src/client/cmd_drift.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"

/* describe()'s collection keys and the object kind each holds */
static const char *const kinds[][2] = {
	{"tables", "table"}, {"columns", "column"}, {"constraints", "constraint"},
	{"indexes", "index"}, {"sequences", "sequence"}, {"views", "view"},
	{"matviews", "materialized view"}, {"functions", "function"},
	{"procedures", "procedure"}, {"triggers", "trigger"}, {"types", "type"},
	{"enums", "enum"}, {"domains", "domain"}, {"policies", "policy"},
	{"partitions", "partition"}, {"extensions", "extension"}, {NULL, NULL}
};

static const char *
kind_of(const char *key)
{
	int			i;

	for (i = 0; kinds[i][0]; i++)
		if (strcmp(kinds[i][0], key) == 0)
			return kinds[i][1];
	return NULL;
}

/*
 * One difference as text: "table public.tasks, column priority: added",
 * "table public.tasks, column title: type: text -> integer".  "path" is
 * the text[] of the jsonb path; snapshot and live are the values (NULL:
 * absent).
 */
static char *
describe_difference(PGresult *res, int row)
{
	PQExpBufferData b;
	const char *path = PQgetvalue(res, row, 0);
	bool		no_old = PQgetisnull(res, row, 1);
	bool		no_new = PQgetisnull(res, row, 2);
	char	   *copy = pg_strdup(path);
	char	   *elems[64];
	int			n = 0,
				i;
	char	   *p,
			   *s;
	const char *attribute = NULL;
	char	   *out;

	/* the path's elements, separated by \x1f (see drift_differences) */
	for (p = copy; n < 64;)
	{
		elems[n++] = p;
		if ((s = strchr(p, '\x1f')) == NULL)
			break;
		*s = '\0';
		p = s + 1;
	}
	initPQExpBuffer(&b);
	i = 0;
	if (n > 0)
	{
		/* the schema first */
		appendPQExpBuffer(&b, "schema %s", elems[0]);
		i = 1;
	}
	while (i < n)
	{
		const char *kind = kind_of(elems[i]);

		if (kind != NULL && i + 1 < n)
		{
			if (strcmp(kind, "table") == 0 || strcmp(kind, "view") == 0 ||
				strcmp(kind, "sequence") == 0 || strcmp(kind, "function") == 0 ||
				strcmp(kind, "type") == 0 || strcmp(kind, "enum") == 0 ||
				strcmp(kind, "domain") == 0 || strcmp(kind, "materialized view") == 0 ||
				strcmp(kind, "procedure") == 0)
			{
				/* a schema-level object: "table public.tasks" replaces "schema public" */
				char	   *schema = n > 0 ? elems[0] : "";

				resetPQExpBuffer(&b);
				appendPQExpBuffer(&b, "%s %s.%s", kind, schema, elems[i + 1]);
			}
			else
				appendPQExpBuffer(&b, ", %s %s", kind, elems[i + 1]);
			i += 2;
		}
		else
		{
			attribute = elems[i];
			if (i + 1 < n)
			{
				/* a nested attribute: keep the rest as a dotted name */
				PQExpBufferData a;
				int			k;

				initPQExpBuffer(&a);
				for (k = i; k < n; k++)
					appendPQExpBuffer(&a, "%s%s", k > i ? "." : "", elems[k]);
				appendPQExpBuffer(&b, ": %s", a.data);
				termPQExpBuffer(&a);
				attribute = "";
			}
			else
				appendPQExpBuffer(&b, ": %s", attribute);
			i = n;
		}
	}
	if (no_old)
		appendPQExpBuffer(&b, attribute ? " added (%s)" : ": added", attribute ? PQgetvalue(res, row, 2) : "");
	else if (no_new)
		appendPQExpBuffer(&b, attribute ? " removed (was %s)" : ": removed", attribute ? PQgetvalue(res, row, 1) : "");
	else
		appendPQExpBuffer(&b, ": %s -> %s", PQgetvalue(res, row, 1), PQgetvalue(res, row, 2));
	out = pg_strdup(b.data);
	termPQExpBuffer(&b);
	free(copy);
	return out;
}

/*
 * The differences between the latest snapshot of the current heads and the
 * live schema, one line each (malloc'd array of malloc'd strings; *n the
 * count).  Returns false after an error; a server without
 * schemamig.snapshot_diff() gives none.
 */
bool
drift_differences(PGconn *conn, char ***lines, int *n)
{
	PGresult   *res;
	int			i;

	*lines = NULL;
	*n = 0;
	if (!db_has_function(conn, "snapshot_diff"))
		return true;
	res = db_exec(conn,
				  "SELECT pg_catalog.array_to_string(d.path, E'\\x1f'), d.snapshot::pg_catalog.text, d.live::pg_catalog.text"
				  " FROM schemamig.snapshot_diff() d",
				  0, NULL, "comparing the live schema with its snapshot");
	if (res == NULL)
		return false;
	*lines = pg_malloc(sizeof(char *) * (PQntuples(res) + 1));
	for (i = 0; i < PQntuples(res); i++)
		(*lines)[(*n)++] = describe_difference(res, i);
	PQclear(res);
	return true;
}

/* drift --ack: acknowledge and take a snapshot, in one transaction. */
static int
drift_ack(PGconn *conn)
{
	char	   *count,
			   *fp;

	if (!db_command(conn, "BEGIN", "starting the acknowledgement"))
		return EXIT_MIGRATION;
	count = db_value(conn, "SELECT schemamig.acknowledge_drift()", "acknowledging the drift");
	fp = count ? db_value(conn, "SELECT schemamig.snapshot()", "recording a snapshot") : NULL;
	if (fp == NULL || !db_command(conn, "COMMIT", "committing the acknowledgement"))
	{
		PQclear(PQexec(conn, "ROLLBACK"));
		free(count);
		return EXIT_MIGRATION;
	}
	log_info("Acknowledged %s drift event%s; the live schema is now the expected one (fingerprint %.12s).",
			 count, strcmp(count, "1") == 0 ? "" : "s", fp);
	free(count);
	free(fp);
	return EXIT_OK;
}

/* snapshot: record the live schema as the expected one of the heads. */
int
cmd_snapshot(PGconn *conn)
{
	char	   *fp = db_value(conn, "SELECT schemamig.snapshot()", "recording a snapshot");
	char	   *heads;

	if (fp == NULL)
		return EXIT_MIGRATION;
	heads = db_value(conn,
					 "SELECT COALESCE(pg_catalog.string_agg(v.revision, ', ' ORDER BY v.position), 'base')"
					 " FROM schemamig.version v", "reading the current revisions");
	log_info("Recorded the live schema as the expected schema at %s (fingerprint %.12s).",
			 heads ? heads : "?", fp);
	free(fp);
	free(heads);
	return EXIT_OK;
}

/* drift [--all] [--json] | drift --ack */
int
cmd_drift(PGconn *conn)
{
	PGresult   *res;
	int			i,
				j,
				shown = 0;
	const char *params[1] = {opts.all ? "t" : "f"};

	res = db_exec(conn, "SELECT pg_catalog.to_regclass('schemamig.drift') IS NOT NULL", 0, NULL,
				  "looking up schemamig.drift");
	if (res == NULL)
		return EXIT_MIGRATION;
	if (PQgetvalue(res, 0, 0)[0] != 't')
	{
		PQclear(res);
		pg_log_error("this database's pg_schemamig has no schemamig.drift table");
		pg_log_error_hint("Install a pg_schemamig release that records drift.");
		return EXIT_MIGRATION;
	}
	PQclear(res);
	if (opts.ack)
		return drift_ack(conn);
	if (opts.json)
	{
		shown = db_print_json(conn,
							  "SELECT COALESCE(pg_catalog.json_agg(d ORDER BY d.id), '[]'::pg_catalog.json),"
							  " pg_catalog.count(*) FILTER (WHERE NOT d.acknowledged)"
							  " FROM schemamig.drift d WHERE $1::pg_catalog.bool OR NOT d.acknowledged",
							  params[0], "reading schemamig.drift");
		if (shown < 0)
			return EXIT_MIGRATION;
		return (shown > 0 && !opts.all) ? EXIT_MIGRATION : EXIT_OK;
	}
	res = db_exec(conn,
				  "SELECT * FROM schemamig.drift d WHERE $1::pg_catalog.bool OR NOT d.acknowledged ORDER BY d.id",
				  1, params, "reading schemamig.drift");
	if (res == NULL)
		return EXIT_MIGRATION;
	for (i = 0; i < PQntuples(res); i++)
	{
		if (shown++ > 0)
			printf("\n");
		for (j = 0; j < PQnfields(res); j++)
			if (!PQgetisnull(res, i, j))
				printf("%s: %s\n", PQfname(res, j), PQgetvalue(res, i, j));
	}
	PQclear(res);
	if (shown == 0)
		log_info("No drift detected.");
	else if (!opts.all)
	{
		pg_log_error("%d unacknowledged drift event%s", shown, shown == 1 ? "" : "s");
		pg_log_error_hint("\"pg_schemamig drift --ack\" acknowledges them and records the live schema as the expected one.");
	}
	return (shown > 0 && !opts.all) ? EXIT_MIGRATION : EXIT_OK;
}
