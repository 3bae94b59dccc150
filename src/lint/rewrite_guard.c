/*-------------------------------------------------------------------------
 *
 * rewrite_guard.c
 *	  The table_rewrite event trigger: while pg_schemamig runs migration
 *	  DDL, refuse to rewrite a table larger than schemamig.max_rewrite_size.
 *
 * Static linters can only guess whether a statement rewrites a table; the
 * server knows, because it fires table_rewrite just before the rewrite
 * starts, with the table already locked.  Outside migrations (and with
 * the setting at -1, the default) the trigger returns at once.  dry_run()
 * also learns here which tables a statement rewrites (sm_rewrite_observer).
 *
 * src/lint/rewrite_guard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/event_trigger.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"

#include "lint.h"
#include "pg_schemamig.h"
#include "sm_citus.h"

PG_FUNCTION_INFO_V1(schemamig_rewrite_guard);

void		(*sm_rewrite_observer) (Oid relid) = NULL;

/*
 * schemamig_rewrite_guard is the table_rewrite event trigger function.
 * The size counted is pg_table_size (heap, TOAST, free space and
 * visibility maps): what the rewrite copies.
 */
Datum
schemamig_rewrite_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	Oid			relid;
	int64		size;
	int64		limit;
	const char *statement;
	char	   *nsp;
	char	   *rel;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_EVENT_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("schemamig_rewrite_guard must be called as an event trigger")));
	if (!sm_migration_running())
		PG_RETURN_NULL();
	trigdata = (EventTriggerData *) fcinfo->context;
	relid = DatumGetObjectId(OidFunctionCall0(F_PG_EVENT_TRIGGER_TABLE_REWRITE_OID));
	if (sm_rewrite_observer != NULL)
		sm_rewrite_observer(relid);
	if (sm_max_rewrite_size < 0)
		PG_RETURN_NULL();
	/* a distributed table's size is its shards', not the coordinator's shell */
	size = -1;
	if (sm_citus_present())
		size = sm_citus_relation_size(relid, true, NULL);
	if (size < 0)
		size = DatumGetInt64(DirectFunctionCall1(pg_table_size, ObjectIdGetDatum(relid)));
	limit = (int64) sm_max_rewrite_size * 1024;
	if (size <= limit)
		PG_RETURN_NULL();
	nsp = get_namespace_name(get_rel_namespace(relid));
	rel = get_rel_name(relid);
	statement = sm_migration_statement() ? sm_migration_statement() :
		(debug_query_string ? debug_query_string : "");
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("refusing to rewrite table %s (%s) during a migration",
					quote_qualified_identifier(nsp ? nsp : "?", rel ? rel : "?"),
					text_to_cstring(DatumGetTextPP(DirectFunctionCall1(pg_size_pretty,
																	   Int64GetDatum(size))))),
			 errdetail("%s would rewrite the table, which is larger than schemamig.max_rewrite_size (%s). Statement: %s",
					   GetCommandTagName(trigdata->tag),
					   text_to_cstring(DatumGetTextPP(DirectFunctionCall1(pg_size_pretty,
																		  Int64GetDatum(limit)))),
					   statement),
			 errhint("Use a change that does not rewrite the table (see schemamig.lint()), or raise schemamig.max_rewrite_size for this migration.")));
	PG_RETURN_NULL();
}
