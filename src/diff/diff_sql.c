/*-------------------------------------------------------------------------
 *
 * diff_sql.c
 *	  SQL entry points: schemamig.diff() and schemamig.autogenerate().
 *
 * diff_compute reads the live model (with the desired DDL's rename hints
 * applied inside a subtransaction that is rolled back, so the comparison
 * and the data checks see the renamed objects), builds the desired model
 * in the shadow, and plans.  The steps are the hints' renames followed by
 * the plan.
 *
 * src/diff/diff_sql.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "diff.h"

PG_FUNCTION_INFO_V1(schemamig_diff);
PG_FUNCTION_INFO_V1(schemamig_autogenerate);

static void
check_schema_name(const char *s)
{
	if (strcmp(s, SM_SCHEMA) == 0 || strncmp(s, "pg_", 3) == 0 ||
		strcmp(s, "information_schema") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schema \"%s\" cannot be diffed", s),
				 errdetail("System schemas and pg_schemamig's own schema are not the application's.")));
}

/* requires a connected SPI; the result lives in the current memory context */
List *
diff_compute(const char *ddl, List *schemas, bool single)
{
	List	   *renames = diff_parse_renames(ddl, linitial(schemas));
	List	   *volatile steps = NIL;
	DiffModel  *live;
	DiffModel  *desired;
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ListCell   *lc;

	foreach(lc, schemas)
		check_schema_name(lfirst(lc));
	if (renames == NIL)
	{
		live = diff_read_model(schemas, NULL);
		desired = diff_build_desired(ddl, schemas, single, live);
		return diff_plan(live, desired);
	}

	/* the renames apply to the live schema only while diff looks at it */
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		steps = diff_apply_renames(renames);
		live = diff_read_model(schemas, NULL);
		desired = diff_build_desired(ddl, schemas, single, live);
		steps = list_concat(steps, diff_plan(live, desired));
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		ReThrowError(edata);
	}
	PG_END_TRY();
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(oldcxt);
	CurrentResourceOwner = oldowner;
	return steps;
}

static List *
schema_args(FunctionCallInfo fcinfo, bool *single)
{
	List	   *schemas = NIL;

	if (get_fn_expr_argtype(fcinfo->flinfo, 1) == TEXTARRAYOID)
	{
		ListCell   *lc;

		*single = false;
		if (PG_ARGISNULL(1))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("schemas must not be NULL")));
		foreach(lc, sm_text_array_to_list(PG_GETARG_ARRAYTYPE_P(1), "schemas"))
			schemas = list_append_unique(schemas, makeString(lfirst(lc)));
		{
			List	   *names = NIL;

			foreach(lc, schemas)
				names = lappend(names, strVal(lfirst(lc)));
			schemas = names;
		}
		if (schemas == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("schemas must name at least one schema")));
	}
	else
	{
		*single = true;
		if (PG_ARGISNULL(1))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("schema must not be NULL")));
		schemas = list_make1(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	}
	return schemas;
}

/* diff(desired_ddl text, schema text | schemas text[]) -> setof steps */
Datum
schemamig_diff(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		single;
	List	   *schemas;
	char	   *ddl;
	List	   *steps;
	ListCell   *lc;
	int			n = 0;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("desired_ddl must not be NULL")));
	ddl = text_to_cstring(PG_GETARG_TEXT_PP(0));
	schemas = schema_args(fcinfo, &single);
	InitMaterializedSRF(fcinfo, 0);

	sm_spi_connect();
	steps = diff_compute(ddl, schemas, single);
	foreach(lc, steps)
	{
		DiffStep   *s = lfirst(lc);
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = Int32GetDatum(++n);
		values[1] = CStringGetTextDatum(s->upgrade);
		if (s->downgrade)
			values[2] = CStringGetTextDatum(s->downgrade);
		else
			nulls[2] = true;
		if (s->hazard)
			values[3] = CStringGetTextDatum(s->hazard);
		else
			nulls[3] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sm_spi_finish();
	return (Datum) 0;
}

/*
 * revision_sections appends to "up" the upgrade steps, each hazard as a
 * comment above its step, and to "down" their inverses in reverse order:
 * the steps whose hazard starts with NON_TRANSACTIONAL (a VALIDATE
 * CONSTRAINT that commits on its own) when "nontx", the others otherwise.
 */
static void
revision_sections(List *steps, bool nontx, StringInfo up, StringInfo down)
{
	ListCell   *lc;

	foreach(lc, steps)
	{
		DiffStep   *s = lfirst(lc);

		if (nontx != (s->hazard && strncmp(s->hazard, "NON_TRANSACTIONAL", 17) == 0))
			continue;
		if (s->hazard)
			appendStringInfo(up, "%s-- hazard: %s\n", up->len ? "\n" : "", s->hazard);
		else if (up->len)
			appendStringInfoChar(up, '\n');
		appendStringInfoString(up, s->upgrade);
	}
	for (int i = list_length(steps) - 1; i >= 0; i--)
	{
		DiffStep   *s = list_nth(steps, i);

		if (nontx != (s->hazard && strncmp(s->hazard, "NON_TRANSACTIONAL", 17) == 0))
			continue;
		if (down->len)
			appendStringInfoChar(down, '\n');
		appendStringInfoString(down, s->downgrade);
	}
}

/*
 * autogenerate(message, desired_ddl, schema | schemas, id) -> revision id:
 * the id of the revision registered last (the new head).
 */
Datum
schemamig_autogenerate(PG_FUNCTION_ARGS)
{
	bool		single;
	List	   *schemas;
	char	   *ddl;
	List	   *steps;
	ListCell   *lc;
	StringInfoData up,
				down,
				later_up,
				later_down;
	char	   *result = NULL;
	Oid			argtypes[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	const char	nulls_later[4] = {' ', ' ', ' ', ' '};
	MemoryContext caller = CurrentMemoryContext;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("desired_ddl must not be NULL")));
	ddl = text_to_cstring(PG_GETARG_TEXT_PP(1));
	{
		/* schema argument is the third */
		List	   *l = NIL;

		if (get_fn_expr_argtype(fcinfo->flinfo, 2) == TEXTARRAYOID)
		{
			single = false;
			if (PG_ARGISNULL(2))
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("schemas must not be NULL")));
			foreach(lc, sm_text_array_to_list(PG_GETARG_ARRAYTYPE_P(2), "schemas"))
				if (!list_member(l, makeString(lfirst(lc))))
				l = lappend(l, makeString(lfirst(lc)));
			schemas = NIL;
			foreach(lc, l)
				schemas = lappend(schemas, strVal(lfirst(lc)));
			if (schemas == NIL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("schemas must name at least one schema")));
		}
		else
		{
			single = true;
			if (PG_ARGISNULL(2))
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("schema must not be NULL")));
			schemas = list_make1(text_to_cstring(PG_GETARG_TEXT_PP(2)));
		}
	}

	sm_spi_connect();
	steps = diff_compute(ddl, schemas, single);
	if (steps == NIL)
	{
		ereport(NOTICE,
				(errmsg("no difference between the live schema and the desired DDL: no revision registered")));
		sm_spi_finish();
		PG_RETURN_NULL();
	}
	initStringInfo(&up);
	initStringInfo(&down);
	initStringInfo(&later_up);
	initStringInfo(&later_down);
	revision_sections(steps, false, &up, &down);
	revision_sections(steps, true, &later_up, &later_down);
	values[0] = PG_ARGISNULL(3) ? (Datum) 0 : PointerGetDatum(PG_GETARG_TEXT_PP(3));
	nulls[0] = PG_ARGISNULL(3) ? 'n' : ' ';
	if (PG_ARGISNULL(0))
		nulls[1] = 'n';
	else
		values[1] = PointerGetDatum(PG_GETARG_TEXT_PP(0));
	values[2] = CStringGetTextDatum(up.data);
	values[3] = CStringGetTextDatum(down.data);
	if (sm_spi_exec("SELECT " SM_SCHEMA ".add_revision($1, $2, $3, $4)", SPI_OK_SELECT,
					4, argtypes, values, nulls) == 1)
		result = sm_spi_getstr(0, 1);
	if (result && later_up.len > 0)
	{
		/* the steps that commit on their own: a non-transactional child */
		char	   *first = pstrdup(result);

		values[0] = CStringGetTextDatum(first);
		values[1] = CStringGetTextDatum(psprintf("%s (validate)", PG_ARGISNULL(0) ? "autogenerate" :
												 text_to_cstring(PG_GETARG_TEXT_PP(0))));
		values[2] = CStringGetTextDatum(later_up.data);
		values[3] = CStringGetTextDatum(later_down.data);
		result = NULL;
		if (sm_spi_exec("SELECT " SM_SCHEMA ".add_revision(NULL, $2, $3, $4, ARRAY[$1], '{}', '{}', false)",
						SPI_OK_SELECT, 4, argtypes, values, nulls_later) == 1)
			result = sm_spi_getstr(0, 1);
		if (result)
			ereport(NOTICE,
					(errmsg("the VALIDATE CONSTRAINT steps are in non-transactional revision %s after revision %s",
							result, first),
					 errdetail("They commit on their own, after the constraints were added NOT VALID.")));
	}
	if (result)
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		result = pstrdup(result);
		MemoryContextSwitchTo(old);
	}
	sm_spi_finish();
	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(result));
}
