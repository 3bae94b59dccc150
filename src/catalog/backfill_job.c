/*-------------------------------------------------------------------------
 *
 * backfill_job.c
 *	  Reading and writing schemamig.backfill_job, the state of batched
 *	  backfills (the engine is src/backfill/backfill.c).
 *
 * The rows are written with the rights of the table's owner, the extension
 * owner: the caller of backfill needs no right on the catalog, and since
 * nobody else can write it, no caller can forge a job's progress.  SPI must
 * be connected; every query is schema-qualified and parameterised.
 *
 * src/catalog/backfill_job.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "backfill_job.h"

/* the owner of schemamig.backfill_job */
static Oid
job_owner(void)
{
	Oid			nsp = get_namespace_oid(SM_SCHEMA, false);
	Oid			relid = get_relname_relid("backfill_job", nsp);
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(relid))
		elog(ERROR, "table schemamig.backfill_job does not exist");
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* sm_spi_exec with the job table owner's rights */
static uint64
exec_as_owner(const char *sql, int expected, int nargs, Oid *argtypes,
			  Datum *values, const char *nulls)
{
	Oid			owner = job_owner();
	Oid			save_uid;
	int			save_sec;
	uint64		n;

	GetUserIdAndSecContext(&save_uid, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		n = sm_spi_exec(sql, expected, nargs, argtypes, values, nulls);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_uid, save_sec);
	}
	PG_END_TRY();
	return n;
}

static int64
get_int8(int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/* the text[] column "col" of row 0 as nkeys strings, or NULL */
static char **
get_key(int col, int nkeys)
{
	List	   *l = sm_spi_gettextarray(0, col);
	char	  **key;
	ListCell   *lc;

	if (l == NIL)
		return NULL;
	if (list_length(l) != nkeys)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the backfill job's last key has %d columns, its primary key %d",
						list_length(l), nkeys)));
	key = palloc(sizeof(char *) * nkeys);
	foreach(lc, l)
		key[foreach_current_index(lc)] = lfirst(lc);
	return key;
}

/* "a, b" */
static char *
join(List *l)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, l)
		appendStringInfo(&buf, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
						 (char *) lfirst(lc));
	return buf.data;
}

SmBackfillJob *
sm_backfill_job_open(Oid relid, const char *relname, const char *set_clause,
					 const char *where_clause, List *keycols)
{
	Oid			argtypes[5] = {OIDOID, TEXTOID, TEXTOID, TEXTARRAYOID, TEXTOID};
	Datum		values[5];
	SmBackfillJob *job = palloc0(sizeof(SmBackfillJob));
	List	   *cols;
	bool		isnull;
	ListCell   *la,
			   *lb;

	values[0] = ObjectIdGetDatum(relid);
	values[1] = CStringGetTextDatum(set_clause);
	values[2] = CStringGetTextDatum(where_clause);
	values[3] = sm_text_array_datum(keycols);
	values[4] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	(void) exec_as_owner("INSERT INTO schemamig.backfill_job "
						 "(relation, set_clause, where_clause, key_columns, started_by) "
						 "VALUES ($1::pg_catalog.regclass, $2, $3, $4, $5::pg_catalog.name) "
						 "ON CONFLICT DO NOTHING",
						 SPI_OK_INSERT, 5, argtypes, values, NULL);
	if (exec_as_owner("SELECT id, last_key, rows_updated, batches, finished_at IS NOT NULL, "
					  "finished_at::pg_catalog.text, key_columns "
					  "FROM schemamig.backfill_job "
					  "WHERE relation OPERATOR(pg_catalog.=) $1::pg_catalog.regclass "
					  "AND set_clause OPERATOR(pg_catalog.=) $2 AND where_clause OPERATOR(pg_catalog.=) $3",
					  SPI_OK_SELECT, 3, argtypes, values, NULL) != 1)
		elog(ERROR, "backfill job for %s not found", relname);

	cols = sm_spi_gettextarray(0, 7);
	if (list_length(cols) == list_length(keycols))
	{
		forboth(la, cols, lb, keycols)
		{
			if (strcmp(lfirst(la), lfirst(lb)) != 0)
				break;
		}
	}
	if (list_length(cols) != list_length(keycols) || la != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the primary key of %s changed since its backfill job started", relname),
				 errdetail("The job walks the key (%s); the table's primary key is now (%s).",
						   join(cols), join(keycols))));

	job->nkeys = list_length(keycols);
	job->id = get_int8(1);
	job->last = get_key(2, job->nkeys);
	job->rows = get_int8(3);
	job->batches = get_int8(4);
	job->finished = sm_spi_getbool(0, 5, &isnull);
	job->finished_at = job->finished ? pstrdup(sm_spi_getstr(0, 6)) : NULL;
	SPI_freetuptable(SPI_tuptable);
	return job;
}

bool
sm_backfill_job_lock(SmBackfillJob *job)
{
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];
	bool		isnull;

	values[0] = Int64GetDatum(job->id);
	if (exec_as_owner("SELECT last_key, rows_updated, batches, finished_at IS NOT NULL "
					  "FROM schemamig.backfill_job WHERE id OPERATOR(pg_catalog.=) $1 FOR UPDATE",
					  SPI_OK_SELECT, 1, argtypes, values, NULL) != 1)
		return false;
	job->last = get_key(1, job->nkeys);
	job->rows = get_int8(2);
	job->batches = get_int8(3);
	job->finished = sm_spi_getbool(0, 4, &isnull);
	SPI_freetuptable(SPI_tuptable);
	return true;
}

void
sm_backfill_job_advance(SmBackfillJob *job, char **upper, int64 rows)
{
	Oid			argtypes[4] = {INT8OID, TEXTARRAYOID, INT8OID, BOOLOID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	List	   *key = NIL;
	int			i;

	values[0] = Int64GetDatum(job->id);
	if (upper)
	{
		for (i = 0; i < job->nkeys; i++)
			key = lappend(key, upper[i]);
		values[1] = sm_text_array_datum(key);
	}
	else
	{
		values[1] = (Datum) 0;
		nulls[1] = 'n';
	}
	values[2] = Int64GetDatum(rows);
	values[3] = BoolGetDatum(upper == NULL);
	(void) exec_as_owner("UPDATE schemamig.backfill_job SET "
						 "last_key = COALESCE($2, last_key), "
						 "rows_updated = rows_updated OPERATOR(pg_catalog.+) $3, "
						 "batches = batches OPERATOR(pg_catalog.+) 1, "
						 "updated_at = pg_catalog.clock_timestamp(), "
						 "finished_at = CASE WHEN $4 THEN pg_catalog.clock_timestamp() END "
						 "WHERE id OPERATOR(pg_catalog.=) $1",
						 SPI_OK_UPDATE, 4, argtypes, values, nulls);
	job->rows += rows;
	job->batches++;
	if (upper == NULL)
		job->finished = true;
}
