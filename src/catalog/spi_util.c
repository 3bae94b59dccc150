/*-------------------------------------------------------------------------
 *
 * spi_util.c
 *	  Small SPI wrappers that check every return code, plus helpers for
 *	  text arrays, target arguments, revision ids and the catalog lock.
 *
 * src/catalog/spi_util.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "pg_schemamig.h"
#include "sm_citus.h"

/*
 * sm_spi_connect connects SPI and stays in the caller's memory context
 * (SPI_connect alone would leave SPI's procedure context current, which
 * SPI_finish frees): what callers build between connect and finish
 * outlives the connection.
 */
void
sm_spi_connect(void)
{
	MemoryContext caller = CurrentMemoryContext;
	int			rc = SPI_connect();

	if (rc != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed: %s", SPI_result_code_string(rc));
	MemoryContextSwitchTo(caller);
}

void
sm_spi_finish(void)
{
	int			rc = SPI_finish();

	if (rc != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed: %s", SPI_result_code_string(rc));
}

/*
 * sm_spi_exec runs one catalog query with parameters and checks that SPI
 * returned "expected".  Returns SPI_processed.  The caller's memory context
 * is current again on return (SPI itself would leave its procedure context
 * current); SPI_tuptable stays valid until the next query or SPI_finish.
 */
uint64
sm_spi_exec(const char *sql, int expected, int nargs,
			Oid *argtypes, Datum *values, const char *nulls)
{
	MemoryContext caller = CurrentMemoryContext;
	int			rc;

	rc = SPI_execute_with_args(sql, nargs, argtypes, values, nulls, false, 0);
	MemoryContextSwitchTo(caller);
	if (rc != expected)
		elog(ERROR, "SPI_execute_with_args failed (%s) for query: %s",
			 SPI_result_code_string(rc), sql);
	return SPI_processed;
}

/*
 * sm_spi_exec_plan runs a prepared catalog statement the same way (the
 * caller's memory context current again on return).
 */
uint64
sm_spi_exec_plan(SPIPlanPtr plan, const char *what, int expected,
				 Datum *values, const char *nulls)
{
	MemoryContext caller = CurrentMemoryContext;
	int			rc;

	rc = SPI_execute_plan(plan, values, nulls, false, 0);
	MemoryContextSwitchTo(caller);
	if (rc != expected)
		elog(ERROR, "could not %s: %s", what, SPI_result_code_string(rc));
	return SPI_processed;
}

/* sm_spi_getstr returns column "col" (1-based) of result row "row", or NULL. */
char *
sm_spi_getstr(uint64 row, int col)
{
	return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
}

bool
sm_spi_getbool(uint64 row, int col, bool *isnull)
{
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, isnull);

	return *isnull ? false : DatumGetBool(d);
}

/* sm_spi_gettextarray returns a text[] column as a List of palloc'd C strings. */
List *
sm_spi_gettextarray(uint64 row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	if (isnull)
		return NIL;
	return sm_text_array_to_list(DatumGetArrayTypeP(d), NULL);
}

/* sm_text_array_datum builds a one-dimensional text[] from a List of C strings. */
Datum
sm_text_array_datum(List *strings)
{
	int			n = list_length(strings);
	Datum	   *elems = palloc(sizeof(Datum) * (n > 0 ? n : 1));
	ListCell   *lc;
	int			i = 0;

	foreach(lc, strings)
		elems[i++] = CStringGetTextDatum((char *) lfirst(lc));
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/* sm_string_lists_equal: equal Lists of C strings, in the same order */
bool
sm_string_lists_equal(List *a, List *b)
{
	ListCell   *la;
	ListCell   *lb;

	if (list_length(a) != list_length(b))
		return false;
	forboth(la, a, lb, b)
	{
		if (strcmp((char *) lfirst(la), (char *) lfirst(lb)) != 0)
			return false;
	}
	return true;
}

/*
 * sm_text_array_to_list converts a text[] argument to a List of C strings,
 * rejecting multi-dimensional arrays and NULL elements.  "argname" names the
 * argument in errors (NULL for catalog values).
 */
List *
sm_text_array_to_list(ArrayType *arr, const char *argname)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	List	   *result = NIL;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("argument \"%s\" must be a one-dimensional array",
						argname ? argname : "?")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("argument \"%s\" must not contain null elements",
							argname ? argname : "?")));
		result = lappend(result, TextDatumGetCString(elems[i]));
	}
	return result;
}

/*
 * sm_target_arg returns the migration target of argument 0 of an SQL entry
 * point, refusing NULL.
 */
char *
sm_target_arg(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("target must not be null")));
	return text_to_cstring(PG_GETARG_TEXT_PP(0));
}

/* sm_check_id raises an error unless "id" is a valid revision id. */
void
sm_check_id(const char *id, const char *what)
{
	if (!sm_valid_name(id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s \"%s\"", what, id ? id : ""),
				 errdetail("A revision id is 1 to %d characters, each a letter, digit or underscore.",
						   SM_MAX_ID_LEN)));
}

/*
 * sm_check_catalog_writable refuses mutating calls where the catalog cannot
 * or must not be written: inside a running revision (guard.c), read-only
 * transactions and hot standbys.
 */
void
sm_check_catalog_writable(void)
{
	sm_refuse_inside_revision(NULL);
	PreventCommandIfReadOnly("pg_schemamig");
	sm_citus_require_coordinator();
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("cannot run pg_schemamig migrations during recovery")));
}
