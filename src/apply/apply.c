/*-------------------------------------------------------------------------
 *
 * apply.c
 *	  Running migrations in the server: upgrade(), downgrade() and the step
 *	  functions behind the upgrade_each/downgrade_each procedures.
 *
 * Every mutating call takes the catalog advisory lock first, then reads the
 * graph and the version table, so concurrent callers wait and then see the
 * work already done.  Revision SQL is split with PostgreSQL's parser and each
 * statement runs through its own SPI call, in the caller's transaction: an
 * error anywhere undoes the whole call.  Around each revision a GUC nest
 * level scopes schemamig.lock_timeout, and the backend's statement-timeout
 * timer enforces schemamig.statement_timeout (a statement_timeout set from
 * inside a function would not limit the statement already running).
 *
 * src/apply/apply.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timeout.h"
#include "utils/timestamp.h"

#include "apply.h"
#include "catalog.h"
#include "drift.h"
#include "graph.h"
#include "lint.h"
#include "lockwait.h"
#include "sm_citus.h"

/*
 * The revision whose SQL is running, kept after an error in it (cleared
 * when it completes), so that a lock-timeout retry can name it.
 */
static char running_revision[SM_MAX_ID_LEN + 1] = "";

/* What the error-context callback names while a revision runs. */
typedef struct ApplyErrorContext
{
	const SmRevision *rev;
	bool		upgrade;
} ApplyErrorContext;

static void
apply_error_callback(void *arg)
{
	ApplyErrorContext *ctx = (ApplyErrorContext *) arg;

	errcontext(SM_APPLYING_CONTEXT_FMT,
			   ctx->rev->id, ctx->rev->message,
			   ctx->upgrade ? "upgrade" : "downgrade");
}

/*
 * sm_step_notice: Alembic's log line, "Running upgrade a -> b, message",
 * with the elapsed time appended.
 */
static void
step_notice(const SmStep *step, long ms)
{
	char	   *parents = sm_join_ids(step->rev->down);
	const char *from = step->upgrade ? parents : step->rev->id;
	const char *to = step->upgrade ? step->rev->id : parents;

	if (step->rev->message[0] != '\0')
		ereport(NOTICE,
				(errmsg_internal("Running %s %s -> %s, %s (%ld ms)",
								 step->upgrade ? "upgrade" : "downgrade",
								 from, to, step->rev->message, ms)));
	else
		ereport(NOTICE,
				(errmsg_internal("Running %s %s -> %s (%ld ms)",
								 step->upgrade ? "upgrade" : "downgrade",
								 from, to, ms)));
}

/*
 * step_start_notice: with schemamig.progress on, the same line without the
 * time, when the step starts (SQLSTATE SM_PROGRESS_SQLSTATE), so that a
 * client can show progress while one transaction runs several revisions.
 */
static void
step_start_notice(const SmStep *step)
{
	char	   *parents;
	const char *from;
	const char *to;

	if (!sm_progress)
		return;
	parents = sm_join_ids(step->rev->down);
	from = step->upgrade ? parents : step->rev->id;
	to = step->upgrade ? step->rev->id : parents;
	ereport(NOTICE,
			(errcode(SM_PROGRESS_SQLSTATE),
			 errmsg_internal("Running %s %s -> %s%s%s",
							 step->upgrade ? "upgrade" : "downgrade",
							 from, to, step->rev->message[0] != '\0' ? ", " : "",
							 step->rev->message)));
	pfree(parents);
}

/*
 * arm_statement_timeout arms the backend's STATEMENT_TIMEOUT timer for
 * "ms" from now, unless the session's own statement timeout would fire
 * earlier.  Using that timer (not a private one) makes the cancellation
 * report "canceling statement due to statement timeout" (SQLSTATE 57014).
 * Returns true when it armed the timer; *outer_fin then holds the session
 * timer's finish time to restore (0 = none was active).
 */
static bool
arm_statement_timeout(int ms, TimestampTz *outer_fin)
{
	TimestampTz fin;

	*outer_fin = 0;
	if (ms <= 0)
		return false;
	fin = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ms);
	if (get_timeout_active(STATEMENT_TIMEOUT))
	{
		*outer_fin = get_timeout_finish_time(STATEMENT_TIMEOUT);
		if (*outer_fin <= fin)
			return false;
	}
	enable_timeout_at(STATEMENT_TIMEOUT, fin);
	return true;
}

static void
disarm_statement_timeout(TimestampTz outer_fin)
{
	disable_timeout(STATEMENT_TIMEOUT, false);
	if (outer_fin != 0)
		enable_timeout_at(STATEMENT_TIMEOUT, outer_fin);
}

/*
 * revision_lock_timeout writes schemamig.lock_timeout as a lock_timeout
 * value into buf and returns it, or returns NULL when it is off.
 */
static const char *
revision_lock_timeout(char *buf, size_t size)
{
	if (sm_lock_timeout <= 0)
		return NULL;
	snprintf(buf, size, "%dms", sm_lock_timeout);
	return buf;
}

/*
 * sm_run_revision_sql runs one direction of a revision's SQL, statement by
 * statement, through SPI.  SPI must be connected.  Errors propagate with
 * their SQLSTATE and gain the revision as context; the timer and the
 * "running a migration" flag are restored on every path.
 */
void
sm_run_revision_sql(const SmRevision *rev, bool upgrade)
{
	sm_run_revision_sql_hooked(rev, upgrade, NULL);
}

/* sm_run_revision_sql with optional per-statement hooks (apply.h). */
void
sm_run_revision_sql_hooked(const SmRevision *rev, bool upgrade,
						   const SmRunHooks *hooks)
{
	const char *sql = upgrade ? rev->upgrade_sql : rev->downgrade_sql;
	ErrorContextCallback errcb;
	ApplyErrorContext ctx;
	List	   *stmts;
	ListCell   *lc;
	int			nestlevel;
	TimestampTz outer_fin = 0;
	volatile bool armed = false;
	bool		save_running = sm_migration_running();
	const char *save_statement = sm_migration_statement();
	char		lock_timeout[32];
	SmCitusRun	citus_run;

	if (sql == NULL)
		elog(ERROR, "revision \"%s\" has no %s SQL loaded", rev->id,
			 upgrade ? "upgrade" : "downgrade");

	ctx.rev = rev;
	ctx.upgrade = upgrade;
	errcb.callback = apply_error_callback;
	errcb.arg = &ctx;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	strlcpy(running_revision, rev->id, sizeof(running_revision));

	/*
	 * The settings that change how SQL text reads are pinned to the values
	 * offline scripts pin (offline.c), so that online and offline agree.
	 */
	nestlevel = NewGUCNestLevel();
	(void) set_config_option("standard_conforming_strings", "on", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("check_function_bodies", "on", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("xmloption", "content", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);

	stmts = sm_split_sql(sql);
	foreach(lc, stmts)
		sm_check_statement(lfirst(lc), foreach_current_index(lc) + 1, rev->id,
						   upgrade ? "upgrade" : "downgrade");

	/* on Citus: the same settings on the workers, sequential mode */
	sm_citus_revision_begin(&citus_run, stmts,
							revision_lock_timeout(lock_timeout, sizeof(lock_timeout)));
	if (sm_lock_timeout > 0)
		(void) set_config_option("lock_timeout", lock_timeout, PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);

	PG_TRY();
	{
		sm_migration_set(true);
		sm_revision_depth++;
		armed = arm_statement_timeout(sm_statement_timeout, &outer_fin);
		foreach(lc, stmts)
		{
			SmStatement *st = lfirst(lc);
			int			stmt_no = foreach_current_index(lc) + 1;
			const char *text = st->sql;
			int			rc;

			CHECK_FOR_INTERRUPTS();
			if (hooks != NULL && hooks->replace != NULL)
			{
				const char *r = hooks->replace(hooks->arg, stmt_no, st);

				if (r != NULL && r[0] == '\0')
					continue;
				if (r != NULL)
					text = r;
			}
			if (hooks != NULL && hooks->before != NULL)
				hooks->before(hooks->arg, stmt_no, st);
			sm_migration_set_statement(text);	/* named by the rewrite guard */
			sm_lockwait_arm();
			rc = SPI_execute(text, false, 0);
			sm_lockwait_disarm();
			if (rc == SPI_ERROR_TRANSACTION)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TRANSACTION_TERMINATION),
						 errmsg("transaction control statements are not allowed in a revision"),
						 errdetail("Statement %d: %s", stmt_no, st->sql),
						 errhint("pg_schemamig runs each revision in a transaction of its own making; use transactional = false for statements that cannot run in one.")));
			if (rc < 0)
				elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
			if (hooks != NULL && hooks->after != NULL)
				hooks->after(hooks->arg, stmt_no, st, SPI_processed);
		}
	}
	PG_FINALLY();
	{
		sm_lockwait_disarm();
		if (armed)
			disarm_statement_timeout(outer_fin);
		sm_revision_depth--;
		sm_migration_set(save_running);
		sm_migration_set_statement(save_statement);
	}
	PG_END_TRY();

	sm_citus_revision_end(&citus_run);
	AtEOXact_GUC(true, nestlevel);
	error_context_stack = errcb.previous;
	running_revision[0] = '\0';
}

/*
 * sm_load_revision reads one revision, SQL included, without the graph.
 * Its "index" is not meaningful.
 */
static SmRevision *
sm_load_revision(const char *id)
{
	SmRevision *rev = sm_catalog_revision(id);

	if (rev == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("revision \"%s\" does not exist", id)));
	return rev;
}

/*
 * sm_load_revision_sql fills in the SQL of one revision of a graph loaded
 * without it (upgrade_each loads the graph once per revision).  The SQL is
 * allocated where the revision is: the graph may be graph_load's cache.
 */
void
sm_load_revision_sql(SmRevision *rev)
{
	MemoryContext old;
	bool		found;

	if (rev->upgrade_sql != NULL)
		return;
	old = MemoryContextSwitchTo(GetMemoryChunkContext(rev));
	found = sm_catalog_revision_sql(rev->id, &rev->upgrade_sql, &rev->downgrade_sql);
	MemoryContextSwitchTo(old);
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("revision \"%s\" does not exist", rev->id)));
}

/*
 * sm_lock_for_migration refuses a call where the catalog must not change
 * (inside a running revision, read-only) and takes the catalog lock, which
 * also refuses a REPEATABLE READ snapshot that misses committed work
 * (guard.c).
 */
void
sm_lock_for_migration(void)
{
	sm_check_catalog_writable();
	sm_lock_catalog();
}

/*
 * apply_steps_loop: the steps of sm_apply_steps, each in "stepcxt" (reset
 * after each); returns the heads after the last one.
 */
static List *
apply_steps_loop(SmGraph *g, List *heads, List *steps, List *afters,
				 Tuplestorestate *ts, TupleDesc td, MemoryContext stepcxt)
{
	MemoryContext outer = CurrentMemoryContext;
	ListCell   *lc;

	foreach(lc, steps)
	{
		SmStep	   *step = lfirst(lc);
		TimestampTz start;
		TimestampTz end;
		List	   *after;
		Interval   *dur;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(stepcxt);

		step_start_notice(step);

		/* schemamig.lint_on_upgrade: review with the catalog as it is now */
		if (step->upgrade)
			sm_lint_before_upgrade(step->rev->id, step->rev->upgrade_sql);

		start = GetCurrentTimestamp();
		sm_run_revision_sql(step->rev, step->upgrade);
		end = GetCurrentTimestamp();

		MemoryContextSwitchTo(outer);
		if (afters != NIL)
			after = list_nth(afters, foreach_current_index(lc));
		else
			after = graph_heads_after_step(g, heads, step);
		MemoryContextSwitchTo(stepcxt);

		sm_log_step(step->rev->id, step->upgrade ? "upgrade" : "downgrade",
					heads, after, start, end, step->rev->checksum);
		dur = palloc0(sizeof(Interval));
		dur->time = end - start;

		step_notice(step, (long) ((end - start) / 1000));

		if (ts != NULL)
		{
			Datum		outv[4];
			bool		outn[4] = {false, false, false, false};

			outv[0] = CStringGetTextDatum(step->rev->id);
			outv[1] = CStringGetTextDatum(step->upgrade ? "upgrade" : "downgrade");
			outv[2] = CStringGetTextDatum(step->rev->message);
			outv[3] = IntervalPGetDatum(dur);
			tuplestore_putvalues(ts, td, outv, outn);
		}

		MemoryContextSwitchTo(old);
		MemoryContextReset(stepcxt);
		heads = after;
	}
	return heads;
}

/*
 * citus_call_statements: on Citus, the statements of all "steps", for
 * sm_citus_call_begin to choose the execution mode (NIL elsewhere).  A
 * revision whose SQL does not parse fails here, with its own context.
 */
static List *
citus_call_statements(List *steps)
{
	List	   *stmts = NIL;
	ListCell   *lc;

	if (!sm_citus_present())
		return NIL;
	foreach(lc, steps)
	{
		SmStep	   *step = lfirst(lc);
		const char *sql = step->upgrade ? step->rev->upgrade_sql : step->rev->downgrade_sql;
		ErrorContextCallback errcb;
		ApplyErrorContext ctx;

		if (sql == NULL)
			continue;
		ctx.rev = step->rev;
		ctx.upgrade = step->upgrade;
		errcb.callback = apply_error_callback;
		errcb.arg = &ctx;
		errcb.previous = error_context_stack;
		error_context_stack = &errcb;
		stmts = list_concat(stmts, sm_split_sql_cached(sql));
		error_context_stack = errcb.previous;
	}
	return stmts;
}

/*
 * sm_apply_steps runs "steps" from version-table state "heads", writes one
 * log row per step and the final version table, and returns the new heads.
 * "afters", when not NIL, holds the version table after each step, already
 * computed; otherwise the graph "g" computes it.
 * When "ts" is not NULL one (revision, direction, message, duration) row per
 * step is added to it.
 */
List *
sm_apply_steps(SmGraph *g, List *heads, List *steps, List *afters,
			   Tuplestorestate *ts, TupleDesc td)
{
	MemoryContext stepcxt;
	char		lock_timeout[32];
	SmCitusCall citus_call;
	List	   *stmts;

	if (steps == NIL)
		return heads;

	stepcxt = AllocSetContextCreate(CurrentMemoryContext, "pg_schemamig step",
									ALLOCSET_DEFAULT_SIZES);

	/*
	 * On Citus: the execution mode for all the steps' statements, and the
	 * lock_timeout sent to the workers once for all steps.
	 */
	stmts = citus_call_statements(steps);
	sm_citus_call_begin(&citus_call, stmts,
						revision_lock_timeout(lock_timeout, sizeof(lock_timeout)));
	list_free(stmts);
	PG_TRY();
	{
		heads = apply_steps_loop(g, heads, steps, afters, ts, td, stepcxt);
	}
	PG_CATCH();
	{
		sm_citus_call_abandon(&citus_call);
		PG_RE_THROW();
	}
	PG_END_TRY();
	sm_citus_call_end(&citus_call);
	MemoryContextDelete(stepcxt);

	sm_version_write(heads);
	return heads;
}

/*
 * apply_with_retries runs the steps of one upgrade()/downgrade() call and
 * records the snapshot, retrying the whole call on a lock timeout.
 *
 * One transaction cannot release the locks of the revisions it already ran,
 * and sleeping while holding them would stall the application on those
 * tables.  So each attempt runs in a subtransaction: on a lock timeout
 * (lock_not_available) it is rolled back, which releases every lock the
 * call took (only the catalog's advisory lock stays), and after a backoff
 * the call starts again from its first revision.  When the transaction
 * held a blocking lock of its own from before the call, rolling back the
 * call would not release it: then there is no retry, and the error says to
 * migrate one revision per transaction instead.
 *
 * With schemamig.lock_timeout = 0 nothing of this happens: the steps run
 * directly in the caller's transaction, as they always did.
 */
static List *
apply_with_retries(SmGraph *g, List *heads, List *steps, ReturnSetInfo *rsinfo)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	int			attempt = 0;

	if (sm_lock_timeout <= 0)
	{
		heads = sm_apply_steps(g, heads, steps, NIL, rsinfo->setResult, rsinfo->setDesc);
		sm_snapshot_record(heads);
		return heads;
	}

	for (;;)
	{
		List	   *volatile result = NIL;
		ErrorData  *edata = NULL;
		char	   *subject;
		char	   *held;

		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(cxt);
		sm_lockwait_forget();
		running_revision[0] = '\0';
		PG_TRY();
		{
			result = sm_apply_steps(g, heads, steps, NIL, rsinfo->setResult, rsinfo->setDesc);
			sm_snapshot_record(result);
			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(cxt);
			CurrentResourceOwner = owner;
		}
		PG_CATCH();
		{
			sm_lockwait_capture();
			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			FlushErrorState();
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(cxt);
			CurrentResourceOwner = owner;
		}
		PG_END_TRY();

		if (edata == NULL)
			return result;
		if (edata->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE)
			ReThrowError(edata);

		attempt++;
		subject = running_revision[0] != '\0' ?
			psprintf("revision %s", running_revision) :
			pstrdup("the schema snapshot after the migration");
		held = sm_blocking_lock_held();
		if (held != NULL)
			sm_lock_give_up(subject, attempt,
							psprintf("This transaction held a lock on %s from before the call, which a retry "
									 "could not release; run the migration in a transaction of its own, or one "
									 "revision per transaction with CALL schemamig.upgrade_each() or the "
									 "pg_schemamig client.", held));
		tuplestore_clear(rsinfo->setResult);
		sm_lock_retry(subject, attempt,
					  "The call was rolled back, so it holds no lock while it waits; it starts again from its first revision.");
		FreeErrorData(edata);
	}
}

/*
 * run_migration: the body of upgrade(target) and downgrade(target).
 */
static Datum
run_migration(FunctionCallInfo fcinfo, bool upgrade)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *target;
	SmGraph    *g;
	List	   *heads;
	List	   *steps;

	target = sm_target_arg(fcinfo);

	InitMaterializedSRF(fcinfo, 0);
	sm_lock_for_migration();
	sm_spi_connect();

	g = graph_load(true);
	heads = sm_version_heads();
	steps = upgrade ? graph_upgrade_steps(g, heads, target)
		: graph_downgrade_steps(g, heads, target);
	sm_check_steps(steps, true);

	if (steps != NIL)
		(void) apply_with_retries(g, heads, steps, rsinfo);

	sm_spi_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(schemamig_upgrade);
PG_FUNCTION_INFO_V1(schemamig_downgrade);

Datum
schemamig_upgrade(PG_FUNCTION_ARGS)
{
	return run_migration(fcinfo, true);
}

Datum
schemamig_downgrade(PG_FUNCTION_ARGS)
{
	return run_migration(fcinfo, false);
}

PG_FUNCTION_INFO_V1(schemamig_each_steps);

/*
 * schemamig._each_steps(target, upgrade): the revisions upgrade_each or
 * downgrade_each will apply, with the version table before and after each,
 * computed once from the current state so that a relative target such as -1
 * keeps its meaning across the commits.  Checks the whole plan before the
 * procedure runs any of it.
 */
Datum
schemamig_each_steps(PG_FUNCTION_ARGS)
{
	char	   *target;
	bool		upgrade;
	SmGraph    *g;
	List	   *heads;
	List	   *steps;
	ListCell   *lc;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("target must not be null")));
	target = text_to_cstring(PG_GETARG_TEXT_PP(0));
	upgrade = PG_GETARG_BOOL(1);

	/* CALL inside BEGIN ... COMMIT runs the procedure atomically */
	if (IsTransactionBlock())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("%s cannot run inside a transaction block",
						upgrade ? "upgrade_each" : "downgrade_each"),
				 errhint("Call it outside BEGIN ... COMMIT, or use %s() to migrate in one transaction.",
						 upgrade ? "upgrade" : "downgrade")));

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	sm_spi_connect();
	g = graph_load(false);
	heads = sm_version_heads();
	steps = upgrade ? graph_upgrade_steps(g, heads, target)
		: graph_downgrade_steps(g, heads, target);
	sm_check_steps(steps, true);
	foreach(lc, steps)
	{
		SmStep	   *step = lfirst(lc);
		List	   *after = graph_heads_after_step(g, heads, step);
		Datum		v[3];
		bool		n[3] = {false, false, false};

		v[0] = CStringGetTextDatum(step->rev->id);
		v[1] = sm_text_array_datum(heads);
		v[2] = sm_text_array_datum(after);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
		heads = after;
	}
	sm_spi_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(schemamig_apply_step);

static Datum apply_step(FunctionCallInfo fcinfo);

/*
 * schemamig._apply_step: see apply_step.  A lock timeout is captured for
 * the retry that upgrade_each makes (schemamig._lock_retry).
 */
Datum
schemamig_apply_step(PG_FUNCTION_ARGS)
{
	Datum		result;

	sm_lockwait_forget();
	PG_TRY();
	{
		result = apply_step(fcinfo);
	}
	PG_CATCH();
	{
		sm_lockwait_capture();
		PG_RE_THROW();
	}
	PG_END_TRY();
	return result;
}

/*
 * schemamig._apply_step(revision, upgrade, heads_before, heads_after) ->
 * boolean: apply one revision in the current transaction, for
 * upgrade_each/downgrade_each.  When the version table still holds
 * heads_before, it becomes heads_after (both computed by _each_steps).
 * Otherwise the graph decides, and false means a concurrent caller already
 * applied (or, downgrading, already reverted) the revision: nothing is done.
 */
static Datum
apply_step(FunctionCallInfo fcinfo)
{
	char	   *id;
	bool		upgrade;
	SmGraph    *g;
	List	   *heads;
	List	   *expected_before = NIL;
	List	   *expected_after = NIL;
	bool		expected = false;
	SmStep	   *step;
	bool		applied;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("revision must not be null")));
	id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	upgrade = PG_GETARG_BOOL(1);
	if (!PG_ARGISNULL(2) && !PG_ARGISNULL(3))
	{
		expected_before = sm_text_array_to_list(PG_GETARG_ARRAYTYPE_P(2), "heads_before");
		expected_after = sm_text_array_to_list(PG_GETARG_ARRAYTYPE_P(3), "heads_after");
		expected = true;
	}

	sm_lock_for_migration();
	sm_spi_connect();
	heads = sm_version_heads();

	/*
	 * The usual case: the version table is still where _each_steps left it,
	 * so the step and its outcome are known without loading the graph.
	 */
	if (expected && sm_string_lists_equal(heads, expected_before))
	{
		step = palloc0(sizeof(SmStep));
		step->rev = sm_load_revision(id);
		step->upgrade = upgrade;
		sm_check_steps(list_make1(step), true);
		(void) sm_apply_steps(NULL, heads, list_make1(step),
							  list_make1(expected_after), NULL, NULL);
		sm_spi_finish();
		PG_RETURN_BOOL(true);
	}

	/* the version table moved (a concurrent caller): decide from the graph */
	g = graph_load(false);
	step = palloc0(sizeof(SmStep));
	step->rev = graph_find(g, id);
	step->upgrade = upgrade;
	if (step->rev == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("revision \"%s\" does not exist", id)));

	applied = graph_is_applied(g, heads, step->rev);
	if (applied == upgrade)
	{
		sm_spi_finish();
		PG_RETURN_BOOL(false);
	}
	sm_check_steps(list_make1(step), true);
	sm_load_revision_sql(step->rev);
	(void) sm_apply_steps(g, heads, list_make1(step), NIL, NULL, NULL);
	sm_spi_finish();
	PG_RETURN_BOOL(true);
}
