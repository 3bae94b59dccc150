/*-------------------------------------------------------------------------
 *
 * planstep.c
 *	  Bookkeeping for revisions run statement by statement from plan()
 *	  rows (psql \gexec, the pg_schemamig client): _begin_step/_end_step,
 *	  and the hooks that count the statements that really completed.
 *
 * plan() brackets each revision's statements with
 *	  SELECT schemamig._begin_step(rev, direction, nstatements)
 *	  ... the revision's statements, each a top-level command ...
 *	  SELECT schemamig._end_step(rev, direction)
 * A client such as psql's \gexec goes on after a failed statement, and a
 * non-transactional revision has no transaction to roll back, so _end_step
 * must not trust that the statements in between ran: ProcessUtility and
 * executor hooks count the top-level statements that completed while a step
 * is open, and _end_step refuses to record a step whose count is short.
 *
 * A transactional revision's step lives in one transaction (BEGIN ...
 * COMMIT rows) and holds the catalog lock like upgrade() does.  A
 * non-transactional one spans several transactions, so it holds the lock
 * at session level until _end_step (or the end of the session).
 *
 * src/apply/planstep.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "apply.h"
#include "catalog.h"
#include "drift.h"
#include "lint.h"
#include "lockwait.h"
#include "migstate.h"
#include "planstep.h"

/* the step opened by _begin_step, if any (TopMemoryContext strings) */
static char *step_revision = NULL;
static bool step_upgrade = false;
static bool step_session_lock = false;
static int	step_expected = 0;
static int	step_completed = 0;
static TimestampTz step_started = 0;

/*
 * The subtransaction that opened a transactional step: rolling it back
 * releases the catalog lock the step holds, so it closes the step too.
 */
static SubTransactionId step_subxact = InvalidSubTransactionId;

static void close_step(void);

/* nesting, so that only top-level statements are counted */
static int	utility_depth = 0;
static int	executor_depth = 0;

static ProcessUtility_hook_type prev_ProcessUtility = NULL;
static ExecutorRun_hook_type prev_ExecutorRun = NULL;
static ExecutorFinish_hook_type prev_ExecutorFinish = NULL;
static ExecutorEnd_hook_type prev_ExecutorEnd = NULL;

bool
sm_planstep_session_active(void)
{
	return step_revision != NULL && step_session_lock;
}

static void
sm_ProcessUtility(PlannedStmt *pstmt, const char *queryString,
				  bool readOnlyTree, ProcessUtilityContext context,
				  ParamListInfo params, QueryEnvironment *queryEnv,
				  DestReceiver *dest, QueryCompletion *qc)
{
	bool		toplevel = (context == PROCESS_UTILITY_TOPLEVEL &&
							utility_depth == 0 && executor_depth == 0);

	sm_utility_enter(nodeTag(pstmt->utilityStmt), executor_depth, toplevel);
	utility_depth++;
	if (toplevel && step_revision != NULL)
		sm_lockwait_arm();
	PG_TRY();
	{
		if (prev_ProcessUtility)
			prev_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
		else
			standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
									params, queryEnv, dest, qc);
	}
	PG_CATCH();
	{
		utility_depth--;
		sm_utility_exit();
		/* what a statement of a plan step timed out on, for its retry */
		if (toplevel && step_revision != NULL)
			sm_lockwait_capture();
		PG_RE_THROW();
	}
	PG_END_TRY();
	utility_depth--;
	sm_utility_exit();
	if (toplevel && step_revision != NULL)
		sm_lockwait_disarm();

	if (toplevel && step_revision != NULL)
		step_completed++;
}

static void
sm_ExecutorRun(QueryDesc *queryDesc, ScanDirection direction, uint64 count,
			   bool execute_once)
{
	if (executor_depth == 0 && utility_depth == 0)
		sm_statement_start();
	executor_depth++;
	PG_TRY();
	{
		if (prev_ExecutorRun)
			prev_ExecutorRun(queryDesc, direction, count, execute_once);
		else
			standard_ExecutorRun(queryDesc, direction, count, execute_once);
	}
	PG_CATCH();
	{
		executor_depth--;
		/* a row lock a plan step's statement timed out on */
		if (executor_depth == 0 && utility_depth == 0 && step_revision != NULL)
			sm_lockwait_capture();
		PG_RE_THROW();
	}
	PG_END_TRY();
	executor_depth--;
}

static void
sm_ExecutorFinish(QueryDesc *queryDesc)
{
	executor_depth++;
	PG_TRY();
	{
		if (prev_ExecutorFinish)
			prev_ExecutorFinish(queryDesc);
		else
			standard_ExecutorFinish(queryDesc);
	}
	PG_FINALLY();
	{
		executor_depth--;
	}
	PG_END_TRY();
}

static void
sm_ExecutorEnd(QueryDesc *queryDesc)
{
	bool		toplevel = (utility_depth == 0 && executor_depth == 0);

	if (prev_ExecutorEnd)
		prev_ExecutorEnd(queryDesc);
	else
		standard_ExecutorEnd(queryDesc);
	if (toplevel && step_revision != NULL)
		step_completed++;
}

/*
 * sm_planstep_subxact: a transactional step opened in a subtransaction that
 * is rolled back (ROLLBACK TO SAVEPOINT, a PL/pgSQL exception block) has lost
 * its catalog lock with it: close the step, so that neither _end_step nor the
 * "running a migration" flag outlives the lock.  At subtransaction commit the
 * lock passes to the parent, and so does the step.
 */
static void
sm_planstep_subxact(SubXactEvent event, SubTransactionId mySubid,
					SubTransactionId parentSubid, void *arg)
{
	if (step_revision == NULL || step_session_lock || step_subxact != mySubid)
		return;
	if (event == SUBXACT_EVENT_ABORT_SUB)
		close_step();
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
		step_subxact = parentSubid;
}

void
sm_planstep_install_hooks(void)
{
	RegisterSubXactCallback(sm_planstep_subxact, NULL);
	prev_ProcessUtility = ProcessUtility_hook;
	ProcessUtility_hook = sm_ProcessUtility;
	prev_ExecutorRun = ExecutorRun_hook;
	ExecutorRun_hook = sm_ExecutorRun;
	prev_ExecutorFinish = ExecutorFinish_hook;
	ExecutorFinish_hook = sm_ExecutorFinish;
	prev_ExecutorEnd = ExecutorEnd_hook;
	ExecutorEnd_hook = sm_ExecutorEnd;
}

static void
session_lock(bool acquire)
{
	if (acquire)
		(void) sm_lock_catalog_ext(true, false);
	else
		sm_unlock_catalog_session();
}

/* close the open step: forget it, drop its session lock */
static void
close_step(void)
{
	if (step_revision != NULL)
	{
		if (step_session_lock)
			session_lock(false);
		pfree(step_revision);
	}
	step_revision = NULL;
	step_session_lock = false;
	sm_migration_set(false);
}

/*
 * sm_planstep_xact_end: a transactional step that did not reach _end_step
 * before its transaction ended (rolled back, or committed without it) is
 * closed; a non-transactional step survives commits by design.
 */
void
sm_planstep_xact_end(void)
{
	if (step_revision != NULL && !step_session_lock)
		close_step();
}

static SmRevision *
find_step_revision(SmGraph *g, const char *id)
{
	SmRevision *rev = graph_find(g, id);

	if (rev == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("revision \"%s\" does not exist", id)));
	return rev;
}

PG_FUNCTION_INFO_V1(schemamig_begin_step);

/*
 * schemamig._begin_step(revision, direction, statements): open a plan step.
 * Inside a transaction block it takes the catalog lock for the
 * transaction; in autocommit (a non-transactional revision) for the session.
 */
Datum
schemamig_begin_step(PG_FUNCTION_ARGS)
{
	char	   *id;
	char	   *direction;
	bool		upgrade;
	SmGraph    *g;
	List	   *heads;
	SmRevision *rev;
	bool		in_block = IsTransactionBlock();

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("arguments of _begin_step must not be null")));
	id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	direction = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(direction, "upgrade") != 0 && strcmp(direction, "downgrade") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid direction \"%s\"", direction),
				 errhint("Use \"upgrade\" or \"downgrade\".")));
	upgrade = (direction[0] == 'u');

	if (step_revision != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("revision \"%s\" is still being applied in this session", step_revision),
				 errhint("Run its remaining plan rows, ending with schemamig._end_step, or reconnect.")));

	if (in_block)
		sm_lock_for_migration();
	else
	{
		sm_check_catalog_writable();
		session_lock(true);
	}

	PG_TRY();
	{
		sm_spi_connect();
		g = graph_load(false);
		heads = sm_version_heads();
		rev = find_step_revision(g, id);
		if (graph_is_applied(g, heads, rev) == upgrade)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg(upgrade ? "revision \"%s\" is already applied"
							: "revision \"%s\" is not applied", id),
					 errhint("The version table changed since the plan was made; make a new plan.")));
		if (in_block && !rev->transactional)
			ereport(ERROR,
					(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
					 errmsg("revision \"%s\" cannot run inside a transaction block", id)));
		if (upgrade)
		{
			sm_load_revision_sql(rev);
			sm_lint_before_upgrade(rev->id, rev->upgrade_sql);
		}
		sm_spi_finish();
	}
	PG_CATCH();
	{
		if (!in_block)
			session_lock(false);
		PG_RE_THROW();
	}
	PG_END_TRY();

	/*
	 * A transactional step's statements run top-level, outside any function
	 * of ours: schemamig.lock_timeout reaches them as a SET LOCAL, which the
	 * step's COMMIT (or ROLLBACK) ends.  A non-transactional step keeps the
	 * session's setting: CREATE INDEX CONCURRENTLY waits for older
	 * transactions under lock_timeout too, without blocking the application.
	 */
	if (in_block && sm_lock_timeout > 0)
	{
		char		buf[32];

		snprintf(buf, sizeof(buf), "%dms", sm_lock_timeout);
		(void) set_config_option("lock_timeout", buf, PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_LOCAL, true, 0, false);
	}
	sm_lockwait_forget();

	step_revision = MemoryContextStrdup(TopMemoryContext, id);
	step_upgrade = upgrade;
	step_session_lock = !in_block;
	step_subxact = GetCurrentSubTransactionId();
	step_expected = PG_GETARG_INT32(2);
	/* the SELECT calling us ends after we return, and is counted then */
	step_completed = -1;
	step_started = GetCurrentTimestamp();
	sm_migration_set(true);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(schemamig_end_step);

/*
 * schemamig._end_step(revision, direction): record the open step in the
 * version table and the log, if every one of its statements completed.
 */
Datum
schemamig_end_step(PG_FUNCTION_ARGS)
{
	char	   *id;
	bool		upgrade;
	int			completed = step_completed;
	int			expected = step_expected;
	TimestampTz started = step_started;
	bool		had_session_lock = step_session_lock;
	SmGraph    *g;
	List	   *heads;
	List	   *after;
	SmStep		step;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("arguments of _end_step must not be null")));
	id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	upgrade = (strcmp(text_to_cstring(PG_GETARG_TEXT_PP(1)), "upgrade") == 0);

	if (step_revision == NULL || strcmp(step_revision, id) != 0 ||
		step_upgrade != upgrade)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no step of revision \"%s\" is open in this session", id),
				 errhint("Run the plan rows in order, starting with schemamig._begin_step.")));

	/* the bookkeeping below runs under the transaction-level lock */
	if (had_session_lock)
		sm_lock_for_migration();
	close_step();

	if (completed != expected)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("revision \"%s\" was not applied completely", id),
				 errdetail("%d of its %d statements completed; the version table was not changed.",
						   completed < 0 ? 0 : completed, expected),
				 errhint("Fix the failed statement, undo what did run, and make a new plan.")));

	sm_spi_connect();
	g = graph_load(false);
	heads = sm_version_heads();
	step.rev = find_step_revision(g, id);
	step.upgrade = upgrade;
	after = graph_heads_after_step(g, heads, &step);
	sm_log_step(id, upgrade ? "upgrade" : "downgrade", heads, after,
				started, GetCurrentTimestamp(), step.rev->checksum);
	sm_version_write(after);
	sm_snapshot_record(after);
	sm_spi_finish();
	PG_RETURN_VOID();
}
