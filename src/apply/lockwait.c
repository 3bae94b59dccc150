/*-------------------------------------------------------------------------
 *
 * lockwait.c
 *	  Lock timeouts that keep the application running.
 *
 * While a migration's ALTER TABLE waits for its ACCESS EXCLUSIVE lock,
 * every application query on the table queues behind it.  So each revision
 * (and each backfill batch) runs under schemamig.lock_timeout; one that
 * times out is rolled back, which releases everything it locked, and is
 * retried after a backoff (schemamig.lock_retries times).  The application
 * therefore never waits on us longer than one lock_timeout at a time.
 *
 * When the retries run out, the error names the session in the way.  The
 * queue entry that says which lock we waited for is gone once the failed
 * attempt is rolled back, so sm_lockwait_capture() copies it from our PGPROC
 * in the PG_CATCH block, before the rollback; sm_lockwait_describe() then
 * finds the sessions holding a conflicting lock in pg_locks and
 * pg_stat_activity (which show a query text only where the caller may see
 * it).
 *
 * src/apply/lockwait.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timeout.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "lockwait.h"
#include "pg_schemamig.h"

/* the lock of the last timed-out wait (plain values: survives aborts) */
static bool captured = false;
static LOCKTAG captured_tag;
static LOCKMODE captured_mode;

/*
 * PostgreSQL leaves the lock queue (LockErrorCleanup) before it raises the
 * lock-timeout error, so by the time any handler of ours runs, our PGPROC
 * no longer says what we waited for.  A timer of our own, armed when a
 * migration statement starts and due shortly before its lock_timeout,
 * copies the lock we are queued for then: a few plain stores, safe in a
 * signal handler.  A statement whose wait began later than that is reported
 * without its blocker.
 */
static TimeoutId sample_timeout = MAX_TIMEOUTS;
static volatile sig_atomic_t sample_valid = false;
static LOCKTAG sample_tag;
static LOCKMODE sample_mode;

static void
sample_handler(void)
{
	LOCK	   *lock;

	if (MyProc == NULL || (lock = MyProc->waitLock) == NULL)
		return;
	sample_tag = lock->tag;
	sample_mode = MyProc->waitLockMode;
	sample_valid = true;
}

void
sm_lockwait_arm(void)
{
	int			lt = LockTimeout;
	int			margin;

	sample_valid = false;
	if (lt <= 0)
		return;
	if (sample_timeout == MAX_TIMEOUTS)
		sample_timeout = RegisterTimeout(USER_TIMEOUT, sample_handler);
	margin = Max(Min(lt / 5, 50), 1);
	enable_timeout_after(sample_timeout, Max(lt - margin, 1));
}

void
sm_lockwait_disarm(void)
{
	if (sample_timeout != MAX_TIMEOUTS)
		disable_timeout(sample_timeout, false);
}

/* longest query text quoted in a message, in bytes */
#define SM_QUERY_QUOTE_LEN	200

void
sm_lockwait_capture(void)
{
	sm_lockwait_disarm();
	if (geterrcode() != ERRCODE_LOCK_NOT_AVAILABLE)
		return;
	if (MyProc != NULL && MyProc->waitLock != NULL)
	{
		captured_tag = MyProc->waitLock->tag;
		captured_mode = MyProc->waitLockMode;
		captured = true;
	}
	else if (sample_valid)
	{
		captured_tag = sample_tag;
		captured_mode = sample_mode;
		captured = true;
	}
	else
		captured = false;		/* NOWAIT, or a wait that began late */
}

void
sm_lockwait_forget(void)
{
	captured = false;
}

/* the relation "schema.name" for an oid, or its number once it is gone */
static char *
relation_text(Oid relid)
{
	char	   *name = get_rel_name(relid);

	if (name == NULL)
		return psprintf("%u", relid);
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
}

char *
sm_lockwait_object(void)
{
	if (!captured)
		return NULL;
	switch ((LockTagType) captured_tag.locktag_type)
	{
		case LOCKTAG_RELATION:
		case LOCKTAG_RELATION_EXTEND:
			return psprintf("relation %s", relation_text(captured_tag.locktag_field2));
		case LOCKTAG_TUPLE:
			return psprintf("a row of relation %s", relation_text(captured_tag.locktag_field2));
		case LOCKTAG_TRANSACTION:
			return psprintf("a row locked by transaction %u", captured_tag.locktag_field1);
		case LOCKTAG_VIRTUALTRANSACTION:
			return psprintf("virtual transaction %d/%u",
							(int) captured_tag.locktag_field1, captured_tag.locktag_field2);
		default:
			return psprintf("a %s lock", GetLockmodeName(captured_tag.locktag_lockmethodid,
														 captured_mode));
	}
}

/* the pg_locks condition that selects locks on the captured object */
static char *
lock_condition(void)
{
	const LOCKTAG *t = &captured_tag;

	switch ((LockTagType) t->locktag_type)
	{
		case LOCKTAG_RELATION:
			return psprintf("l.locktype OPERATOR(pg_catalog.=) 'relation' "
							"AND l.database OPERATOR(pg_catalog.=) %u::pg_catalog.oid "
							"AND l.relation OPERATOR(pg_catalog.=) %u::pg_catalog.oid",
							t->locktag_field1, t->locktag_field2);
		case LOCKTAG_TUPLE:
			return psprintf("l.locktype OPERATOR(pg_catalog.=) 'tuple' "
							"AND l.database OPERATOR(pg_catalog.=) %u::pg_catalog.oid "
							"AND l.relation OPERATOR(pg_catalog.=) %u::pg_catalog.oid "
							"AND l.page OPERATOR(pg_catalog.=) %u AND l.tuple OPERATOR(pg_catalog.=) %u",
							t->locktag_field1, t->locktag_field2,
							t->locktag_field3, (unsigned) t->locktag_field4);
		case LOCKTAG_TRANSACTION:
			return psprintf("l.locktype OPERATOR(pg_catalog.=) 'transactionid' "
							"AND l.transactionid OPERATOR(pg_catalog.=) '%u'::pg_catalog.xid",
							t->locktag_field1);
		case LOCKTAG_VIRTUALTRANSACTION:
			return psprintf("l.locktype OPERATOR(pg_catalog.=) 'virtualxid' "
							"AND l.virtualxid OPERATOR(pg_catalog.=) '%d/%u'",
							(int) t->locktag_field1, t->locktag_field2);
		case LOCKTAG_OBJECT:
		case LOCKTAG_ADVISORY:
			return psprintf("l.locktype OPERATOR(pg_catalog.=) '%s' "
							"AND l.database OPERATOR(pg_catalog.=) %u::pg_catalog.oid "
							"AND l.classid OPERATOR(pg_catalog.=) %u::pg_catalog.oid "
							"AND l.objid OPERATOR(pg_catalog.=) %u::pg_catalog.oid "
							"AND l.objsubid OPERATOR(pg_catalog.=) %u",
							t->locktag_type == LOCKTAG_OBJECT ? "object" : "advisory",
							t->locktag_field1, t->locktag_field2, t->locktag_field3,
							(unsigned) t->locktag_field4);
		default:
			return NULL;
	}
}

/* the lock modes that conflict with the one we asked for, as an array */
static Datum
conflicting_modes(void)
{
	LockMethod	lm = GetLockTagsMethodTable(&captured_tag);
	List	   *names = NIL;
	int			m;

	for (m = 1; m <= lm->numLockModes; m++)
		if (lm->conflictTab[captured_mode] & LOCKBIT_ON(m))
			names = lappend(names, (char *) GetLockmodeName(captured_tag.locktag_lockmethodid, m));
	return sm_text_array_datum(names);
}

/* a query text cut to SM_QUERY_QUOTE_LEN bytes, on one line */
static char *
quote_query(const char *q)
{
	int			len = strlen(q);
	int			cut = pg_mbcliplen(q, len, SM_QUERY_QUOTE_LEN);
	char	   *s = pnstrdup(q, cut);
	char	   *p;

	for (p = s; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return cut < len ? psprintf("%s...", s) : s;
}

char *
sm_lockwait_describe(void)
{
	char	   *cond;
	char	   *what;
	Oid			argtypes[1] = {TEXTARRAYOID};
	Datum		values[1];
	uint64		n;
	uint64		i;
	StringInfoData buf;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext old;

	if (!captured)
		return NULL;
	what = sm_lockwait_object();
	cond = lock_condition();
	if (cond == NULL)
		return psprintf("It waited for %s.", what);

	values[0] = conflicting_modes();
	n = sm_spi_exec(psprintf("SELECT a.pid, a.usename, a.application_name, a.state, "
							 "pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) a.xact_start), "
							 "pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) a.query_start), "
							 "a.query, l.mode "
							 "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a "
							 "ON a.pid OPERATOR(pg_catalog.=) l.pid "
							 "WHERE l.granted AND l.pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid() "
							 "AND l.mode OPERATOR(pg_catalog.=) ANY ($1) AND %s "
							 "ORDER BY a.xact_start NULLS LAST, a.pid LIMIT 4", cond),
					SPI_OK_SELECT, 1, argtypes, values, NULL);

	old = MemoryContextSwitchTo(caller);
	initStringInfo(&buf);
	if (n == 0)
		appendStringInfo(&buf, "It waited for %s; no session holds a conflicting lock on it now.", what);
	for (i = 0; i < n && i < 3; i++)
	{
		bool		isnull;
		int32		pid = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		char	   *role = sm_spi_getstr(i, 2);
		char	   *app = sm_spi_getstr(i, 3);
		char	   *state = sm_spi_getstr(i, 4);
		char	   *xact_s = sm_spi_getstr(i, 5);
		char	   *query_s = sm_spi_getstr(i, 6);
		char	   *query = sm_spi_getstr(i, 7);
		char	   *mode = sm_spi_getstr(i, 8);
		double		xact_secs = xact_s ? strtod(xact_s, NULL) : 0;
		double		query_secs = query_s ? strtod(query_s, NULL) : 0;

		appendStringInfo(&buf, "%s pid %d", i == 0 ? "Blocked by" : "\nAlso by", pid);
		if (role || (app && app[0]))
		{
			appendStringInfoString(&buf, " (");
			if (role)
				appendStringInfo(&buf, "role %s", role);
			if (app && app[0])
				appendStringInfo(&buf, "%sapplication \"%s\"", role ? ", " : "", app);
			appendStringInfoChar(&buf, ')');
		}
		appendStringInfo(&buf, ", holding %s on %s", mode, what);
		if (state && strcmp(state, "active") == 0)
			appendStringInfo(&buf, ", running for %.1f s", query_secs);
		else if (state)
			appendStringInfo(&buf, ", %s", state);
		if (xact_s)
			appendStringInfo(&buf, " (transaction open for %.1f s)", xact_secs);
		if (query)
			appendStringInfo(&buf, "%s: %s", state && strcmp(state, "active") == 0 ? "" : ", last query",
							 quote_query(query));
	}
	if (n > 3)
		appendStringInfoString(&buf, "\nAnd by more sessions.");
	MemoryContextSwitchTo(old);
	return buf.data;
}

int
sm_backoff_ms(int attempt)
{
	int			ms = 100;
	int			i;

	for (i = 0; i < attempt && ms < 10000; i++)
		ms *= 2;
	return Min(ms, 10000);
}

void
sm_backoff_sleep(int ms)
{
	TimestampTz end = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ms);

	for (;;)
	{
		long		left;

		CHECK_FOR_INTERRUPTS();
		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), end);
		if (left <= 0)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 left, WAIT_EVENT_PG_SLEEP);
		ResetLatch(MyLatch);
	}
}

/* " on relation x within 500 ms", as far as it is known */
static char *
wait_phrase(void)
{
	char	   *what = sm_lockwait_object();
	StringInfoData buf;

	initStringInfo(&buf);
	if (what)
		appendStringInfo(&buf, " on %s", what);
	if (sm_lock_timeout > 0)
		appendStringInfo(&buf, " within %d ms", sm_lock_timeout);
	return buf.data;
}

void
sm_lock_give_up(const char *subject, int attempts, const char *hint)
{
	char	   *blockers = sm_lockwait_describe();

	ereport(ERROR,
			(errcode(ERRCODE_LOCK_NOT_AVAILABLE),
			 errmsg("%s could not get a lock%s after %d attempt%s", subject, wait_phrase(),
					attempts, attempts == 1 ? "" : "s"),
			 blockers ? errdetail("%s", blockers) : 0,
			 errhint("%s", hint ? hint :
					 "Retry once the blocking session is done, or end it with pg_terminate_backend(); "
					 "schemamig.lock_timeout and schemamig.lock_retries set how long each attempt waits and how often it is retried.")));
	pg_unreachable();
}

void
sm_lock_retry(const char *subject, int attempt, const char *detail)
{
	char	   *blockers;
	int			ms;

	if (attempt > sm_lock_retries)
		sm_lock_give_up(subject, attempt, NULL);
	ms = sm_backoff_ms(attempt);
	blockers = sm_lockwait_describe();
	if (detail && blockers)
		blockers = psprintf("%s\n%s", blockers, detail);
	else if (detail)
		blockers = pstrdup(detail);
	ereport(NOTICE,
			(errcode(SM_PROGRESS_SQLSTATE),
			 errmsg("%s could not get a lock%s, retry %d of %d in %d ms",
					subject, wait_phrase(), attempt, sm_lock_retries, ms),
			 blockers ? errdetail("%s", blockers) : 0));
	sm_backoff_sleep(ms);
}

char *
sm_blocking_lock_held(void)
{
	uint64		n;

	n = sm_spi_exec("SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) "
					"FROM pg_catalog.pg_locks l "
					"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) l.relation "
					"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
					"WHERE l.pid OPERATOR(pg_catalog.=) pg_catalog.pg_backend_pid() "
					"AND l.locktype OPERATOR(pg_catalog.=) 'relation' AND l.granted "
					"AND l.database OPERATOR(pg_catalog.=) (SELECT d.oid FROM pg_catalog.pg_database d "
					"  WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()) "
					"AND l.mode OPERATOR(pg_catalog.=) ANY ('{ShareLock,ShareRowExclusiveLock,ExclusiveLock,AccessExclusiveLock}') "
					"AND c.relpersistence OPERATOR(pg_catalog.<>) 't' "
					"ORDER BY 1 LIMIT 1",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	if (n == 0)
		return NULL;
	return MemoryContextStrdup(CurrentMemoryContext, sm_spi_getstr(0, 1));
}

PG_FUNCTION_INFO_V1(schemamig_lock_retry);

/*
 * schemamig._lock_retry(subject, attempt): for upgrade_each and the
 * client, after attempt number "attempt" of "subject" failed on a lock
 * timeout and was rolled back: NOTICE and backoff when retries remain,
 * else the final error naming the blocker.
 */
Datum
schemamig_lock_retry(PG_FUNCTION_ARGS)
{
	char	   *subject;
	int			attempt;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("arguments of _lock_retry must not be null")));
	subject = text_to_cstring(PG_GETARG_TEXT_PP(0));
	attempt = PG_GETARG_INT32(1);
	sm_spi_connect();
	sm_lock_retry(subject, attempt, NULL);
	sm_spi_finish();
	PG_RETURN_VOID();
}
