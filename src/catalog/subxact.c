/*-------------------------------------------------------------------------
 *
 * subxact.c
 *	  Internal subtransactions, wrapped as PL/pgSQL's exception blocks wrap
 *	  them: the caller's memory context and resource owner are restored
 *	  after every commit and rollback.  verify(), dry_run() and drift's
 *	  no-wait descriptions use them.
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


