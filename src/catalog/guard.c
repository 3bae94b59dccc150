/*-------------------------------------------------------------------------
 *
 * guard.c
 *	  Who may write the catalog, and when: the serialising lock, the
 *	  snapshot check for REPEATABLE READ callers, bookkeeping with the
 *	  extension owner's rights, the refusal of mutating calls inside a
 *	  running revision, and the DROP EXTENSION guard.
 *
 * The lock.  Every mutating call takes one heavyweight lock for its
 * transaction (a non-transactional plan step for its session).  It lives in
 * the advisory lock space, whose session locks survive a failed statement
 * (a relation's session lock is released by any abort), but with a tag that
 * no SQL function can form: pg_advisory_lock() and its kin set the tag's
 * last field to 1 or 2, this lock uses SM_LOCK_TAG_KIND.  Only the C
 * functions below take it, and only roles with EXECUTE on a mutating
 * function reach them, so a role that may not migrate can neither take nor
 * hold the lock (a public advisory-lock key could be held by anyone).  It is
 * an ordinary lock of the backend: it cannot go stale after a crash.
 *
 * The generation.  schemamig.state holds one row whose generation every
 * mutating call increments under the lock.  A REPEATABLE READ or
 * SERIALIZABLE caller whose snapshot does not see the latest generation
 * predates committed migration work: it is refused (40001) before it reads
 * the graph or the version table, so it can never apply, register or remove
 * anything twice.
 *
 * The bookkeeping.  Revisions' SQL runs as the calling role; catalog rows
 * are written by sm_spi_exec_owner() as the extension owner (pg_extension's
 * extowner) under SECURITY_RESTRICTED_OPERATION, so a deployer needs no
 * grant on schemamig.* and cannot forge a row by hand.  Revision SQL never
 * runs under the owner's identity.
 *
 * src/catalog/guard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#include "pg_schemamig.h"

PG_FUNCTION_INFO_V1(schemamig_guard_drop_extension);

/*
 * The lock's tag: database, the keys of names.h, and a last field that the
 * SQL-level advisory lock functions never use (they use 1 and 2).
 */
#define SM_LOCK_TAG_KIND	0x534d		/* "SM" */

static void
catalog_locktag(LOCKTAG *tag)
{
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, SM_LOCK_KEY1, SM_LOCK_KEY2,
						 SM_LOCK_TAG_KIND);
}

/* pg_extension.extowner of pg_schemamig */
Oid
sm_extension_owner(void)
{
	Oid			extoid = get_extension_oid("pg_schemamig", false);
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			owner;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(extoid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "could not find extension pg_schemamig (%u)", extoid);
	owner = ((Form_pg_extension) GETSTRUCT(tup))->extowner;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return owner;
}

/*
 * sm_spi_exec_owner is sm_spi_exec as the extension owner, in a restricted
 * security context (no SET ROLE, no temporary objects, no deferred code of
 * the caller's).  For fixed catalog statements only: never revision SQL.
 */
uint64
sm_spi_exec_owner(const char *sql, int expected, int nargs, Oid *argtypes,
				  Datum *values, const char *nulls)
{
	Oid			save_user;
	int			save_sec;
	volatile uint64 n = 0;

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(sm_extension_owner(),
						   save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	PG_TRY();
	{
		n = sm_spi_exec(sql, expected, nargs, argtypes, values, nulls);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
	return n;
}

/* sm_spi_exec_plan as the extension owner (a prepared catalog statement) */
uint64
sm_spi_exec_plan_owner(SPIPlanPtr plan, const char *what, int expected,
					   Datum *values, const char *nulls)
{
	Oid			save_user;
	int			save_sec;
	volatile uint64 n = 0;

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(sm_extension_owner(),
						   save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	PG_TRY();
	{
		n = sm_spi_exec_plan(plan, what, expected, values, nulls);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
	return n;
}

/* the calling role's name, for the role columns the owner writes */
Datum
sm_caller_name_datum(void)
{
	char	   *name = GetUserNameFromId(GetUserId(), false);

	return DirectFunctionCall1(namein, CStringGetDatum(name));
}

/*
 * sm_refuse_inside_revision refuses a call made by a revision's own SQL
 * (run by upgrade(), downgrade(), verify(), dry_run() or a plan step): a
 * revision that removed or re-applied revisions would corrupt the version
 * table it is recorded in, and a nested upgrade() would recurse.  Every
 * mutating function calls it (through sm_check_catalog_writable, with
 * "function" NULL); verify() and dry_run() name themselves.
 */
void
sm_refuse_inside_revision(const char *function)
{
	if (!(sm_revision_depth > 0 || sm_plan_step_open || sm_migration_running()))
		return;
	if (function != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s() cannot be called while a revision is running", function)));
	else
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("pg_schemamig functions that change the catalog cannot be called inside a running revision"),
				 errdetail("A revision is being applied in this session; its SQL must not register, remove, stamp or apply revisions."),
				 errhint("Move the call out of the revision's SQL.")));
}

/*
 * check_generation refuses a caller whose transaction snapshot does not see
 * the latest committed generation (REPEATABLE READ or SERIALIZABLE).  Run
 * with the lock held, as the owner (PUBLIC cannot read schemamig.state).
 */
static void
check_generation(void)
{
	int64		mine;
	int64		latest;
	bool		isnull;

	sm_spi_connect();
	sm_spi_exec_owner("SELECT generation FROM schemamig.state", SPI_OK_SELECT,
					  0, NULL, NULL, NULL);
	mine = SPI_processed == 1 ?
		DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) : -1;

	PushActiveSnapshot(GetLatestSnapshot());
	PG_TRY();
	{
		Oid			save_user;
		int			save_sec;
		int			rc;

		GetUserIdAndSecContext(&save_user, &save_sec);
		SetUserIdAndSecContext(sm_extension_owner(),
							   save_sec | SECURITY_LOCAL_USERID_CHANGE |
							   SECURITY_RESTRICTED_OPERATION);
		/* read-only: runs under the pushed (latest) snapshot */
		rc = SPI_execute("SELECT generation FROM schemamig.state", true, 0);
		SetUserIdAndSecContext(save_user, save_sec);
		if (rc != SPI_OK_SELECT)
			elog(ERROR, "could not read schemamig.state: %s", SPI_result_code_string(rc));
	}
	PG_FINALLY();
	{
		PopActiveSnapshot();
	}
	PG_END_TRY();
	latest = SPI_processed == 1 ?
		DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) : -1;
	sm_spi_finish();

	if (mine != latest)
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not serialize access due to a concurrent migration"),
				 errdetail("Another session changed the pg_schemamig catalog after this transaction's snapshot was taken."),
				 errhint("Retry the transaction, or migrate at READ COMMITTED.")));
}

/*
 * the generation moves on: later REPEATABLE READ callers can tell, and
 * cached graphs (graph_load.c) are rebuilt
 */
static void
bump_generation(void)
{
	sm_spi_connect();
	sm_spi_exec_owner("UPDATE schemamig.state SET generation = generation OPERATOR(pg_catalog.+) 1",
					  SPI_OK_UPDATE, 0, NULL, NULL, NULL);
	sm_spi_finish();
}

/*
 * sm_catalog_stamp reads what identifies schemamig.revision's content in
 * the current snapshot: the generation, which every write to the revision
 * table moves on (mutating calls through sm_lock_catalog, any other write
 * through the revision_written trigger), and the xmin of the state row's
 * version, which tells apart two transactions that moved it to the same
 * number (only one of them can have committed).  False when the row is
 * missing or doubled.  Requires a connected SPI.
 */
bool
sm_catalog_stamp(SmCatalogStamp *stamp)
{
	bool		isnull1;
	bool		isnull2;

	sm_spi_exec_owner("SELECT generation, xmin FROM schemamig.state",
					  SPI_OK_SELECT, 0, NULL, NULL, NULL);
	if (SPI_processed != 1)
		return false;
	stamp->generation = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
													SPI_tuptable->tupdesc, 1, &isnull1));
	stamp->xmin = DatumGetTransactionId(SPI_getbinval(SPI_tuptable->vals[0],
													  SPI_tuptable->tupdesc, 2, &isnull2));
	return !isnull1 && !isnull2;
}

PG_FUNCTION_INFO_V1(schemamig_revision_written);

/*
 * Statement trigger on schemamig.revision: a write that did not come
 * through a mutating call (a superuser's INSERT, a restore) moves the
 * generation on as well.
 */
Datum
schemamig_revision_written(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("schemamig._revision_written() must be called as a trigger")));
	bump_generation();
	return PointerGetDatum(NULL);
}

/*
 * sm_lock_catalog_ext takes the lock itself: at session level when
 * "session", without waiting when "nowait" (then returns whether it got
 * it).  Nothing else names the lock.
 */
bool
sm_lock_catalog_ext(bool session, bool nowait)
{
	LOCKTAG		tag;

	catalog_locktag(&tag);
	return LockAcquire(&tag, ExclusiveLock, session, nowait) != LOCKACQUIRE_NOT_AVAIL;
}

/* sm_unlock_catalog_session releases the session-level form of the lock. */
void
sm_unlock_catalog_session(void)
{
	LOCKTAG		tag;

	catalog_locktag(&tag);
	(void) LockRelease(&tag, ExclusiveLock, true);
}

/*
 * sm_lock_catalog takes the transaction-level lock that serialises every
 * mutating call; concurrent callers wait, then see committed work.  Under
 * REPEATABLE READ or SERIALIZABLE the snapshot predates whatever a holder
 * commits, so there the lock is not waited for, and a snapshot that misses
 * committed work is refused: both with a serialization failure the caller
 * can retry.  Then the generation moves on.
 */
void
sm_lock_catalog(void)
{
	if (!IsolationUsesXactSnapshot())
		(void) sm_lock_catalog_ext(false, false);
	else
	{
		if (!sm_lock_catalog_ext(false, true))
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to a concurrent migration"),
					 errhint("Retry the transaction, or migrate at READ COMMITTED.")));
		check_generation();
	}
	bump_generation();
}

/* does a DROP statement's object list name pg_schemamig? */
static bool
drops_pg_schemamig(DropStmt *stmt)
{
	ListCell   *lc;

	if (stmt->removeType != OBJECT_EXTENSION)
		return false;
	foreach(lc, stmt->objects)
	{
		Node	   *obj = lfirst(lc);

		if (IsA(obj, String) && strcmp(strVal(obj), "pg_schemamig") == 0)
			return true;
	}
	return false;
}

/*
 * schemamig.guard_drop_extension(): ddl_command_start event trigger on
 * DROP EXTENSION.  Dropping pg_schemamig erases the history of every
 * applied revision (the tables they created stay), so it is refused while
 * the version table names any, unless schemamig.allow_drop_extension is on.
 */
Datum
schemamig_guard_drop_extension(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	int64		applied = 0;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"guard_drop_extension\" must be called as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;
	if (trigdata->parsetree == NULL || !IsA(trigdata->parsetree, DropStmt) ||
		!drops_pg_schemamig((DropStmt *) trigdata->parsetree) ||
		sm_allow_drop_extension)
		PG_RETURN_VOID();

	sm_spi_connect();
	if (sm_spi_exec("SELECT pg_catalog.count(*) FROM schemamig.version",
					SPI_OK_SELECT, 0, NULL, NULL, NULL) == 1)
	{
		bool		isnull;

		applied = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
											  SPI_tuptable->tupdesc, 1, &isnull));
	}
	sm_spi_finish();
	if (applied > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg("cannot drop extension pg_schemamig while revisions are applied"),
				 errdetail("The version table names " INT64_FORMAT " applied head%s; dropping the extension would erase the history of the schema they built.",
						   applied, applied == 1 ? "" : "s"),
				 errhint("Downgrade or stamp to base first, or run SET schemamig.allow_drop_extension = on in this session to drop it anyway.")));
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(schemamig_lock);

/*
 * schemamig._lock(): the catalog lock for the calling transaction, for
 * offline scripts (which write the catalog with their own statements).
 */
Datum
schemamig_lock(PG_FUNCTION_ARGS)
{
	sm_check_catalog_writable();
	sm_lock_catalog();
	PG_RETURN_VOID();
}
