/*-------------------------------------------------------------------------
 *
 * subxact.c
 *	  Internal subtransactions, wrapped as PL/pgSQL's exception blocks wrap
 *	  them: the caller's memory context and resource owner are restored
 *	  after every commit and rollback.  verify(), dry_run() and drift's
 *	  no-wait descriptions use them; diff's and review()'s data checks run
 *	  through sm_bounded_count.
 *
 * The open ones form a stack, so that an error on its way out of verify()
 * can roll back every level it opened before the caller's own handler
 * (a PL/pgSQL exception block, say) rolls back its own.
 *
 * src/catalog/subxact.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/guc.h"
#include "utils/timeout.h"
#include "utils/timestamp.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "subxact.h"

#define SM_MAX_SUBXACTS 8

typedef struct SmSubxact
{
	MemoryContext cxt;
	ResourceOwner owner;
} SmSubxact;

static SmSubxact stack[SM_MAX_SUBXACTS];
static int	depth = 0;

/* sm_subxact_begin opens a subtransaction and remembers what to restore. */
void
sm_subxact_begin(void)
{
	if (depth >= SM_MAX_SUBXACTS)
		elog(ERROR, "too many nested pg_schemamig subtransactions");
	stack[depth].cxt = CurrentMemoryContext;
	stack[depth].owner = CurrentResourceOwner;
	BeginInternalSubTransaction(NULL);
	depth++;
	MemoryContextSwitchTo(stack[depth - 1].cxt);
}

/* sm_subxact_commit keeps the innermost subtransaction's work in its parent. */
void
sm_subxact_commit(void)
{
	Assert(depth > 0);
	depth--;
	ReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(stack[depth].cxt);
	CurrentResourceOwner = stack[depth].owner;
}

/* sm_subxact_rollback undoes the innermost subtransaction's work. */
void
sm_subxact_rollback(void)
{
	Assert(depth > 0);
	depth--;
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(stack[depth].cxt);
	CurrentResourceOwner = stack[depth].owner;
}

int
sm_subxact_depth(void)
{
	return depth;
}

/* sm_subxact_unwind rolls back the subtransactions above "to". */
void
sm_subxact_unwind(int to)
{
	while (depth > to)
		sm_subxact_rollback();
}

/*
 * sm_subxact_abort_caught, called in a PG_CATCH block, copies the error,
 * rolls the innermost subtransaction back and returns the error (in the
 * memory context current when that subtransaction began).  A query cancel
 * (the user's, or a statement timeout) is re-thrown after the rollback: it
 * ends the whole call.
 */
ErrorData *
sm_subxact_abort_caught(void)
{
	ErrorData  *edata;

	Assert(depth > 0);
	MemoryContextSwitchTo(stack[depth - 1].cxt);
	edata = CopyErrorData();
	FlushErrorState();
	sm_subxact_rollback();
	if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
		ReThrowError(edata);
	return edata;
}



/*
 * sm_bounded_count runs a query of one row and one column (a count, or a
 * boolean counted as 1 or 0) read-only in a subtransaction that is always
 * rolled back, under a statement timeout of "timeout_ms" (or the caller's,
 * when that ends sooner).  "pin", when not NULL, runs first inside the
 * subtransaction (settings, a safety check) and may raise an error.
 * Returns true with *count set; else false with *edata set to the error
 * (*timed_out says whether it was this timeout).  A cancel that is not this
 * timeout (the user's) is re-thrown.
 */
bool
sm_bounded_count(const char *query, int timeout_ms, void (*pin) (const char *query),
				 int64 *count, ErrorData **edata, bool *timed_out)
{
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), timeout_ms);
	bool		had_timeout = get_timeout_active(STATEMENT_TIMEOUT);
	TimestampTz old_fin = had_timeout ? get_timeout_finish_time(STATEMENT_TIMEOUT) : 0;
	bool		ours = !had_timeout || deadline < old_fin;
	volatile bool ok = false;
	volatile int64 result = 0;
	ErrorData  *err = NULL;

	sm_subxact_begin();
	PG_TRY();
	{
		int			rc;
		bool		isnull;
		Datum		d;

		(void) set_config_option("transaction_read_only", "on", PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
		if (pin)
			pin(query);
		if (ours)
			enable_timeout_at(STATEMENT_TIMEOUT, deadline);
		rc = SPI_execute(query, true, 1);
		if (rc != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "data check failed (%s): %s", SPI_result_code_string(rc), query);
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		result = isnull ? 0 : (SPI_tuptable->tupdesc->attrs[0].atttypid == BOOLOID ?
							   (DatumGetBool(d) ? 1 : 0) : DatumGetInt64(d));
		ok = true;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(stack[depth - 1].cxt);
		err = CopyErrorData();
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
	sm_subxact_rollback();
	*count = ok ? result : 0;
	*edata = err;
	*timed_out = !ok && err->sqlerrcode == ERRCODE_QUERY_CANCELED &&
		ours && GetCurrentTimestamp() >= deadline;
	if (!ok && err->sqlerrcode == ERRCODE_QUERY_CANCELED && !*timed_out)
		ReThrowError(err);
	return ok;
}
