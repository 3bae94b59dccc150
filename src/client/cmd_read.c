/*-------------------------------------------------------------------------
 *
 * cmd_read.c
 *	  --json for the reading commands current, heads, history and show: one
 *	  JSON array, one object per revision in the order the server gives,
 *
 *	    {"revision", "message", "down_revisions", "branch_labels",
 *	     "depends_on", "is_head", "current", "applied", "transactional",
 *	     "reversible", "file", "orphan"}
 *
 *	  where "current" means in the version table, "applied" current or an
 *	  ancestor of a current revision, "file" the migration file's path (null
 *	  when this checkout has none) and "orphan" applied without a file.
 *
 * src/client/cmd_read.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"

/* Appends one revision as a JSON object. */
void
json_revision(PQExpBuffer b, const DbGraph *g, const DbRev *r)
{
	appendPQExpBufferChar(b, '{');
	json_kv(b, true, "revision", r->id);
	json_kv(b, false, "message", r->message);
	json_kv_list(b, false, "down_revisions", &r->down);
	json_kv_list(b, false, "branch_labels", &r->labels);
	json_kv_list(b, false, "depends_on", &r->depends);
	json_kv_bool(b, false, "is_head", r->nchildren == 0);
	json_kv_bool(b, false, "current", r->current);
	json_kv_bool(b, false, "applied", r->applied);
	json_kv_bool(b, false, "transactional", r->transactional);
	json_kv_bool(b, false, "reversible", r->reversible);
	json_kv(b, false, "file", r->file ? r->file->path : NULL);
	json_kv_bool(b, false, "orphan", rev_is_orphan(g, r));
	appendPQExpBufferChar(b, '}');
}

/*
 * Prints the revisions a "SELECT revision ..." query returns ("nparams" 0
 * or 1) as one JSON array.
 */
int
print_revisions_json(PGconn *conn, const DbGraph *g, const char *sql, int nparams,
					 const char *param, const char *what)
{
	const char *params[1] = {param};
	PGresult   *res = db_exec(conn, sql, nparams, params, what);
	PQExpBufferData b;
	int			i,
				n = 0;

	if (res == NULL)
		return EXIT_MIGRATION;
	initPQExpBuffer(&b);
	appendPQExpBufferChar(&b, '[');
	for (i = 0; i < PQntuples(res); i++)
	{
		DbRev	   *r = dbgraph_find(g, PQgetvalue(res, i, 0));

		if (r == NULL)
			continue;
		if (n++ > 0)
			appendPQExpBufferChar(&b, ',');
		json_revision(&b, g, r);
	}
	appendPQExpBufferChar(&b, ']');
	printf("%s\n", b.data);
	termPQExpBuffer(&b);
	PQclear(res);
	return EXIT_OK;
}
