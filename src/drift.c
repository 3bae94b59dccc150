/*-------------------------------------------------------------------------
 *
 * drift.c
 *	  The drift event triggers (ddl_command_end, sql_drop), schema snapshots,
 *	  acknowledge_drift() and check().
 *
 * The event-trigger functions are SECURITY DEFINER with a pinned search_path
 * (see the install script): any role that runs DDL is logged, and no role
 * without rights on schemamig can write or erase the log itself.  They must
 * never make ordinary DDL fail for an avoidable reason, so they do nothing
 * at all where logging is not wanted or not possible: while pg_schemamig
 * runs migration DDL (sm_running_migration), while an extension script runs,
 * during binary upgrade, for Citus's internal connections, and whenever
 * pg_schemamig or its drift table is missing (for example while DROP
 * EXTENSION pg_schemamig itself runs).  Filtering (tracked schemas, temporary
 * objects, pg_toast, our own schema, extension members) happens inside the
 * one INSERT ... SELECT that reads the event data, through a plan prepared
 * once per backend, so the cost per DDL command is one SPI call.
 *
 * src/drift.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "catalog.h"
#include "drift.h"
#include "introspect.h"

PG_FUNCTION_INFO_V1(schemamig_drift_ddl_command_end);
PG_FUNCTION_INFO_V1(schemamig_drift_sql_drop);
PG_FUNCTION_INFO_V1(schemamig_snapshot);
PG_FUNCTION_INFO_V1(schemamig_acknowledge_drift);
PG_FUNCTION_INFO_V1(schemamig_check);

/*
 * Which schemas a logged object counts for: a schema's own name for the
 * schema itself, else the object's schema.  $1 is the tracked list (empty:
 * every non-system schema).  Without a schema, only database-level objects
 * (extensions, casts, servers, ...) and GRANT/REVOKE, whose target the event
 * data does not name, are logged, and only when every schema is tracked;
 * parts of relations that come without a schema (a view's rewrite rule) are
 * logged through their relation.
 */
#define DRIFT_SCHEMA_FILTER(type, tag) \
	" CASE WHEN s.nsp IS NULL THEN pg_catalog.cardinality($1) OPERATOR(pg_catalog.=) 0" \
	"  AND (" type " OPERATOR(pg_catalog.=) ANY (ARRAY['extension', 'cast', 'language'," \
	"       'foreign-data wrapper', 'server', 'user mapping', 'publication'," \
	"       'publication relation', 'publication namespace', 'subscription'," \
	"       'access method', 'transform', 'event trigger', 'default acl'])" \
	"       OR " tag " OPERATOR(pg_catalog.=) ANY (ARRAY['GRANT', 'REVOKE']))" \
	" ELSE s.nsp OPERATOR(pg_catalog.!~) '^pg_'" \
	"  AND s.nsp OPERATOR(pg_catalog.<>) 'information_schema'" \
	"  AND s.nsp OPERATOR(pg_catalog.<>) '" SM_SCHEMA "'" \
	"  AND (pg_catalog.cardinality($1) OPERATOR(pg_catalog.=) 0" \
	"       OR s.nsp OPERATOR(pg_catalog.=) ANY ($1)) END"

#define DRIFT_INSERT \
	"INSERT INTO " SM_SCHEMA ".drift (role, application_name, command_tag," \
	" object_type, object_identity, schema_name, statement) "

/* $1 tracked, $2 role, $3 application_name, $4 statement */
static const char *const ddl_sql =
DRIFT_INSERT
"SELECT $2, $3, c.command_tag, c.object_type, c.object_identity, s.nsp, $4"
" FROM pg_catalog.pg_event_trigger_ddl_commands() c,"
" LATERAL (SELECT CASE WHEN c.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass"
"   THEN (SELECT n.nspname::text FROM pg_catalog.pg_namespace n"
"         WHERE n.oid OPERATOR(pg_catalog.=) c.objid)"
"   ELSE c.schema_name END AS nsp) s"
" WHERE NOT c.in_extension"
" AND NOT (c.object_type OPERATOR(pg_catalog.=) 'extension'"
"          AND c.object_identity OPERATOR(pg_catalog.=) 'pg_schemamig')"
" AND" DRIFT_SCHEMA_FILTER("c.object_type", "c.command_tag");

/*
 * $1 tracked, $2 role, $3 application_name, $4 statement, $5 command tag.
 * The objects named by the command are logged, and those it dropped through
 * a normal dependency (CASCADE), except for DROP EXTENSION, whose members
 * look like that too.
 */
static const char *const drop_sql =
DRIFT_INSERT
"SELECT $2, $3, $5, d.object_type, d.object_identity, s.nsp, $4"
" FROM pg_catalog.pg_event_trigger_dropped_objects() d,"
" LATERAL (SELECT CASE WHEN d.object_type OPERATOR(pg_catalog.=) 'schema'"
"   THEN d.object_name ELSE d.schema_name END AS nsp) s"
" WHERE (d.original OR (d.normal AND $5 OPERATOR(pg_catalog.<>) 'DROP EXTENSION'))"
" AND NOT d.is_temporary"
" AND" DRIFT_SCHEMA_FILTER("d.object_type", "$5");

/* prepared once per backend, replanned by the plan cache when needed */
static SPIPlanPtr ddl_plan = NULL;
static SPIPlanPtr drop_plan = NULL;

/*
 * drift_wanted decides, without touching SPI, whether this DDL may be
 * logged at all.
 */
static bool
drift_wanted(void)
{
	Oid			nsp;

	if (sm_running_migration || creating_extension || IsBinaryUpgrade)
		return false;
	if (application_name != NULL &&
		strncmp(application_name, "citus_internal", strlen("citus_internal")) == 0)
		return false;
	if (!IsTransactionState())
		return false;
	if (!OidIsValid(get_extension_oid("pg_schemamig", true)))
		return false;
	nsp = get_namespace_oid(SM_SCHEMA, true);
	if (!OidIsValid(nsp) || !OidIsValid(get_relname_relid("drift", nsp)))
		return false;
	return true;
}

/*
 * drift_log runs the given logging statement over the event's data.  All
 * allocations go to a private memory context.
 */
static void
drift_log(SPIPlanPtr *plan, const char *sql, const char *command_tag)
{
	MemoryContext ctx;
	MemoryContext old;
	Oid			argtypes[5] = {TEXTARRAYOID, NAMEOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	List	   *tracked;
	bool		all;
	char	   *role;
	int			nargs = command_tag != NULL ? 5 : 4;
	int			rc;

	ctx = AllocSetContextCreate(CurrentMemoryContext, "schemamig drift",
								ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(ctx);

	tracked = sm_tracked_schema_list(&all);
	values[0] = sm_text_array_datum(tracked);

	/*
	 * The role that ran the DDL: the session's current role, which the
	 * SECURITY DEFINER switch to the extension owner does not change.
	 */
	role = GetUserNameFromId(GetOuterUserId(), true);
	if (role == NULL)
		role = psprintf("%u", GetOuterUserId());
	values[1] = DirectFunctionCall1(namein, CStringGetDatum(role));
	values[2] = CStringGetTextDatum(application_name ? application_name : "");
	if (debug_query_string != NULL)
		values[3] = CStringGetTextDatum(debug_query_string);
	else
	{
		values[3] = (Datum) 0;
		nulls[3] = 'n';
	}
	if (command_tag != NULL)
		values[4] = CStringGetTextDatum(command_tag);

	sm_spi_connect();
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, argtypes);

		if (p == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (SPI_keepplan(p) != 0)
			elog(ERROR, "SPI_keepplan failed");
		*plan = p;
	}
	rc = SPI_execute_plan(*plan, values, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_plan failed (%s) for query: %s",
			 SPI_result_code_string(rc), sql);
	sm_spi_finish();

	MemoryContextSwitchTo(old);
	MemoryContextDelete(ctx);
}

/*
 * schemamig.drift_ddl_command_end(): event trigger on ddl_command_end.
 */
Datum
schemamig_drift_ddl_command_end(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"drift_ddl_command_end\" must be called as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;

	/* drops are logged by the sql_drop trigger, with the dropped objects */
	if (trigdata->parsetree != NULL && IsA(trigdata->parsetree, DropStmt))
		PG_RETURN_VOID();
	if (drift_wanted())
		drift_log(&ddl_plan, ddl_sql, NULL);
	PG_RETURN_VOID();
}

/*
 * schemamig.drift_sql_drop(): event trigger on sql_drop.
 */
Datum
schemamig_drift_sql_drop(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"drift_sql_drop\" must be called as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;

	if (drift_wanted())
		drift_log(&drop_plan, drop_sql, GetCommandTagName(trigdata->tag));
	PG_RETURN_VOID();
}

/* ---------------------------------------------------------------------
 * Snapshots
 * ---------------------------------------------------------------------
 */

/* snapshot_take records a snapshot of "heads" and returns its fingerprint. */
static char *
snapshot_take(List *heads)
{
	Oid			argtypes[4] = {TEXTARRAYOID, TEXTARRAYOID, TEXTOID, TEXTOID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	List	   *schemas;
	bool		all;
	char	   *fingerprint;

	schemas = sm_tracked_schema_list(&all);
	fingerprint = sm_fingerprint(schemas, all);

	values[0] = sm_text_array_datum(heads);
	if (all)
	{
		values[1] = (Datum) 0;
		nulls[1] = 'n';
	}
	else
		values[1] = sm_text_array_datum(schemas);
	values[2] = CStringGetTextDatum(fingerprint);
	values[3] = CStringGetTextDatum(SM_FINGERPRINT_ALGORITHM);
	sm_spi_exec("INSERT INTO " SM_SCHEMA ".snapshot (heads, schemas, fingerprint, algorithm)"
				" SELECT ARRAY(SELECT h FROM pg_catalog.unnest($1) h ORDER BY h COLLATE \"C\"),"
				" CASE WHEN $2 IS NOT NULL THEN"
				" ARRAY(SELECT DISTINCT s COLLATE \"C\" FROM pg_catalog.unnest($2) s ORDER BY 1) END,"
				" $3, $4",
				SPI_OK_INSERT, 4, argtypes, values, nulls);
	return fingerprint;
}

void
sm_snapshot_record(List *heads)
{
	(void) snapshot_take(heads);
}

/*
 * schemamig.snapshot() → text: records the current schema as the expected
 * one for the current heads (after an intended change by hand).
 */
Datum
schemamig_snapshot(PG_FUNCTION_ARGS)
{
	char	   *fingerprint;
	MemoryContext outer = CurrentMemoryContext;
	MemoryContext spi;

	sm_check_catalog_writable();
	sm_lock_catalog();
	sm_spi_connect();
	/* the result must outlive SPI's memory */
	spi = MemoryContextSwitchTo(outer);
	fingerprint = snapshot_take(sm_version_heads());
	MemoryContextSwitchTo(spi);
	sm_spi_finish();
	PG_RETURN_TEXT_P(cstring_to_text(fingerprint));
}

/*
 * schemamig.acknowledge_drift(upto_id bigint DEFAULT NULL) → bigint
 */
Datum
schemamig_acknowledge_drift(PG_FUNCTION_ARGS)
{
	Oid			argtypes[2] = {INT8OID, NAMEOID};
	Datum		values[2];
	char		nulls[2] = {' ', ' '};
	uint64		n;

	sm_check_catalog_writable();
	if (PG_ARGISNULL(0))
	{
		values[0] = (Datum) 0;
		nulls[0] = 'n';
	}
	else
		values[0] = PG_GETARG_DATUM(0);
	values[1] = DirectFunctionCall1(namein,
									CStringGetDatum(GetUserNameFromId(GetUserId(), false)));
	sm_spi_connect();
	n = sm_spi_exec("UPDATE " SM_SCHEMA ".drift"
					" SET acknowledged = true, acknowledged_at = pg_catalog.now(),"
					" acknowledged_by = $2"
					" WHERE NOT acknowledged"
					" AND ($1 IS NULL OR id OPERATOR(pg_catalog.<=) $1)",
					SPI_OK_UPDATE, 2, argtypes, values, nulls);
	sm_spi_finish();
	PG_RETURN_INT64((int64) n);
}

/* ---------------------------------------------------------------------
 * check()
 * ---------------------------------------------------------------------
 */

static void
check_row(ReturnSetInfo *rsinfo, const char *severity, const char *problem,
		  const char *detail)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	values[0] = CStringGetTextDatum(severity);
	values[1] = CStringGetTextDatum(problem);
	values[2] = CStringGetTextDatum(detail);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * check_graph reports unknown parents and dependencies, cycles, and several
 * heads.  A depends_on entry may name a revision or a branch label.
 */
static void
check_graph(ReturnSetInfo *rsinfo)
{
	uint64		n;
	uint64		i;

	n = sm_spi_exec("SELECT m.id, m.parent, m.kind FROM ("
					"SELECT r.id, p.parent, 'down_revision' AS kind"
					" FROM " SM_SCHEMA ".revision r, pg_catalog.unnest(r.down_revisions) p(parent)"
					" WHERE NOT EXISTS (SELECT 1 FROM " SM_SCHEMA ".revision x"
					"   WHERE x.id OPERATOR(pg_catalog.=) p.parent)"
					" UNION ALL"
					" SELECT r.id, p.parent, 'depends_on'"
					" FROM " SM_SCHEMA ".revision r, pg_catalog.unnest(r.depends_on) p(parent)"
					" WHERE NOT EXISTS (SELECT 1 FROM " SM_SCHEMA ".revision x"
					"   WHERE x.id OPERATOR(pg_catalog.=) p.parent"
					"   OR p.parent OPERATOR(pg_catalog.=) ANY (x.branch_labels))"
					") m ORDER BY m.id COLLATE \"C\", m.kind COLLATE \"C\", m.parent COLLATE \"C\"",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	for (i = 0; i < n; i++)
		check_row(rsinfo, "error", "missing parent",
				  psprintf("revision %s names unknown %s %s",
						   sm_spi_getstr(i, 1), sm_spi_getstr(i, 3),
						   sm_spi_getstr(i, 2)));

	/*
	 * With every parent present, a revision that no walk up from a base
	 * reaches lies on or after a cycle.
	 */
	if (n == 0)
	{
		n = sm_spi_exec("WITH RECURSIVE up(id) AS ("
						" SELECT r.id FROM " SM_SCHEMA ".revision r"
						"  WHERE pg_catalog.cardinality(r.down_revisions) OPERATOR(pg_catalog.=) 0"
						" UNION"
						" SELECT r.id FROM " SM_SCHEMA ".revision r JOIN up"
						"  ON up.id OPERATOR(pg_catalog.=) ANY (r.down_revisions))"
						" SELECT pg_catalog.string_agg(r.id, ', ' ORDER BY r.seq)"
						" FROM " SM_SCHEMA ".revision r"
						" WHERE NOT EXISTS (SELECT 1 FROM up WHERE up.id OPERATOR(pg_catalog.=) r.id)"
						" HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 0",
						SPI_OK_SELECT, 0, NULL, NULL, NULL);
		if (n > 0)
			check_row(rsinfo, "error", "cycle",
					  psprintf("revisions on or after a cycle: %s", sm_spi_getstr(0, 1)));
	}

	/* Alembic's heads: revisions that are no other revision's parent */
	n = sm_spi_exec("SELECT pg_catalog.string_agg(r.id, ', ' ORDER BY r.seq)"
					" FROM " SM_SCHEMA ".revision r"
					" WHERE NOT EXISTS (SELECT 1 FROM " SM_SCHEMA ".revision c"
					"   WHERE r.id OPERATOR(pg_catalog.=) ANY (c.down_revisions))"
					" HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	if (n > 0)
		check_row(rsinfo, "warning", "multiple heads",
				  psprintf("the revision graph has several heads: %s; \"head\" is ambiguous until they are merged",
						   sm_spi_getstr(0, 1)));
}

/*
 * check_checksums reports revisions whose stored checksum no longer matches
 * their SQL, and applied revisions whose checksum changed since the upgrade
 * that applied them was logged.
 */
static void
check_checksums(ReturnSetInfo *rsinfo)
{
	uint64		n;
	uint64		i;
	MemoryContext loop;
	MemoryContext old;

	n = sm_spi_exec("SELECT id, upgrade_sql, downgrade_sql, transactional, checksum"
					" FROM " SM_SCHEMA ".revision"
					" WHERE checksum_algorithm OPERATOR(pg_catalog.=) '" SM_CHECKSUM_ALGORITHM "'"
					" ORDER BY seq",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	loop = AllocSetContextCreate(CurrentMemoryContext, "schemamig check",
								 ALLOCSET_DEFAULT_SIZES);
	for (i = 0; i < n; i++)
	{
		bool		isnull;
		char	   *id = sm_spi_getstr(i, 1);
		char	   *stored = sm_spi_getstr(i, 5);
		char	   *upgrade_sql;
		char	   *downgrade_sql;
		bool		transactional;
		char	   *actual;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(loop);
		upgrade_sql = sm_spi_getstr(i, 2);
		downgrade_sql = sm_spi_getstr(i, 3);
		transactional = sm_spi_getbool(i, 4, &isnull);
		actual = sm_checksum(upgrade_sql, downgrade_sql, transactional);
		MemoryContextSwitchTo(old);
		if (stored == NULL || strcmp(actual, stored) != 0)
			check_row(rsinfo, "error", "checksum mismatch",
					  psprintf("the SQL of revision %s no longer matches its stored checksum", id));
		MemoryContextReset(loop);
	}
	MemoryContextDelete(loop);

	n = sm_spi_exec("SELECT l.revision FROM ("
					" SELECT DISTINCT ON (lg.revision) lg.revision, lg.direction, lg.checksum"
					" FROM " SM_SCHEMA ".log lg"
					" WHERE lg.revision IS NOT NULL"
					"   AND lg.direction OPERATOR(pg_catalog.=) ANY (ARRAY['upgrade', 'downgrade'])"
					" ORDER BY lg.revision, lg.id DESC) l"
					" JOIN " SM_SCHEMA ".revision r ON r.id OPERATOR(pg_catalog.=) l.revision"
					" WHERE l.direction OPERATOR(pg_catalog.=) 'upgrade' AND l.checksum IS NOT NULL"
					"   AND l.checksum OPERATOR(pg_catalog.<>) r.checksum"
					" ORDER BY r.seq",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	for (i = 0; i < n; i++)
		check_row(rsinfo, "error", "checksum changed",
				  psprintf("revision %s was applied with a different checksum than it has now",
						   sm_spi_getstr(i, 1)));
}

/* check_drift_log reports every unacknowledged drift row, oldest first. */
static void
check_drift_log(ReturnSetInfo *rsinfo)
{
	uint64		n;
	uint64		i;

	n = sm_spi_exec("SELECT id::text, command_tag,"
					" pg_catalog.concat_ws(' ', object_type, object_identity), role::text"
					" FROM " SM_SCHEMA ".drift WHERE NOT acknowledged ORDER BY id",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		check_row(rsinfo, "warning", "drift",
				  psprintf("#%s %s %s by %s", sm_spi_getstr(i, 1),
						   sm_spi_getstr(i, 2), sm_spi_getstr(i, 3),
						   sm_spi_getstr(i, 4)));
	}
}

/*
 * check_fingerprint compares the live schema with the latest snapshot of
 * the current heads, over the schemas that snapshot covered.
 */
static void
check_fingerprint(ReturnSetInfo *rsinfo)
{
	uint64		n;
	List	   *heads = sm_version_heads();
	char	   *heads_text;
	char	   *snapshot_id;
	char	   *stored;
	char	   *algorithm;
	List	   *schemas;
	bool		all;
	bool		isnull;
	char	   *live;

	n = sm_spi_exec("SELECT s.id::text, s.fingerprint, s.algorithm, s.schemas,"
					" pg_catalog.array_to_string(s.heads, ', ')"
					" FROM " SM_SCHEMA ".snapshot s"
					" WHERE s.heads OPERATOR(pg_catalog.=) ARRAY(SELECT v.revision"
					"   FROM " SM_SCHEMA ".version v ORDER BY v.revision COLLATE \"C\")"
					" ORDER BY s.id DESC LIMIT 1",
					SPI_OK_SELECT, 0, NULL, NULL, NULL);
	if (n == 0)
	{
		if (heads != NIL)
			check_row(rsinfo, "warning", "no snapshot",
					  "No schema snapshot was recorded at the current heads; run schemamig.snapshot() once the schema is as expected.");
		return;
	}
	snapshot_id = sm_spi_getstr(0, 1);
	stored = sm_spi_getstr(0, 2);
	algorithm = sm_spi_getstr(0, 3);
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull);
	all = isnull;
	schemas = all ? NIL : sm_spi_gettextarray(0, 4);
	heads_text = sm_spi_getstr(0, 5);
	if (heads_text == NULL || heads_text[0] == '\0')
		heads_text = "base";

	if (strcmp(algorithm, SM_FINGERPRINT_ALGORITHM) != 0)
	{
		check_row(rsinfo, "info", "outdated snapshot",
				  psprintf("snapshot #%s was taken with fingerprint algorithm %s, not %s; run schemamig.snapshot() to compare again",
						   snapshot_id, algorithm, SM_FINGERPRINT_ALGORITHM));
		return;
	}
	live = sm_fingerprint(schemas, all);
	if (strcmp(live, stored) != 0)
		check_row(rsinfo, "error", "schema drift",
				  psprintf("the live schema differs from snapshot #%s taken at %s", snapshot_id, heads_text));
}

/*
 * schemamig.check() → TABLE(severity text, problem text, detail text)
 */
Datum
schemamig_check(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	sm_spi_connect();
	check_graph(rsinfo);
	check_checksums(rsinfo);
	check_drift_log(rsinfo);
	check_fingerprint(rsinfo);
	sm_spi_finish();
	return (Datum) 0;
}
