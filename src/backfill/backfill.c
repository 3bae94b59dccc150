/*-------------------------------------------------------------------------
 *
 * backfill.c
 *	  CALL schemamig.backfill(tab, set_clause, where_clause, batch_size,
 *	  pause): a data migration as an UPDATE in batches of primary-key
 *	  ranges, one transaction per batch.
 *
 * A job is identified by (table, set clause, where clause) and kept in
 * schemamig.backfill_job.  Each batch
 *	  1. locks the job row and reads the last key a finished batch reached
 *	     (a second session running the same job waits here, then goes on
 *	     after the batches the first one finished);
 *	  2. finds the batch's upper key: the batch_size-th key after the last
 *	     one, in primary-key order (batch_size counts keys scanned, whether
 *	     or not the where clause selects their rows);
 *	  3. runs UPDATE tab SET <set> WHERE key > last AND key <= upper AND
 *	     (<where>) under schemamig.lock_timeout, retried with backoff like a
 *	     revision (lockwait.c);
 *	  4. records the new last key in the job row and commits: the UPDATE and
 *	     the progress commit together, so after a crash or kill -9 a rerun
 *	     starts exactly after the last committed batch and never redoes one.
 * The last batch, with no upper key, marks the job finished; calling a
 * finished job again does nothing and says so.
 *
 * Keys are stored as their text output (text[]) and cast back to the key
 * columns' types, so any primary key with text I/O works: integers, text,
 * uuid, composite keys (compared as rows, in index order).
 *
 * Rights: the UPDATE runs as the caller, who needs SELECT and UPDATE on the
 * table.  The job rows are written by src/catalog/backfill_job.c with the
 * extension owner's rights; no caller can forge a job's progress.
 *
 * src/backfill/backfill.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "parser/scanner.h"
#include "parser/gram.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "backfill_job.h"
#include "lockwait.h"
#include "pg_schemamig.h"

/* the table and its primary key */
typedef struct BfTable
{
	Oid			relid;
	char	   *name;			/* schema-qualified, quoted */
	int			nkeys;
	char	  **cols;			/* quoted column names */
	char	  **types;			/* their types, for casts */
	List	   *colnames;		/* the plain names */
	char	   *keylist;		/* "a, b" */
} BfTable;

/* what check_fragment's token callback finds */
typedef struct FragmentScan
{
	const char *frag;
	const char *what;
	int			depth;
	int			ntokens;
} FragmentScan;

static bool
fragment_token(const SmToken *tok, void *arg)
{
	FragmentScan *fs = (FragmentScan *) arg;

	fs->ntokens++;
	if (tok->code == '(' || tok->code == '[')
		fs->depth++;
	else if (tok->code == ')' || tok->code == ']')
	{
		if (--fs->depth < 0)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("%s has an unbalanced \"%c\"", fs->what, tok->code),
					 errdetail("%s: %s", fs->what, fs->frag)));
	}
	else if (tok->code == ';')
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("%s must not contain \";\"", fs->what),
				 errdetail("%s: %s", fs->what, fs->frag),
				 errhint("Give the SET list or the condition alone, not a statement.")));
	else if (tok->code == PARAM)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("%s must not contain parameters", fs->what),
				 errdetail("%s: %s", fs->what, fs->frag)));
	return true;
}

/*
 * check_fragment: the set or where clause must be a piece of one statement:
 * no ';', no $n parameters, and balanced parentheses that never close one
 * opened outside it (so "a) OR (b" cannot escape the key range).  Each is
 * followed by a newline where it is used, so a trailing "--" comment cannot
 * swallow the key range either.
 */
static void
check_fragment(const char *frag, const char *what)
{
	FragmentScan fs = {frag, what, 0, 0};

	sm_scan_tokens(frag, false, fragment_token, &fs);
	if (fs.depth != 0)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("%s has an unbalanced \"(\"", what),
				 errdetail("%s: %s", what, frag)));
	if (fs.ntokens == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", what)));
}

/* reads the table and its primary key; refuses what cannot be backfilled */
static BfTable *
load_table(Oid relid)
{
	BfTable    *t = palloc0(sizeof(BfTable));
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(relid)};
	char		kind = get_rel_relkind(relid);
	char	   *relname = get_rel_name(relid);
	List	   *names = NIL;
	StringInfoData keys;
	uint64		n;
	uint64		i;

	if (relname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", relid)));
	t->relid = relid;
	t->name = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), relname);
	if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table", t->name)));
	if (pg_class_aclcheck(relid, GetUserId(), ACL_UPDATE | ACL_SELECT) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for table %s", t->name),
				 errdetail("backfill needs SELECT and UPDATE on the table.")));

	n = sm_spi_exec("SELECT pg_catalog.quote_ident(a.attname), pg_catalog.format_type(a.atttypid, NULL), "
					"a.attname::pg_catalog.text "
					"FROM pg_catalog.pg_index i "
					"CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS k(attnum, ord) "
					"JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid "
					"AND a.attnum OPERATOR(pg_catalog.=) k.attnum "
					"WHERE i.indrelid OPERATOR(pg_catalog.=) $1 AND i.indisprimary ORDER BY k.ord",
					SPI_OK_SELECT, 1, argtypes, values, NULL);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table %s has no primary key", t->name),
				 errhint("backfill walks the table in primary-key order; add a primary key first.")));
	t->nkeys = (int) n;
	t->cols = palloc(sizeof(char *) * n);
	t->types = palloc(sizeof(char *) * n);
	initStringInfo(&keys);
	for (i = 0; i < n; i++)
	{
		t->cols[i] = pstrdup(sm_spi_getstr(i, 1));
		t->types[i] = pstrdup(sm_spi_getstr(i, 2));
		names = lappend(names, pstrdup(sm_spi_getstr(i, 3)));
		appendStringInfo(&keys, "%s%s", i > 0 ? ", " : "", t->cols[i]);
	}
	t->colnames = names;
	t->keylist = keys.data;
	return t;
}

/* "(a, b) OP ($k::ta, $k+1::tb)" for parameters from "first" on */
static char *
key_compare(const BfTable *t, const char *op, int first)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(%s) OPERATOR(pg_catalog.%s) (", t->keylist, op);
	for (i = 0; i < t->nkeys; i++)
		appendStringInfo(&buf, "%s$%d::%s", i > 0 ? ", " : "", first + i, t->types[i]);
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

/* count of the rows a run still has to visit, counted once at its start */
static int64
rows_left(const BfTable *t, const SmBackfillJob *job, const char *where_clause)
{
	StringInfoData sql;
	Datum	   *values = palloc(sizeof(Datum) * t->nkeys);
	Oid		   *argtypes = palloc(sizeof(Oid) * t->nkeys);
	bool		isnull;
	int			i;

	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT pg_catalog.count(*) FROM %s WHERE true", t->name);
	if (job->last)
		appendStringInfo(&sql, " AND %s", key_compare(t, ">", 1));
	if (where_clause[0] != '\0')
		appendStringInfo(&sql, " AND (%s\n)", where_clause);
	for (i = 0; i < t->nkeys; i++)
	{
		argtypes[i] = TEXTOID;
		values[i] = job->last ? CStringGetTextDatum(job->last[i]) : (Datum) 0;
	}
	(void) sm_spi_exec(sql.data, SPI_OK_SELECT, job->last ? t->nkeys : 0, argtypes, values, NULL);
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/*
 * run_batch: one batch after "last" (NULL: from the start), in the current
 * (sub)transaction.  Sets *upper to its last key (NULL for the final batch)
 * and returns the rows updated.
 */
static uint64
run_batch(const BfTable *t, char **last, int batch_size, const char *set_clause,
		  const char *where_clause, char ***upper)
{
	StringInfoData sql;
	int			np = t->nkeys * 2;
	Datum	   *values = palloc(sizeof(Datum) * np);
	Oid		   *argtypes = palloc(sizeof(Oid) * np);
	int			i;
	uint64		n;

	for (i = 0; i < np; i++)
		argtypes[i] = TEXTOID;
	if (last)
		for (i = 0; i < t->nkeys; i++)
			values[i] = CStringGetTextDatum(last[i]);

	/* the batch's upper key: batch_size keys on */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT %s FROM %s", t->keylist, t->name);
	if (last)
		appendStringInfo(&sql, " WHERE %s", key_compare(t, ">", 1));
	appendStringInfo(&sql, " ORDER BY %s OFFSET %d LIMIT 1", t->keylist, batch_size - 1);
	n = sm_spi_exec(sql.data, SPI_OK_SELECT, last ? t->nkeys : 0, argtypes, values, NULL);
	*upper = NULL;
	if (n == 1)
	{
		*upper = palloc(sizeof(char *) * t->nkeys);
		for (i = 0; i < t->nkeys; i++)
		{
			char	   *v = sm_spi_getstr(0, i + 1);

			if (v == NULL)
				elog(ERROR, "primary key column of %s is null", t->name);
			(*upper)[i] = pstrdup(v);
			values[t->nkeys + i] = CStringGetTextDatum(v);
		}
	}
	SPI_freetuptable(SPI_tuptable);

	resetStringInfo(&sql);
	appendStringInfo(&sql, "UPDATE %s SET %s\n WHERE true", t->name, set_clause);
	if (last)
		appendStringInfo(&sql, " AND %s", key_compare(t, ">", 1));
	if (*upper)
	{
		if (last)
			appendStringInfo(&sql, " AND %s", key_compare(t, "<=", t->nkeys + 1));
		else
		{
			/* no lower bound: the upper key's parameters come first */
			for (i = 0; i < t->nkeys; i++)
				values[i] = values[t->nkeys + i];
			appendStringInfo(&sql, " AND %s", key_compare(t, "<=", 1));
		}
	}
	if (where_clause[0] != '\0')
		appendStringInfo(&sql, " AND (%s\n)", where_clause);

	sm_lockwait_arm();
	n = sm_spi_exec(sql.data, SPI_OK_UPDATE,
					(last ? t->nkeys : 0) + (*upper ? t->nkeys : 0),
					argtypes, values, NULL);
	sm_lockwait_disarm();
	return n;
}

/* the statement must parse as exactly one plain UPDATE: no FROM, no RETURNING */
static void
check_statement(const BfTable *t, const char *set_clause, const char *where_clause)
{
	char	   *sql = psprintf("UPDATE %s SET %s\n WHERE (%s\n)", t->name, set_clause,
							   where_clause[0] ? where_clause : "true");
	List	   *raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	UpdateStmt *u;

	if (list_length(raw) != 1 ||
		!IsA(((RawStmt *) linitial(raw))->stmt, UpdateStmt))
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("set_clause and where_clause must form one UPDATE statement")));
	u = (UpdateStmt *) ((RawStmt *) linitial(raw))->stmt;
	if (u->fromClause != NIL || u->returningList != NIL || u->withClause != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("set_clause must be a SET list only"),
				 errdetail("set_clause: %s", set_clause)));
}

static int64
interval_ms(Interval *iv)
{
	int64		ms = iv->time / 1000 + (int64) iv->day * 86400000 +
		(int64) iv->month * 30 * 86400000;

	if (ms < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pause must not be negative")));
	return ms;
}

PG_FUNCTION_INFO_V1(schemamig_backfill);

/*
 * CALL schemamig.backfill(tab regclass, set_clause text, where_clause text
 * DEFAULT NULL, batch_size int DEFAULT 10000, pause interval DEFAULT '0')
 */
Datum
schemamig_backfill(PG_FUNCTION_ARGS)
{
	bool		nonatomic = fcinfo->context != NULL && IsA(fcinfo->context, CallContext) &&
		!castNode(CallContext, fcinfo->context)->atomic;
	Oid			relid;
	char	   *set_clause;
	char	   *where_clause;
	int			batch_size;
	int64		pause_ms;
	BfTable    *t;
	SmBackfillJob *job;
	int64		left;
	int64		run_rows = 0;
	int64		run_batches = 0;
	TimestampTz run_start = GetCurrentTimestamp();
	MemoryContext cxt;
	MemoryContext batchcxt;
	ResourceOwner owner;

	if (!nonatomic)
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("backfill cannot run inside a transaction block"),
				 errdetail("backfill commits after each batch."),
				 errhint("CALL it on its own, outside BEGIN ... COMMIT and outside functions; in a migration, "
						 "put it in a revision registered with transactional => false.")));
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tab and set_clause must not be null")));
	relid = PG_GETARG_OID(0);
	set_clause = text_to_cstring(PG_GETARG_TEXT_PP(1));
	where_clause = PG_ARGISNULL(2) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(2));
	batch_size = PG_ARGISNULL(3) ? 10000 : PG_GETARG_INT32(3);
	pause_ms = PG_ARGISNULL(4) ? 0 : interval_ms(PG_GETARG_INTERVAL_P(4));
	if (batch_size <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("batch_size must be positive")));
	check_fragment(set_clause, "set_clause");
	if (!PG_ARGISNULL(2))
		check_fragment(where_clause, "where_clause");

	if (SPI_connect_ext(SPI_OPT_NONATOMIC) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect_ext failed");
	cxt = CurrentMemoryContext;
	t = load_table(relid);
	check_statement(t, set_clause, where_clause);
	job = sm_backfill_job_open(relid, t->name, set_clause, where_clause, t->colnames);
	if (job->finished)
	{
		ereport(NOTICE,
				(errmsg("backfill of %s is already finished: nothing to do", t->name),
				 errdetail("The job finished at %s after %lld batch%s that updated %lld rows.",
						   job->finished_at, (long long) job->batches,
						   job->batches == 1 ? "" : "es", (long long) job->rows)));
		SPI_commit();
		SPI_finish();
		PG_RETURN_VOID();
	}
	left = rows_left(t, job, where_clause);
	if (job->batches > 0)
		ereport(NOTICE,
				(errmsg("backfill of %s resumes after batch %lld (%lld rows done, %lld left)",
						t->name, (long long) job->batches, (long long) job->rows, (long long) left)));
	SPI_commit();
	MemoryContextSwitchTo(cxt);
	owner = CurrentResourceOwner;
	batchcxt = AllocSetContextCreate(cxt, "pg_schemamig backfill batch", ALLOCSET_DEFAULT_SIZES);

	for (;;)
	{
		char	  **upper = NULL;
		uint64		n = 0;
		int			attempt = 0;
		bool		final;
		double		secs;
		char	   *subject;
		long		elapsed_ms;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(batchcxt);
		MemoryContextSwitchTo(batchcxt);

		/* the job row, locked: where the last finished batch ended */
		if (!sm_backfill_job_lock(job))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the backfill job of %s was removed while it ran", t->name)));
		if (job->finished)
		{
			/* a concurrent run of the same job did the rest */
			SPI_commit();
			MemoryContextSwitchTo(cxt);
			break;
		}

		/* the batch itself, under schemamig.lock_timeout, with retries */
		if (sm_lock_timeout > 0)
		{
			char		buf[32];

			snprintf(buf, sizeof(buf), "%dms", sm_lock_timeout);
			(void) set_config_option("lock_timeout", buf, PGC_USERSET, PGC_S_SESSION,
									 GUC_ACTION_LOCAL, true, 0, false);
		}
		subject = psprintf("backfill batch %lld of %s", (long long) job->batches + 1, t->name);
		for (;;)
		{
			ErrorData  *edata = NULL;

			BeginInternalSubTransaction(NULL);
			MemoryContextSwitchTo(batchcxt);
			sm_lockwait_forget();
			PG_TRY();
			{
				n = run_batch(t, job->last, batch_size, set_clause, where_clause, &upper);
				ReleaseCurrentSubTransaction();
				MemoryContextSwitchTo(batchcxt);
				CurrentResourceOwner = owner;
			}
			PG_CATCH();
			{
				sm_lockwait_capture();
				MemoryContextSwitchTo(batchcxt);
				edata = CopyErrorData();
				FlushErrorState();
				RollbackAndReleaseCurrentSubTransaction();
				MemoryContextSwitchTo(batchcxt);
				CurrentResourceOwner = owner;
			}
			PG_END_TRY();
			if (edata == NULL)
				break;
			if (edata->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE)
				ReThrowError(edata);
			FreeErrorData(edata);
			sm_lock_retry(subject, ++attempt,
						  "The batch was rolled back, so it holds no lock while it waits.");
		}

		/* its progress, committed with it */
		final = (upper == NULL);
		sm_backfill_job_advance(job, upper, (int64) n);
		SPI_commit();
		MemoryContextSwitchTo(batchcxt);

		run_rows += n;
		run_batches++;
		left = Max(left - (int64) n, 0);
		if (final)
			left = 0;
		elapsed_ms = TimestampDifferenceMilliseconds(run_start, GetCurrentTimestamp());
		secs = elapsed_ms / 1000.0;
		ereport(NOTICE,
				(errmsg("backfill of %s: batch %lld updated %llu rows (%lld done, %lld left, %.0f rows/s)",
						t->name, (long long) job->batches, (unsigned long long) n,
						(long long) job->rows, (long long) left,
						secs > 0 ? run_rows / secs : (double) run_rows)));
		if (final)
		{
			MemoryContextSwitchTo(cxt);
			break;
		}
		if (pause_ms > 0)
			sm_backoff_sleep((int) Min(pause_ms, INT_MAX));
	}

	ereport(NOTICE,
			(errmsg("backfill of %s finished: %lld rows updated in %lld batch%s",
					t->name, (long long) job->rows, (long long) job->batches,
					job->batches == 1 ? "" : "es"),
			 errdetail("This call ran %lld batch%s that updated %lld rows.",
					   (long long) run_batches, run_batches == 1 ? "" : "es",
					   (long long) run_rows)));
	SPI_finish();
	PG_RETURN_VOID();
}
