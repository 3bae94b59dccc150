/*-------------------------------------------------------------------------
 *
 * lint.c
 *	  SQL-callable lint() and review(), and the lint_on_upgrade hook that
 *	  upgrade() calls before running a revision.
 *
 * review() adds to lint: irreversibility, a downgrade that forgets what the
 * upgrade creates, and data checks that count the live rows a new
 * constraint would reject.  The data checks are the only queries run on
 * user tables; each runs in its own subtransaction that is always rolled
 * back, with transaction_read_only on and a statement timeout.
 *
 * src/lint/lint.c
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
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "parser/scanner.h"
/* gram.h (token codes) must follow scanner.h */
#include "parser/gram.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "catalog.h"
#include "lint.h"
#include "pg_schemamig.h"
#include "subxact.h"

PG_FUNCTION_INFO_V1(schemamig_lint);
PG_FUNCTION_INFO_V1(schemamig_review);
PG_FUNCTION_INFO_V1(schemamig_lint_downgrade);

/* Statement timeout of a data check when schemamig.statement_timeout is 0. */
#define REVIEW_CHECK_TIMEOUT_MS 10000

/* An object the upgrade creates, for downgrade-incomplete. */
typedef struct ReviewCreated
{
	const char *kind;			/* "table", "column", ... */
	char	   *name;			/* as the parser saw it */
	char	   *owner;			/* table of a column/constraint, or NULL */
	int			statement;
	int			location;
} ReviewCreated;

/*
 * lint(sql text) returns TABLE(severity, rule, statement, location,
 * message, hint).
 */
Datum
schemamig_lint(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *sql;
	List	   *findings;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	findings = lint_sql(sql, NULL);
	foreach(lc, findings)
	{
		LintFinding *f = (LintFinding *) lfirst(lc);
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};

		values[0] = CStringGetTextDatum(lint_severity_name(f->severity));
		values[1] = CStringGetTextDatum(f->rule);
		values[2] = Int32GetDatum(f->statement);
		values[3] = Int32GetDatum(f->location);
		values[4] = CStringGetTextDatum(f->message);
		values[5] = CStringGetTextDatum(f->hint);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	PG_RETURN_VOID();
}

/*
 * sm_lint_before_upgrade: called by upgrade() (SPI connected) before it
 * runs a revision.  Per schemamig.lint_on_upgrade: off does nothing;
 * warning emits one WARNING per finding of severity error; error refuses
 * the revision, naming its error findings.  Suppressed findings are info
 * and never count.  SQL without DDL never touches the catalog.
 */
void
sm_lint_before_upgrade(const char *revision_id, const char *upgrade_sql)
{
	MemoryContext cxt;
	MemoryContext old;
	List	   *findings;
	ListCell   *lc;
	StringInfoData detail;
	int			nerrors = 0;

	if (sm_lint_on_upgrade == SM_LINT_OFF || upgrade_sql == NULL)
		return;
	cxt = AllocSetContextCreate(CurrentMemoryContext, "schemamig lint",
								ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(cxt);
	findings = lint_sql(upgrade_sql, NULL);
	initStringInfo(&detail);
	foreach(lc, findings)
	{
		LintFinding *f = (LintFinding *) lfirst(lc);

		if (f->severity != LINT_ERROR)
			continue;
		nerrors++;
		if (sm_lint_on_upgrade == SM_LINT_WARNING)
			ereport(WARNING,
					(errmsg("revision \"%s\", statement %d: %s",
							revision_id, f->statement, f->message),
					 errdetail("Lint rule %s; schemamig.lint_on_upgrade is warning, so the revision runs. Location: offset %d of the upgrade SQL.",
							   f->rule, f->location),
					 errhint("%s", f->hint)));
		else
			appendStringInfo(&detail, "%sstatement %d: %s [%s]",
							 nerrors > 1 ? "\n" : "", f->statement, f->message, f->rule);
	}
	MemoryContextSwitchTo(old);
	if (sm_lint_on_upgrade == SM_LINT_ERROR && nerrors > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("revision \"%s\" has %d lint finding%s of severity error",
						revision_id, nerrors, nerrors > 1 ? "s" : ""),
				 errdetail("%s", detail.data),
				 errhint("Fix the SQL, put \"-- schemamig:allow <rule> <reason>\" before the statement, or set schemamig.lint_on_upgrade to warning.")));
	MemoryContextDelete(cxt);
}

/* ------------------------------------------------------------------------
 * review()
 * ------------------------------------------------------------------------
 */

/* quote_qualified_identifier of a relation, or NULL if it is gone. */
static char *
review_relname(Oid relid)
{
	char	   *nsp = get_namespace_name(get_rel_namespace(relid));
	char	   *rel = get_rel_name(relid);

	if (nsp == NULL || rel == NULL)
		return NULL;
	return quote_qualified_identifier(nsp, rel);
}

/*
 * review_pin: nothing from the revision may run with the reviewer's rights:
 * names resolve in pg_catalog only (here and when the query runs),
 * row-level security policies are not run, and the query must call only
 * trusted functions (review_safety.c).
 */
static void
review_pin(const char *query)
{
	char	   *why = NULL;

	(void) set_config_option("search_path", "pg_catalog", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
	(void) set_config_option("row_security", "off", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
	if (!sm_review_query_is_safe(query, &why))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("not checked: %s", why)));
}

/*
 * review_count runs one counting query read-only in a subtransaction that
 * is always rolled back, under a statement timeout.  Returns true and sets
 * *count, or returns false with *failure set when the query failed or timed
 * out.  A cancel that is not our timeout is re-thrown.
 */
static bool
review_count(const char *query, int64 *count, char **failure)
{
	int			ms = sm_statement_timeout > 0 ? sm_statement_timeout : REVIEW_CHECK_TIMEOUT_MS;
	ErrorData  *edata;
	bool		timed_out;

	if (sm_bounded_count(query, ms, review_pin, count, &edata, &timed_out))
		return true;
	*failure = timed_out ? psprintf("timed out after %d ms", ms) : pstrdup(edata->message);
	return false;
}

/* Comma-separated quoted column list, each prefixed with "prefix". */
static char *
review_cols(List *cols, const char *prefix, const char *sep, const char *suffix)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, cols)
		appendStringInfo(&buf, "%s%s%s%s", foreach_current_index(lc) > 0 ? sep : "",
						 prefix, quote_identifier((char *) lfirst(lc)), suffix);
	return buf.data;
}

/* Primary key columns of relid, or NIL. */
static List *
review_pkey_columns(Oid relid)
{
	static const char *q =
		"SELECT a.attname::pg_catalog.text FROM pg_catalog.pg_constraint c,"
		" LATERAL pg_catalog.unnest(c.conkey) WITH ORDINALITY k(attnum, n),"
		" pg_catalog.pg_attribute a"
		" WHERE c.conrelid OPERATOR(pg_catalog.=) $1 AND c.contype OPERATOR(pg_catalog.=) 'p'"
		" AND a.attrelid OPERATOR(pg_catalog.=) c.conrelid AND a.attnum OPERATOR(pg_catalog.=) k.attnum"
		" ORDER BY k.n";
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];
	List	   *result = NIL;
	uint64		n;
	uint64		i;

	values[0] = ObjectIdGetDatum(relid);
	n = sm_spi_exec(q, SPI_OK_SELECT, 1, argtypes, values, NULL);
	for (i = 0; i < n; i++)
		result = lappend(result, sm_spi_getstr(i, 1));
	return result;
}

/* A review() finding (statement/location refer to the upgrade SQL). */
static LintFinding *
review_finding(LintSeverity severity, const char *rule, int statement,
			   int location, char *message, const char *hint)
{
	LintFinding *f = palloc(sizeof(LintFinding));

	f->severity = severity;
	f->rule = rule;
	f->statement = statement;
	f->location = location;
	f->message = message;
	f->hint = pstrdup(hint);
	return f;
}

/*
 * review_resolve_validate turns a VALIDATE CONSTRAINT of a constraint that
 * already exists (added NOT VALID by an earlier revision) into the CHECK
 * or FOREIGN KEY check it stands for.  Returns false when there is no such
 * unvalidated constraint.
 */
static bool
review_resolve_validate(LintDataCheck *c)
{
	static const char *q =
		"SELECT c.contype::pg_catalog.text, pg_catalog.pg_get_expr(c.conbin, c.conrelid),"
		" c.confrelid, c.conkey, c.confkey FROM pg_catalog.pg_constraint c"
		" WHERE c.conrelid OPERATOR(pg_catalog.=) $1 AND c.conname OPERATOR(pg_catalog.=) $2"
		" AND NOT c.convalidated";
	static const char *qcols =
		"SELECT a.attname::pg_catalog.text FROM pg_catalog.unnest($2::pg_catalog.int2[])"
		" WITH ORDINALITY k(attnum, n), pg_catalog.pg_attribute a"
		" WHERE a.attrelid OPERATOR(pg_catalog.=) $1 AND a.attnum OPERATOR(pg_catalog.=) k.attnum"
		" ORDER BY k.n";
	Oid			argtypes[2] = {OIDOID, NAMEOID};
	Datum		values[2];
	char	   *contype;
	bool		isnull;
	Datum		confrelid;
	Datum		conkey;
	Datum		confkey;
	Oid			colargs[2] = {OIDOID, INT2ARRAYOID};
	Datum		colvals[2];
	uint64		n;
	uint64		i;

	values[0] = ObjectIdGetDatum(c->relid);
	values[1] = DirectFunctionCall1(namein, CStringGetDatum(c->conname));
	if (sm_spi_exec(q, SPI_OK_SELECT, 2, argtypes, values, NULL) != 1)
		return false;
	contype = sm_spi_getstr(0, 1);
	if (strcmp(contype, "c") == 0)
	{
		c->kind = LINT_CHECK_CHECK;
		c->expr = sm_spi_getstr(0, 2);
		return c->expr != NULL;
	}
	if (strcmp(contype, "f") != 0)
		return false;
	confrelid = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
	conkey = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull);
	if (isnull)
		return false;
	confkey = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5, &isnull);
	if (isnull)
		return false;
	conkey = PointerGetDatum(PG_DETOAST_DATUM_COPY(conkey));
	confkey = PointerGetDatum(PG_DETOAST_DATUM_COPY(confkey));
	c->kind = LINT_CHECK_FOREIGN_KEY;
	c->refrelid = DatumGetObjectId(confrelid);
	colvals[0] = ObjectIdGetDatum(c->relid);
	colvals[1] = conkey;
	n = sm_spi_exec(qcols, SPI_OK_SELECT, 2, colargs, colvals, NULL);
	for (i = 0; i < n; i++)
		c->columns = lappend(c->columns, sm_spi_getstr(i, 1));
	colvals[0] = ObjectIdGetDatum(c->refrelid);
	colvals[1] = confkey;
	n = sm_spi_exec(qcols, SPI_OK_SELECT, 2, colargs, colvals, NULL);
	for (i = 0; i < n; i++)
		c->refcolumns = lappend(c->refcolumns, sm_spi_getstr(i, 1));
	return c->columns != NIL;
}

/* Run one data check; returns its finding, or NULL when the data is fine. */
static LintFinding *
review_data_check(LintDataCheck *c)
{
	char	   *rel = review_relname(c->relid);
	char	   *query = NULL;
	char	   *what = NULL;
	char	   *failure = NULL;
	const char *hint = NULL;
	const char *rule = NULL;
	int64		count;

	if (rel == NULL)
		return NULL;
	if (c->kind == LINT_CHECK_VALIDATE && !review_resolve_validate(c))
		return NULL;
	switch (c->kind)
	{
		case LINT_CHECK_NOT_NULL:
			if (c->columns == NIL)
				return NULL;
			query = psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NULL",
							 rel, quote_identifier(linitial(c->columns)));
			what = psprintf("have %s NULL", (char *) linitial(c->columns));
			rule = "data-not-null-violation";
			hint = "Backfill the NULLs (in batches) before adding the constraint.";
			break;
		case LINT_CHECK_UNIQUE:
			if (c->columns == NIL)
				return NULL;
			query = psprintf("SELECT COALESCE(pg_catalog.sum(n), 0)::pg_catalog.int8 FROM"
							 " (SELECT pg_catalog.count(*) AS n FROM %s %s%s GROUP BY %s"
							 " HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1) d",
							 rel, c->nulls_distinct ? "WHERE " : "",
							 c->nulls_distinct ? review_cols(c->columns, "", " AND ", " IS NOT NULL") : "",
							 review_cols(c->columns, "", ", ", ""));
			what = psprintf("share a value of (%s) with another row",
							review_cols(c->columns, "", ", ", ""));
			rule = "data-unique-violation";
			hint = "Remove or merge the duplicates before adding the unique index or constraint.";
			break;
		case LINT_CHECK_FOREIGN_KEY:
			{
				char	   *ref = review_relname(c->refrelid);
				List	   *refcols;
				StringInfoData cond;
				ListCell   *a;
				ListCell   *b;

				if (ref == NULL || c->columns == NIL)
					return NULL;
				refcols = c->refcolumns != NIL ? c->refcolumns :
					review_pkey_columns(c->refrelid);
				if (list_length(refcols) != list_length(c->columns))
					return NULL;
				initStringInfo(&cond);
				forboth(a, c->columns, b, refcols)
					appendStringInfo(&cond, "%sr.%s OPERATOR(pg_catalog.=) t.%s",
									 foreach_current_index(a) > 0 ? " AND " : "",
									 quote_identifier((char *) lfirst(b)),
									 quote_identifier((char *) lfirst(a)));
				query = psprintf("SELECT pg_catalog.count(*) FROM %s t WHERE %s AND NOT EXISTS"
								 " (SELECT 1 FROM %s r WHERE %s)",
								 rel, review_cols(c->columns, "t.", " AND ", " IS NOT NULL"),
								 ref, cond.data);
				what = psprintf("reference rows missing from %s", get_rel_name(c->refrelid));
				rule = "data-foreign-key-violation";
				hint = "Delete or fix the orphans before adding or validating the foreign key (NOT VALID checks only new rows).";
				break;
			}
		case LINT_CHECK_CHECK:
			if (c->expr == NULL)
				return NULL;
			query = psprintf("SELECT pg_catalog.count(*) FROM %s WHERE NOT (%s)", rel, c->expr);
			what = psprintf("violate CHECK (%s)", c->expr);
			rule = "data-check-violation";
			hint = "Fix the violating rows before adding or validating the constraint (NOT VALID checks only new rows).";
			break;
		case LINT_CHECK_VALIDATE:
			return NULL;
	}
	if (!review_count(query, &count, &failure))
		return review_finding(LINT_INFO, "data-check-failed", c->statement, c->location,
							  psprintf("could not count the rows of %s for %s: %s",
									   get_rel_name(c->relid), rule, failure),
							  "Check the data by hand before applying the revision.");
	if (count == 0)
		return NULL;
	return review_finding(c->rows_changed ? LINT_WARNING : LINT_ERROR, rule,
						  c->statement, c->location,
						  psprintf("would fail: " INT64_FORMAT " row%s of %s %s%s", count,
								   count == 1 ? "" : "s", get_rel_name(c->relid), what,
								   c->rows_changed ? " (counted before this SQL's earlier statements change the table)" : ""),
						  hint);
}

/* review_has_word: is "s" equal to one of the C strings of "list"? */
static bool
review_has_word(List *list, const char *s)
{
	ListCell   *lc;

	foreach(lc, list)
	{
		if (strcmp((char *) lfirst(lc), s) == 0)
			return true;
	}
	return false;
}

/* Last String of a qualified name list. */
static char *
review_last_name(List *names)
{
	if (names == NIL || !IsA(llast(names), String))
		return NULL;
	return strVal(llast(names));
}

/* review_add_created appends one created object (nothing when name is NULL). */
static void
review_add_created(List **created, const char *kind, char *name, char *owner,
				   int statement, int location)
{
	ReviewCreated *rc;

	if (name == NULL)
		return;
	rc = palloc(sizeof(ReviewCreated));
	rc->kind = kind;
	rc->name = name;
	rc->owner = owner;
	rc->statement = statement;
	rc->location = location;
	*created = lappend(*created, rc);
}

/*
 * review_created lists what the upgrade SQL creates: tables, views,
 * sequences, types, functions, indexes and triggers, and the columns and
 * named constraints it adds to tables it does not create.
 */
static List *
review_created(const char *sql)
{
	List	   *raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	List	   *created = NIL;
	List	   *tables = NIL;
	ListCell   *lc;
	int			n = 0;

	foreach(lc, raw)
	{
		RawStmt    *rs = lfirst_node(RawStmt, lc);
		Node	   *s = rs->stmt;
		int			loc = lint_statement_start(sql, rs->stmt_location,
											   rs->stmt_len > 0 ? rs->stmt_location + rs->stmt_len : strlen(sql));

		n++;
		switch (nodeTag(s))
		{
			case T_CreateStmt:
				tables = lappend(tables, ((CreateStmt *) s)->relation->relname);
				review_add_created(&created, "table", ((CreateStmt *) s)->relation->relname,
								   NULL, n, loc);
				break;
			case T_CreateTableAsStmt:
				if (((CreateTableAsStmt *) s)->into && ((CreateTableAsStmt *) s)->into->rel)
					review_add_created(&created, "table",
									   ((CreateTableAsStmt *) s)->into->rel->relname, NULL, n, loc);
				break;
			case T_ViewStmt:
				review_add_created(&created, "view", ((ViewStmt *) s)->view->relname, NULL, n, loc);
				break;
			case T_CreateSeqStmt:
				review_add_created(&created, "sequence", ((CreateSeqStmt *) s)->sequence->relname,
								   NULL, n, loc);
				break;
			case T_CreateEnumStmt:
				review_add_created(&created, "type", review_last_name(((CreateEnumStmt *) s)->typeName),
								   NULL, n, loc);
				break;
			case T_CompositeTypeStmt:
				review_add_created(&created, "type", ((CompositeTypeStmt *) s)->typevar->relname,
								   NULL, n, loc);
				break;
			case T_CreateDomainStmt:
				review_add_created(&created, "domain", review_last_name(((CreateDomainStmt *) s)->domainname),
								   NULL, n, loc);
				break;
			case T_CreateFunctionStmt:
				if (!((CreateFunctionStmt *) s)->replace)
					review_add_created(&created, "function",
									   review_last_name(((CreateFunctionStmt *) s)->funcname), NULL, n, loc);
				break;
			case T_CreateTrigStmt:
				review_add_created(&created, "trigger", ((CreateTrigStmt *) s)->trigname, NULL, n, loc);
				break;
			case T_CreateSchemaStmt:
				review_add_created(&created, "schema", ((CreateSchemaStmt *) s)->schemaname, NULL, n, loc);
				break;
			case T_IndexStmt:
				{
					IndexStmt  *is = (IndexStmt *) s;

					if (is->idxname && is->relation &&
						!review_has_word(tables, is->relation->relname))
						review_add_created(&created, "index", is->idxname, NULL, n, loc);
					break;
				}
			case T_AlterTableStmt:
				{
					AlterTableStmt *ats = (AlterTableStmt *) s;
					ListCell   *c;

					if (ats->relation == NULL ||
						review_has_word(tables, ats->relation->relname))
						break;
					foreach(c, ats->cmds)
					{
						AlterTableCmd *cmd = (AlterTableCmd *) lfirst(c);

						if (cmd->subtype == AT_AddColumn && cmd->def && IsA(cmd->def, ColumnDef))
							review_add_created(&created, "column", ((ColumnDef *) cmd->def)->colname,
											   ats->relation->relname, n, loc);
						else if (cmd->subtype == AT_AddConstraint && cmd->def &&
								 IsA(cmd->def, Constraint) && ((Constraint *) cmd->def)->conname)
							review_add_created(&created, "constraint", ((Constraint *) cmd->def)->conname,
											   ats->relation->relname, n, loc);
					}
					break;
				}
			default:
				break;
		}
	}
	return created;
}

/* collects identifiers and keywords for review_words */
static bool
review_word(const SmToken *t, void *arg)
{
	List	  **words = (List **) arg;

	if (t->code == IDENT || t->keyword)
		*words = lappend(*words, pstrdup(t->value));
	return true;
}

/* Identifiers and keywords of sql, as the parser spells them. */
static List *
review_words(const char *sql)
{
	List	   *words = NIL;

	sm_scan_tokens(sql, false, review_word, &words);
	return words;
}

/* Findings of one direction, as review() rows. */
static void
review_put_findings(ReturnSetInfo *rsinfo, const char *direction, List *findings)
{
	ListCell   *lc;

	foreach(lc, findings)
	{
		LintFinding *f = (LintFinding *) lfirst(lc);
		Datum		values[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};

		values[0] = CStringGetTextDatum(direction);
		values[1] = CStringGetTextDatum(lint_severity_name(f->severity));
		values[2] = CStringGetTextDatum(f->rule);
		values[3] = Int32GetDatum(f->statement);
		values[4] = Int32GetDatum(f->location);
		values[5] = CStringGetTextDatum(f->message);
		values[6] = CStringGetTextDatum(f->hint);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/* Does findings hold a syntax-error finding? */
static bool
review_parses(List *findings)
{
	ListCell   *lc;

	foreach(lc, findings)
	{
		if (strcmp(((LintFinding *) lfirst(lc))->rule, "syntax-error") == 0)
			return false;
	}
	return true;
}

/*
 * review(revision text) returns TABLE(direction, severity, rule, statement,
 * location, message, hint): lint of the upgrade and the downgrade,
 * reversibility, and data checks on live rows.  Upgrade rows come first,
 * each direction ordered by statement and location.
 */
Datum
schemamig_review(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext cxt = CurrentMemoryContext;
	char	   *id;
	char	   *up;
	char	   *down;
	List	   *checks = NIL;
	List	   *upf;
	List	   *downf = NIL;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("revision must not be null")));
	id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sm_spi_connect();
	if (!sm_catalog_revision_sql(id, &up, &down))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("revision \"%s\" does not exist", id),
				 errhint("review() takes a full revision id; see schemamig.history().")));

	upf = lint_sql(up, &checks);
	foreach(lc, checks)
	{
		LintFinding *f;

		CHECK_FOR_INTERRUPTS();
		f = review_data_check((LintDataCheck *) lfirst(lc));
		MemoryContextSwitchTo(cxt);
		if (f != NULL)
			upf = lappend(upf, f);
	}
	if (down == NULL)
		downf = list_make1(review_finding(LINT_WARNING, "irreversible-revision", 0, 0,
										  psprintf("revision %s has no downgrade: downgrade() stops at it", id),
										  "Write the downgrade SQL (drop what the upgrade creates, restore what it drops), or accept that the revision is one-way."));
	else
	{
		downf = lint_sql(down, NULL);
		if (review_parses(downf) && review_parses(upf))
		{
			List	   *words = review_words(down);

			foreach(lc, review_created(up))
			{
				ReviewCreated *rc = (ReviewCreated *) lfirst(lc);

				if (review_has_word(words, rc->name))
					continue;
				upf = lappend(upf, review_finding(LINT_WARNING, "downgrade-incomplete",
												  rc->statement, rc->location,
												  rc->owner ?
												  psprintf("the downgrade does not mention %s %s of %s, which this statement creates",
														   rc->kind, rc->name, rc->owner) :
												  psprintf("the downgrade does not mention %s %s, which this statement creates",
														   rc->kind, rc->name),
												  "Make the downgrade drop what the upgrade creates, so that downgrade() restores the schema."));
			}
		}
	}
	lint_sort_findings(upf);
	review_put_findings(rsinfo, "upgrade", upf);
	review_put_findings(rsinfo, "downgrade", downf);
	sm_spi_finish();
	PG_RETURN_VOID();
}

/* ------------------------------------------------------------------------
 * lint_downgrade()
 * ------------------------------------------------------------------------
 */

/* True when "created" holds an object of "kind" named "name" (owner too). */
static bool
created_has(List *created, const char *kind, const char *name, const char *owner)
{
	ListCell   *lc;

	foreach(lc, created)
	{
		ReviewCreated *rc = lfirst(lc);

		if (strcmp(rc->kind, kind) == 0 && strcmp(rc->name, name) == 0 &&
			(owner == NULL || (rc->owner != NULL && strcmp(rc->owner, owner) == 0)))
			return true;
	}
	return false;
}

/*
 * undoing_statements: for each statement of the downgrade SQL, whether it
 * only drops what the upgrade created (a table it created, or a column it
 * added), as a palloc'd bool array indexed by statement number (from 1).
 */
static bool *
undoing_statements(const char *downgrade_sql, List *created, int *nstmts)
{
	List	   *raw = raw_parser(downgrade_sql, RAW_PARSE_DEFAULT);
	bool	   *undo = palloc0(sizeof(bool) * (list_length(raw) + 2));
	ListCell   *lc;
	int			n = 0;

	foreach(lc, raw)
	{
		Node	   *s = lfirst_node(RawStmt, lc)->stmt;
		bool		all = false;

		n++;
		if (IsA(s, DropStmt) && ((DropStmt *) s)->removeType == OBJECT_TABLE)
		{
			ListCell   *o;

			all = true;
			foreach(o, ((DropStmt *) s)->objects)
			{
				char	   *name = review_last_name((List *) lfirst(o));

				if (name == NULL || !created_has(created, "table", name, NULL))
					all = false;
			}
		}
		else if (IsA(s, AlterTableStmt) && ((AlterTableStmt *) s)->relation != NULL)
		{
			AlterTableStmt *ats = (AlterTableStmt *) s;
			const char *table = ats->relation->relname;
			ListCell   *c;

			all = ats->cmds != NIL;
			foreach(c, ats->cmds)
			{
				AlterTableCmd *cmd = (AlterTableCmd *) lfirst(c);

				if (!(cmd->subtype == AT_DropColumn && cmd->name != NULL &&
					  (created_has(created, "table", table, NULL) ||
					   created_has(created, "column", cmd->name, table))))
					all = false;
			}
		}
		undo[n] = all;
	}
	*nstmts = n;
	return undo;
}

/*
 * lint_downgrade(downgrade_sql, upgrade_sql) returns lint()'s columns for
 * the downgrade, knowing what its own upgrade created: dropping a table the
 * upgrade created or a column it added is what the downgrade is for, so
 * ban-drop-table and ban-drop-column findings on such statements become
 * info (the data they drop is the upgrade's own).
 */
Datum
schemamig_lint_downgrade(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *down;
	List	   *created = NIL;
	List	   *findings;
	bool	   *undo;
	int			nstmts;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	down = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (!PG_ARGISNULL(1))
		created = review_created(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	findings = lint_sql(down, NULL);
	undo = undoing_statements(down, created, &nstmts);
	foreach(lc, findings)
	{
		LintFinding *f = (LintFinding *) lfirst(lc);
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};
		bool		undoes = f->statement >= 1 && f->statement <= nstmts && undo[f->statement] &&
			(strcmp(f->rule, "ban-drop-table") == 0 || strcmp(f->rule, "ban-drop-column") == 0);

		values[0] = CStringGetTextDatum(lint_severity_name(undoes ? LINT_INFO : f->severity));
		values[1] = CStringGetTextDatum(f->rule);
		values[2] = Int32GetDatum(f->statement);
		values[3] = Int32GetDatum(f->location);
		values[4] = CStringGetTextDatum(undoes ?
										psprintf("%s (it undoes what the upgrade of the same revision created)",
												 f->message) : f->message);
		values[5] = CStringGetTextDatum(f->hint);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	PG_RETURN_VOID();
}
