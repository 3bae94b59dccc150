/*-------------------------------------------------------------------------
 *
 * lint_types.c
 *	  lint() rules about column types (prefer-text-field, ban-char-field,
 *	  prefer-timestamptz, prefer-bigint-*, prefer-identity, prefer-jsonb),
 *	  which type changes rewrite, the expression facts other rules need
 *	  (volatile defaults, CHECK (col IS NOT NULL) in the catalog), and the
 *	  data checks collected for review().
 *
 * src/lint/lint_types.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"

#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "lint_int.h"
#include "pg_schemamig.h"

/* ------------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------------
 */

/* Base name of a TypeName ("int4" for integer), or NULL. */
const char *
lint_type_name(TypeName *tn)
{
	const char *name;

	if (tn == NULL || tn->names == NIL || !IsA(llast(tn->names), String))
		return NULL;
	name = strVal(llast(tn->names));
	if (list_length(tn->names) == 1)
	{
		/* spellings that reach the parser as plain names */
		if (strcmp(name, "int") == 0 || strcmp(name, "integer") == 0)
			return "int4";
		if (strcmp(name, "bigint") == 0)
			return "int8";
		if (strcmp(name, "smallint") == 0)
			return "int2";
		if (strcmp(name, "serial4") == 0)
			return "serial";
		if (strcmp(name, "serial8") == 0)
			return "bigserial";
		if (strcmp(name, "serial2") == 0)
			return "smallserial";
	}
	return name;
}

/* Integer typmods of a TypeName into vals; -1 when one is not a constant. */
static int
lint_typmods(TypeName *tn, int *vals, int max)
{
	ListCell   *lc;
	int			n = 0;

	foreach(lc, tn->typmods)
	{
		Node	   *m = (Node *) lfirst(lc);

		if (!IsA(m, A_Const) || ((A_Const *) m)->isnull ||
			!IsA(&((A_Const *) m)->val, Integer) || n >= max)
			return -1;
		vals[n++] = intVal(&((A_Const *) m)->val);
	}
	return n;
}

/*
 * lint_column_type: type smells of a column being created.  is_key says
 * the column is (part of) a primary key or an identity column.
 */
void
lint_column_type(LintState *st, ColumnDef *cd, bool is_key)
{
	const char *name = lint_type_name(cd->typeName);
	const char *of;
	int			loc;

	if (name == NULL)
		return;
	of = cd->typeName->arrayBounds != NIL ? "an array of " : "";
	loc = cd->typeName->location >= 0 ? cd->typeName->location : cd->location;
	if (strcmp(name, "serial") == 0 || strcmp(name, "bigserial") == 0 ||
		strcmp(name, "smallserial") == 0)
	{
		lint_report(st, "prefer-identity", loc,
					psprintf("column %s uses %s", cd->colname, name),
					"Use bigint GENERATED ALWAYS AS IDENTITY: it has no separately owned sequence to grant, dump or drop.");
		is_key = true;
	}
	/* the rules below apply to arrays of the type too, except the key ones */
	if (*of)
		is_key = false;
	if (is_key && (strcmp(name, "int4") == 0 || strcmp(name, "serial") == 0))
		lint_report(st, "prefer-bigint-over-int", loc,
					psprintf("key column %s is a 32-bit integer (at most 2147483647 values)", cd->colname),
					"Use bigint (or bigint GENERATED ALWAYS AS IDENTITY) for keys; widening later rewrites the table and every referencing one.");
	if (is_key && (strcmp(name, "int2") == 0 || strcmp(name, "smallserial") == 0))
		lint_report(st, "prefer-bigint-over-smallint", loc,
					psprintf("key column %s is a 16-bit integer (at most 32767 values)", cd->colname),
					"Use bigint for keys; widening later rewrites the table.");
	if (strcmp(name, "varchar") == 0 && cd->typeName->typmods != NIL)
		lint_report(st, "prefer-text-field", loc,
					psprintf("column %s is %svarchar with a length limit", cd->colname, of),
					"Use text with CHECK (char_length(col) <= n) added NOT VALID: changing the limit later needs no ACCESS EXCLUSIVE lock.");
	if (strcmp(name, "bpchar") == 0)
		lint_report(st, "ban-char-field", loc,
					psprintf("column %s is %schar(n)", cd->colname, of),
					"Use text (with a CHECK on the length if needed): char(n) pads with blanks and is never faster.");
	if (strcmp(name, "timestamp") == 0)
		lint_report(st, "prefer-timestamptz", loc,
					psprintf("column %s is %stimestamp without time zone", cd->colname, of),
					"Use timestamptz: it stores an instant, and comparisons do not depend on the session's TimeZone.");
	if (strcmp(name, "json") == 0)
		lint_report(st, "prefer-jsonb", loc,
					psprintf("column %s is %sjson", cd->colname, of),
					"Use jsonb: json has no equality operator (DISTINCT, UNION and GROUP BY fail) and no index support.");
}

/*
 * lint_nonrewriting_type_change: true when PostgreSQL changes column
 * "colname" of relid to newt without rewriting the table (binary-coercible
 * changes that keep or widen the limit).
 */
bool
lint_nonrewriting_type_change(Oid relid, const char *colname, TypeName *newt)
{
	AttrNumber	attnum;
	Oid			oldtype;
	int32		oldmod;
	Oid			collid;
	const char *name = lint_type_name(newt);
	int			mods[2];
	int			nmods;

	if (!OidIsValid(relid) || name == NULL || newt->arrayBounds != NIL ||
		newt->setof || newt->pct_type)
		return false;
	attnum = get_attnum(relid, colname);
	if (attnum == InvalidAttrNumber)
		return false;
	get_atttypetypmodcoll(relid, attnum, &oldtype, &oldmod, &collid);
	nmods = lint_typmods(newt, mods, 2);
	if (nmods < 0)
		return false;
	switch (oldtype)
	{
		case VARCHAROID:
			if (strcmp(name, "text") == 0 && nmods == 0)
				return true;
			if (strcmp(name, "varchar") == 0)
				return nmods == 0 ||
					(nmods == 1 && oldmod >= 0 && mods[0] + VARHDRSZ >= oldmod);
			return false;
		case TEXTOID:
			return (strcmp(name, "varchar") == 0 || strcmp(name, "text") == 0) &&
				nmods == 0;
		case VARBITOID:
			if (strcmp(name, "varbit") != 0)
				return false;
			return nmods == 0 || (nmods == 1 && oldmod >= 0 && mods[0] >= oldmod);
		case NUMERICOID:
			if (strcmp(name, "numeric") != 0)
				return false;
			if (nmods == 0)
				return true;
			if (oldmod < 0)
				return false;
			{
				int			oldp = ((oldmod - VARHDRSZ) >> 16) & 0xffff;
				int			olds = (((oldmod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024;
				int			news = nmods == 2 ? mods[1] : 0;

				return mods[0] >= oldp && news == olds;
			}
		case CIDROID:
			return strcmp(name, "inet") == 0 && nmods == 0;
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			{
				/* PostgreSQL 12+: no rewrite when the session zone is UTC */
				const char *tz = pg_get_timezone_name(session_timezone);
				bool		utc = tz != NULL &&
					(pg_strcasecmp(tz, "UTC") == 0 || pg_strcasecmp(tz, "Etc/UTC") == 0);
				const char *target = oldtype == TIMESTAMPOID ? "timestamptz" : "timestamp";

				return utc && strcmp(name, target) == 0 && nmods == 0 && oldmod < 0;
			}
		default:
			return false;
	}
}

/* ------------------------------------------------------------------------
 * Expressions
 * ------------------------------------------------------------------------
 */

/* True when every function the name can resolve to is not volatile. */
static bool
lint_func_nonvolatile(List *funcname, int nargs)
{
	FuncCandidateList cand;

	cand = FuncnameGetCandidates(funcname, nargs, NIL, true, true, false, true);
	if (cand == NULL)
		return false;
	for (; cand != NULL; cand = cand->next)
	{
		if (func_volatile(cand->oid) == PROVOLATILE_VOLATILE)
			return false;
	}
	return true;
}

/* raw_expression_tree_walker callback: stop at a (possibly) volatile call. */
bool
lint_volatile_walker(Node *node, void *context)
{
	if (node == NULL)
		return false;
	check_stack_depth();
	if (IsA(node, FuncCall))
	{
		FuncCall   *fc = (FuncCall *) node;

		if (!lint_func_nonvolatile(fc->funcname, list_length(fc->args)))
			return true;
	}
	if (IsA(node, SubLink))
		return true;
	return raw_expression_tree_walker(node, lint_volatile_walker, context);
}

/* Column name of "col IS NOT NULL", or NULL. */
char *
lint_notnull_test_column(Node *expr)
{
	NullTest   *nt;
	ColumnRef  *cr;

	if (expr == NULL || !IsA(expr, NullTest))
		return NULL;
	nt = (NullTest *) expr;
	if (nt->nulltesttype != IS_NOT_NULL || nt->arg == NULL ||
		!IsA(nt->arg, ColumnRef))
		return NULL;
	cr = (ColumnRef *) nt->arg;
	if (list_length(cr->fields) != 1 || !IsA(linitial(cr->fields), String))
		return NULL;
	return strVal(linitial(cr->fields));
}

/*
 * lint_check_notnull_attnums: the columns (AttrNumber, in an int list) that
 * CHECK constraints of relid imply IS NOT NULL (the constraint is "col IS
 * NOT NULL" or has it in a top-level AND).  Only the constraint named
 * conname when that is not NULL; only validated constraints when
 * validated_only.
 */
static List *
lint_check_notnull_attnums(Oid relid, const char *conname, bool validated_only)
{
	Relation	conrel;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tup;
	List	   *result = NIL;

	conrel = table_open(ConstraintRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_constraint_conrelid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(relid));
	scan = systable_beginscan(conrel, ConstraintRelidTypidNameIndexId, true,
							  NULL, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_constraint con = (Form_pg_constraint) GETSTRUCT(tup);
		Datum		bin;
		bool		isnull;
		Node	   *expr;
		List	   *conj;
		ListCell   *lc;

		if (con->contype != CONSTRAINT_CHECK ||
			(validated_only && !con->convalidated) ||
			(conname != NULL && strcmp(NameStr(con->conname), conname) != 0))
			continue;
		bin = heap_getattr(tup, Anum_pg_constraint_conbin,
						   RelationGetDescr(conrel), &isnull);
		if (isnull)
			continue;
		expr = stringToNode(TextDatumGetCString(bin));
		if (IsA(expr, BoolExpr) && ((BoolExpr *) expr)->boolop == AND_EXPR)
			conj = ((BoolExpr *) expr)->args;
		else
			conj = list_make1(expr);
		foreach(lc, conj)
		{
			NullTest   *nt = (NullTest *) lfirst(lc);

			if (IsA(nt, NullTest) && nt->nulltesttype == IS_NOT_NULL &&
				!nt->argisrow && nt->arg != NULL && IsA(nt->arg, Var))
				result = lappend_int(result, ((Var *) nt->arg)->varattno);
		}
	}
	systable_endscan(scan);
	table_close(conrel, AccessShareLock);
	return result;
}

/*
 * lint_has_notnull_check: does relid have a validated CHECK constraint
 * implying colname IS NOT NULL?  Then SET NOT NULL skips its scan
 * (PostgreSQL 12+).
 */
bool
lint_has_notnull_check(Oid relid, const char *colname)
{
	AttrNumber	attnum = get_attnum(relid, colname);

	if (attnum == InvalidAttrNumber)
		return false;
	return list_member_int(lint_check_notnull_attnums(relid, NULL, true), attnum);
}

/*
 * lint_constraint_notnull_columns: names of the columns that relid's CHECK
 * constraint conname (validated or not) implies IS NOT NULL; NIL when
 * there is no such constraint.  VALIDATE CONSTRAINT of it lets a later SET
 * NOT NULL skip its scan.
 */
List *
lint_constraint_notnull_columns(Oid relid, const char *conname)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, lint_check_notnull_attnums(relid, conname, false))
	{
		char	   *name = get_attname(relid, (AttrNumber) lfirst_int(lc), true);

		if (name != NULL)
			result = lappend(result, name);
	}
	return result;
}

/* sm_scan_tokens callback of lint_paren_text */
typedef struct ParenScan
{
	const char *sql;			/* the text scanned */
	int			depth;
	int			start;
	char	   *result;
} ParenScan;

static bool
paren_token(const SmToken *t, void *arg)
{
	ParenScan  *ps = (ParenScan *) arg;

	if (t->code == '(')
	{
		if (ps->depth++ == 0)
			ps->start = t->location + 1;
	}
	else if (t->code == ')' && ps->depth > 0 && --ps->depth == 0)
	{
		ps->result = pnstrdup(ps->sql + ps->start, t->location - ps->start);
		return false;
	}
	return true;
}

/*
 * lint_paren_text returns the text between the first "(" at or after
 * "from" in st->sql and its matching ")", using PostgreSQL's scanner so
 * that strings and comments cannot confuse it; NULL if there is none.
 */
char *
lint_paren_text(const char *sql, int from)
{
	ParenScan	ps = {NULL, 0, -1, NULL};

	if (from < 0 || from >= (int) strlen(sql))
		return NULL;
	ps.sql = sql + from;
	sm_scan_tokens(sql + from, false, paren_token, &ps);
	return ps.result;
}

/* ------------------------------------------------------------------------
 * Data checks for review()
 * ------------------------------------------------------------------------
 */

/* lint_new_check appends a data check for review() and returns it. */
LintDataCheck *
lint_new_check(LintState *st, LintCheckKind kind, RangeVar *rv, Oid relid,
			   int location)
{
	LintDataCheck *c = palloc0(sizeof(LintDataCheck));

	c->kind = kind;
	c->statement = st->stmtno;
	c->location = location >= 0 ? location : st->stmt_start;
	c->relid = relid;
	c->nulls_distinct = true;
	c->rows_changed = st->opaque_changes || lint_rv_in(st->changed, rv);
	*st->checks = lappend(*st->checks, c);
	return c;
}

/* String-node list to a list of C strings. */
List *
lint_names(List *strings)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, strings)
	{
		if (IsA(lfirst(lc), String))
			result = lappend(result, strVal(lfirst(lc)));
	}
	return result;
}
