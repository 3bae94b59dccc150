/*-------------------------------------------------------------------------
 *
 * hazard.c
 *	  Data checks behind diff's hazards: counts over the live rows, each in
 *	  its own rolled-back, read-only subtransaction under a time limit, so
 *	  that a check that fails (a cast error, a column the migration only
 *	  adds) or takes too long never fails diff itself.
 *
 * src/diff/hazard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/timeout.h"

#include "diff.h"

#define DIFF_CHECK_TIMEOUT_MS 10000

/*
 * diff_count runs a "SELECT count" query; *failed is set (and 0 returned)
 * when it raised an error.  A cancel that is not our timeout is re-thrown.
 */
int64
diff_count(const char *query, bool *failed)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), DIFF_CHECK_TIMEOUT_MS);
	bool		had_timeout = get_timeout_active(STATEMENT_TIMEOUT);
	TimestampTz old_fin = had_timeout ? get_timeout_finish_time(STATEMENT_TIMEOUT) : 0;
	bool		ours = !had_timeout || deadline < old_fin;
	volatile int64 count = 0;
	volatile bool ok = false;
	ErrorData  *edata = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		int			rc;
		bool		isnull;
		Datum		d;

		(void) set_config_option("transaction_read_only", "on", PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
		if (ours)
			enable_timeout_at(STATEMENT_TIMEOUT, deadline);
		rc = SPI_execute(query, true, 1);
		if (rc != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "data check failed (%s): %s", SPI_result_code_string(rc), query);
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		count = isnull ? 0 : (SPI_tuptable->tupdesc->attrs[0].atttypid == BOOLOID ?
							  (DatumGetBool(d) ? 1 : 0) : DatumGetInt64(d));
		ok = true;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
	}
	PG_END_TRY();
	if (ours)
	{
		if (had_timeout)
			enable_timeout_at(STATEMENT_TIMEOUT, old_fin);
		else
			disable_timeout(STATEMENT_TIMEOUT, false);
	}
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(oldcxt);
	CurrentResourceOwner = oldowner;
	*failed = !ok;
	if (!ok && edata->sqlerrcode == ERRCODE_QUERY_CANCELED &&
		!(ours && GetCurrentTimestamp() >= deadline))
		ReThrowError(edata);
	return ok ? count : 0;
}

/* does the live table hold any row? */
bool
diff_table_has_rows(const char *qtable)
{
	bool		failed;

	return diff_count(psprintf("SELECT EXISTS (SELECT 1 FROM %s)", qtable), &failed) > 0;
}

/* is the live table at least SM_SMALL_TABLE_BYTES (pg_table_size)? */
bool
diff_table_is_big(const char *qtable)
{
	bool		failed;

	return diff_count(psprintf("SELECT pg_catalog.pg_table_size(%s::pg_catalog.regclass)",
							   quote_literal_cstr(qtable)), &failed) >= SM_SMALL_TABLE_BYTES;
}
