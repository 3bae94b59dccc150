/*-------------------------------------------------------------------------
 *
 * lint_rules.c
 *	  The rules of lint(): a walk over PostgreSQL's raw parse tree of the
 *	  migration SQL, with one static function per rule, plus the live
 *	  catalog facts that decide whether a finding applies and how severe
 *	  it is.
 *
 * raw_expression_tree_walker does not descend into DDL nodes, so every
 * utility statement is handled by an explicit switch.  Catalog facts are
 * read through the syscache and the relation's own size (never through
 * the caller's SPI connection), so the upgrade() hook stays cheap:
 * statements without DDL never touch the catalog.
 *
 * Suppression: a comment "-- schemamig:allow rule[,rule] [reason]" in the
 * text between the previous statement and this one turns that statement's
 * findings of those rules into info findings saying "suppressed".
 *
 * src/lint/lint_rules.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "parser/scanner.h"
#include "pgtime.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "lint.h"
#include "sm_citus.h"
#include "pg_schemamig.h"

/*
 * Every rule: id, default severity, one-line summary.  docs/lint-rules.md
 * describes each one; keep both in the same order.
 */
const LintRuleDef lint_rule_defs[] = {
	/* locks held while the table is scanned or rewritten (size-aware) */
	{"adding-field-with-default", LINT_WARNING, "ADD COLUMN with a volatile default, identity or stored generated column rewrites the table"},
	{"adding-not-nullable-field", LINT_WARNING, "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock"},
	{"adding-required-field", LINT_WARNING, "ADD COLUMN NOT NULL without a default fails on a table with rows"},
	{"constraint-missing-not-valid", LINT_WARNING, "CHECK constraint validated under an ACCESS EXCLUSIVE lock"},
	{"adding-foreign-key-constraint", LINT_WARNING, "FOREIGN KEY validated while both tables are locked"},
	{"disallowed-unique-constraint", LINT_WARNING, "UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock"},
	{"adding-serial-primary-key-field", LINT_WARNING, "PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock"},
	{"adding-exclusion-constraint", LINT_WARNING, "EXCLUDE constraint builds its index under an ACCESS EXCLUSIVE lock"},
	{"require-concurrent-index-creation", LINT_WARNING, "CREATE INDEX without CONCURRENTLY blocks writes"},
	{"require-concurrent-index-deletion", LINT_WARNING, "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock"},
	{"require-concurrent-reindex", LINT_WARNING, "REINDEX without CONCURRENTLY blocks writes"},
	{"require-concurrent-partition-detach", LINT_WARNING, "DETACH PARTITION without CONCURRENTLY locks the parent"},
	{"changing-column-type", LINT_WARNING, "ALTER COLUMN TYPE rewrites the table"},
	{"table-rewrite", LINT_WARNING, "SET TABLESPACE / SET LOGGED / SET UNLOGGED / SET ACCESS METHOD rewrites the table"},
	{"prefer-repack", LINT_WARNING, "VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock"},
	{"backfilling-data", LINT_WARNING, "UPDATE or DELETE of existing rows inside the migration's transaction"},
	{"require-timeout-settings", LINT_WARNING, "strong locks taken without a lock_timeout"},
	/* transactions */
	{"ban-concurrent-index-creation-in-transaction", LINT_ERROR, "CONCURRENTLY inside a transaction block fails"},
	{"transaction-nesting", LINT_ERROR, "transaction control inside a revision"},
	{"ban-uncommitted-transaction", LINT_WARNING, "BEGIN without a matching COMMIT"},
	{"prefer-robust-stmts", LINT_INFO, "a non-transactional statement that cannot be re-run after a failure"},
	/* destructive and backward-incompatible changes */
	{"ban-drop-column", LINT_WARNING, "DROP COLUMN loses data and breaks clients that still read it"},
	{"ban-drop-table", LINT_WARNING, "DROP TABLE loses data"},
	{"ban-drop-schema", LINT_WARNING, "DROP SCHEMA loses every object in it"},
	{"ban-drop-database", LINT_ERROR, "DROP DATABASE in a migration"},
	{"ban-truncate-cascade", LINT_ERROR, "TRUNCATE CASCADE empties every referencing table"},
	{"ban-truncate", LINT_WARNING, "TRUNCATE deletes every row"},
	{"dropping-object", LINT_INFO, "DROP of a view, sequence, type, function or other object"},
	{"dropping-constraint", LINT_INFO, "DROP CONSTRAINT removes a guarantee clients may rely on"},
	{"ban-drop-not-null", LINT_WARNING, "DROP NOT NULL lets clients see NULLs they do not expect"},
	{"renaming-column", LINT_WARNING, "RENAME COLUMN breaks clients that use the old name"},
	{"renaming-table", LINT_WARNING, "RENAME TABLE breaks clients that use the old name"},
	{"renaming-enum-value", LINT_WARNING, "RENAME VALUE breaks clients that use the old label"},
	{"require-enum-value-ordering", LINT_INFO, "ADD VALUE without BEFORE or AFTER appends the label"},
	{"unsafe-enum-value-use", LINT_ERROR, "a label added by ADD VALUE is used before the transaction commits"},
	{"ban-create-domain-with-constraint", LINT_WARNING, "domain constraints are checked for every column using the domain"},
	{"ban-alter-domain-with-add-constraint", LINT_WARNING, "ADD CONSTRAINT on a domain scans every column using it"},
	{"authz-update", LINT_INFO, "privileges or row level security change"},
	{"opaque-code", LINT_INFO, "a DO block lint cannot see into"},
	/* type and naming smells */
	{"prefer-bigint-over-int", LINT_WARNING, "32-bit integer key can run out of values"},
	{"prefer-bigint-over-smallint", LINT_WARNING, "16-bit integer key can run out of values"},
	{"prefer-identity", LINT_WARNING, "serial types instead of identity columns"},
	{"prefer-text-field", LINT_WARNING, "varchar(n) instead of text with a CHECK"},
	{"prefer-timestamptz", LINT_WARNING, "timestamp without time zone"},
	{"ban-char-field", LINT_WARNING, "char(n) pads and wastes space"},
	{"prefer-jsonb", LINT_WARNING, "json has no equality operator"},
	{"index-too-many-columns", LINT_INFO, "non-unique index on more than three columns"},
	{"identifier-too-long", LINT_WARNING, "identifier longer than 63 bytes is truncated"},
	{"require-table-schema", LINT_INFO, "CREATE TABLE without a schema name"},
	/* lint itself */
	{"syntax-error", LINT_ERROR, "the SQL does not parse"},
	{"invalid-suppression", LINT_WARNING, "a schemamig:allow comment names an unknown rule"},
	/* review() only */
	{"irreversible-revision", LINT_WARNING, "the revision has no downgrade"},
	{"downgrade-incomplete", LINT_WARNING, "the downgrade does not mention an object the upgrade creates"},
	{"data-not-null-violation", LINT_ERROR, "rows with NULL would make SET NOT NULL or PRIMARY KEY fail"},
	{"data-unique-violation", LINT_ERROR, "duplicate rows would make UNIQUE or PRIMARY KEY fail"},
	{"data-foreign-key-violation", LINT_ERROR, "orphan rows would make a FOREIGN KEY fail"},
	{"data-check-violation", LINT_ERROR, "rows violating a CHECK would make it fail"},
	{"data-check-failed", LINT_INFO, "a data check could not run"},
};
const int	lint_rule_count = lengthof(lint_rule_defs);

/* 1 MB: below this a lock-holding operation is reported as info */
#define LINT_SMALL_TABLE_BYTES	((int64) 1024 * 1024)
/* 1 GB: from this size on it is an error (unless max_rewrite_size says less) */
#define LINT_LARGE_TABLE_BYTES	((int64) 1024 * 1024 * 1024)

/* State of one lint_sql() run. */
typedef struct LintState
{
	const char *sql;
	int			stmtno;			/* 1-based number of the current statement */
	int			stmt_start;		/* offset of the statement's first token */
	List	   *findings;		/* LintFinding */
	List	   *created;		/* RangeVar of tables created earlier */
	List	   *changed;		/* RangeVar of tables whose rows change */
	bool		opaque_changes; /* a DO block or function call ran */
	List	   *notnull_checked;	/* "rel.col" with a valid IS NOT NULL check */
	List	   *not_valid;		/* LintNotValid added NOT VALID in this SQL */
	bool		lock_timeout_set;
	bool		timeout_reported;
	int			xact_depth;		/* explicit BEGIN nesting */
	int			xact_location;	/* where the open BEGIN is */
	int			xact_stmtno;	/* and its statement number */
	List	  **checks;			/* review(): collected data checks, or NULL */
	List	   *new_labels;		/* "'label'" added by ALTER TYPE ... ADD VALUE */
	List	   *created_types;	/* names of types created in this SQL */
} LintState;

/* A constraint added NOT VALID earlier in the SQL. */
typedef struct LintNotValid
{
	RangeVar   *rel;
	char	   *conname;
	char	   *notnull_col;	/* column of a CHECK (col IS NOT NULL) */
	char	   *expr;			/* CHECK expression text */
} LintNotValid;

/* Facts about one table named by a statement. */
typedef struct LintRel
{
	const char *name;			/* as written */
	Oid			relid;
	bool		created;		/* created earlier in this SQL */
	bool		exists;
	int64		bytes;
	double		rows;			/* estimate; -1 when unknown */
} LintRel;

static void lint_statement(LintState *st, Node *stmt);
static bool list_member_str(List *list, const char *s);
static inline bool lint_ident_char(unsigned char c);

/* ------------------------------------------------------------------------
 * Reporting
 * ------------------------------------------------------------------------
 */

/* The SQL-visible name of a severity. */
const char *
lint_severity_name(LintSeverity severity)
{
	switch (severity)
	{
		case LINT_INFO:
			return "info";
		case LINT_WARNING:
			return "warning";
		case LINT_ERROR:
			return "error";
	}
	return "error";
}

/* Is "id" the id of a rule (for suppression comments)? */
bool
lint_rule_exists(const char *id)
{
	int			i;

	for (i = 0; i < lint_rule_count; i++)
	{
		if (strcmp(lint_rule_defs[i].id, id) == 0)
			return true;
	}
	return false;
}

/* Default severity of a rule. */
static LintSeverity
lint_rule_severity(const char *rule)
{
	int			i;

	for (i = 0; i < lint_rule_count; i++)
	{
		if (strcmp(lint_rule_defs[i].id, rule) == 0)
			return lint_rule_defs[i].severity;
	}
	elog(ERROR, "unknown lint rule \"%s\"", rule);
	return LINT_ERROR;			/* keep compiler quiet */
}

/*
 * lint_add appends a finding.  location < 0 means the statement's start.
 * "message" is already formatted (psprintf); "hint" is a static recipe.
 */
static void
lint_add(LintState *st, const char *rule, LintSeverity severity,
		 int location, char *message, const char *hint)
{
	LintFinding *f = palloc(sizeof(LintFinding));

	f->severity = severity;
	f->rule = rule;
	f->statement = st->stmtno;
	f->location = location >= 0 ? location : st->stmt_start;
	f->message = message;
	f->hint = pstrdup(hint);
	st->findings = lappend(st->findings, f);
}

/* lint_report: a finding at the rule's default severity. */
static void
lint_report(LintState *st, const char *rule, int location, char *message,
			const char *hint)
{
	lint_add(st, rule, lint_rule_severity(rule), location, message, hint);
}

/* ------------------------------------------------------------------------
 * Names and catalog facts
 * ------------------------------------------------------------------------
 */

/* A table name as written, schema-qualified when it was. */
static char *
lint_rv_name(RangeVar *rv)
{
	if (rv->schemaname)
		return psprintf("%s.%s", rv->schemaname, rv->relname);
	return pstrdup(rv->relname);
}

/* Does "list" (of RangeVar) hold a table matching rv? */
static bool
lint_rv_in(List *list, RangeVar *rv)
{
	ListCell   *lc;

	foreach(lc, list)
	{
		RangeVar   *r = (RangeVar *) lfirst(lc);

		if (strcmp(r->relname, rv->relname) == 0 &&
			(r->schemaname == NULL || rv->schemaname == NULL ||
			 strcmp(r->schemaname, rv->schemaname) == 0))
			return true;
	}
	return false;
}

/* The relation's OID, or InvalidOid (never raises for a missing name). */
static Oid
lint_rv_relid(RangeVar *rv)
{
	if (rv == NULL || rv->relname == NULL || rv->catalogname != NULL)
		return InvalidOid;
	return RangeVarGetRelid(rv, NoLock, true);
}

/*
 * lint_one_size adds the main-fork size of one relation with storage.  The
 * relation is read under a conditional ACCESS SHARE lock (released at
 * once); when another session holds a conflicting lock, pg_class.relpages
 * stands in.  Also adds the pg_class row estimate scaled to the size.
 */
static void
lint_one_size(Oid relid, int64 *bytes, double *rows, bool *rows_known)
{
	HeapTuple	tup;
	Form_pg_class cls;
	BlockNumber blocks;
	bool		have_blocks = false;

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		return;
	cls = (Form_pg_class) GETSTRUCT(tup);
	if (!RELKIND_HAS_STORAGE(cls->relkind))
	{
		ReleaseSysCache(tup);
		return;
	}
	blocks = (BlockNumber) cls->relpages;
	if (cls->relkind == RELKIND_RELATION && sm_citus_present())
	{
		/* a Citus table: its shards' size; the shell holds no rows */
		double		dist_rows = 0;
		int64		dist = sm_citus_relation_size(relid, false, &dist_rows);

		if (dist >= 0)
		{
			*bytes += dist;
			if (dist_rows < 0)
				*rows_known = false;
			else
				*rows += dist_rows;
			ReleaseSysCache(tup);
			return;
		}
	}
	if (ConditionalLockRelationOid(relid, AccessShareLock))
	{
		Relation	rel = try_relation_open(relid, NoLock);

		if (rel != NULL)
		{
			blocks = RelationGetNumberOfBlocks(rel);
			have_blocks = true;
			relation_close(rel, NoLock);
		}
		UnlockRelationOid(relid, AccessShareLock);
	}
	*bytes += (int64) blocks * BLCKSZ;
	if (blocks == 0)
		;						/* no rows */
	else if (cls->reltuples >= 0 && cls->relpages > 0)
		*rows += cls->reltuples / cls->relpages * blocks;
	else if (cls->reltuples >= 0 && !have_blocks)
		*rows += cls->reltuples;
	else
		*rows_known = false;
	ReleaseSysCache(tup);
}

/* lint_rel fills "r" with what the catalog and this SQL say about rv. */
static void
lint_rel(LintState *st, RangeVar *rv, LintRel *r)
{
	memset(r, 0, sizeof(LintRel));
	r->name = lint_rv_name(rv);
	r->rows = -1;
	r->created = lint_rv_in(st->created, rv);
	if (r->created)
		return;
	r->relid = lint_rv_relid(rv);
	if (OidIsValid(r->relid))
	{
		bool		rows_known = true;
		double		rows = 0;

		r->exists = true;
		if (get_rel_relkind(r->relid) == RELKIND_PARTITIONED_TABLE)
		{
			List	   *parts = find_all_inheritors(r->relid, NoLock, NULL);
			ListCell   *lc;

			foreach(lc, parts)
				lint_one_size(lfirst_oid(lc), &r->bytes, &rows, &rows_known);
		}
		else
			lint_one_size(r->relid, &r->bytes, &rows, &rows_known);
		r->rows = rows_known ? rows : -1;
	}
}

/* Human-readable size, as pg_size_pretty writes it. */
static char *
lint_pretty_size(int64 bytes)
{
	return text_to_cstring(DatumGetTextPP(DirectFunctionCall1(pg_size_pretty,
															  Int64GetDatum(bytes))));
}

/* "table tasks: about 1200 rows, 64 kB" */
static char *
lint_size_text(LintRel *r)
{
	if (!r->exists)
		return psprintf("table %s is not in the database; assuming it holds data",
						r->name);
	if (r->rows >= 0)
		return psprintf("table %s: about %.0f rows, %s", r->name, r->rows,
						lint_pretty_size(r->bytes));
	return psprintf("table %s: %s, row count unknown", r->name,
					lint_pretty_size(r->bytes));
}

/*
 * lint_sized decides whether an operation that holds a strong lock for as
 * long as it reads or rewrites the table deserves a finding, and how
 * severe: none for a table created earlier in the SQL or an empty one;
 * info below 1 MB; error from schemamig.max_rewrite_size (or 1 GB when
 * that is off); warning in between and for tables lint cannot find.
 */
static bool
lint_sized(LintRel *r, LintSeverity *severity)
{
	int64		large;

	if (r->created)
		return false;
	if (!r->exists)
	{
		*severity = LINT_WARNING;
		return true;
	}
	if (r->bytes == 0)
		return false;
	large = sm_max_rewrite_size >= 0 ? (int64) sm_max_rewrite_size * 1024 :
		LINT_LARGE_TABLE_BYTES;
	if (r->bytes >= large)
		*severity = LINT_ERROR;
	else if (r->bytes < LINT_SMALL_TABLE_BYTES)
		*severity = LINT_INFO;
	else
		*severity = LINT_WARNING;
	return true;
}

/* lint_report_sized: report "rule" about r when lint_sized says so. */
static void
lint_report_sized(LintState *st, const char *rule, LintRel *r, int location,
				  const char *what, const char *hint)
{
	LintSeverity severity;

	if (!lint_sized(r, &severity))
		return;
	lint_add(st, rule, severity, location,
			 psprintf("%s (%s)", what, lint_size_text(r)), hint);
}

/*
 * lint_need_timeout: a statement takes a strong lock on an existing table;
 * report once per SQL when no lock_timeout protects the queue behind it.
 */
static void
lint_need_timeout(LintState *st, LintRel *r)
{
	if (r->created || st->lock_timeout_set || st->timeout_reported ||
		sm_lock_timeout > 0)
		return;
	if (r->exists && r->bytes == 0)
		return;
	st->timeout_reported = true;
	lint_report(st, "require-timeout-settings", -1,
				psprintf("statement locks %s without a lock_timeout; while it waits for its lock, every other query on the table queues behind it",
						 r->name),
				"Start the migration with SET lock_timeout = '2s' (and a statement_timeout), or set schemamig.lock_timeout, and retry on timeout.");
}

/* ------------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------------
 */

/* Base name of a TypeName ("int4" for integer), or NULL. */
static const char *
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
static void
lint_column_type(LintState *st, ColumnDef *cd, bool is_key)
{
	const char *name = lint_type_name(cd->typeName);
	int			loc;

	if (name == NULL)
		return;
	loc = cd->typeName->location >= 0 ? cd->typeName->location : cd->location;
	if (strcmp(name, "serial") == 0 || strcmp(name, "bigserial") == 0 ||
		strcmp(name, "smallserial") == 0)
	{
		lint_report(st, "prefer-identity", loc,
					psprintf("column %s uses %s", cd->colname, name),
					"Use bigint GENERATED ALWAYS AS IDENTITY: it has no separately owned sequence to grant, dump or drop.");
		is_key = true;
	}
	if (cd->typeName->arrayBounds != NIL)
		return;
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
					psprintf("column %s is varchar with a length limit", cd->colname),
					"Use text with CHECK (char_length(col) <= n) added NOT VALID: changing the limit later needs no ACCESS EXCLUSIVE lock.");
	if (strcmp(name, "bpchar") == 0)
		lint_report(st, "ban-char-field", loc,
					psprintf("column %s is char(n)", cd->colname),
					"Use text (with a CHECK on the length if needed): char(n) pads with blanks and is never faster.");
	if (strcmp(name, "timestamp") == 0)
		lint_report(st, "prefer-timestamptz", loc,
					psprintf("column %s is timestamp without time zone", cd->colname),
					"Use timestamptz: it stores an instant, and comparisons do not depend on the session's TimeZone.");
	if (strcmp(name, "json") == 0)
		lint_report(st, "prefer-jsonb", loc,
					psprintf("column %s is json", cd->colname),
					"Use jsonb: json has no equality operator (DISTINCT, UNION and GROUP BY fail) and no index support.");
}

/*
 * lint_nonrewriting_type_change: true when PostgreSQL changes column
 * "colname" of relid to newt without rewriting the table (binary-coercible
 * changes that keep or widen the limit).
 */
static bool
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
static bool
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
static char *
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
 * lint_has_notnull_check: does relid have a validated CHECK constraint
 * implying colname IS NOT NULL (alone or in a top-level AND)?  Then SET NOT
 * NULL skips its scan (PostgreSQL 12+).
 */
static bool
lint_has_notnull_check(Oid relid, const char *colname)
{
	AttrNumber	attnum = get_attnum(relid, colname);
	Relation	conrel;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tup;
	bool		found = false;

	if (attnum == InvalidAttrNumber)
		return false;
	conrel = table_open(ConstraintRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_constraint_conrelid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(relid));
	scan = systable_beginscan(conrel, ConstraintRelidTypidNameIndexId, true,
							  NULL, 1, &key);
	while (!found && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_constraint con = (Form_pg_constraint) GETSTRUCT(tup);
		Datum		bin;
		bool		isnull;
		Node	   *expr;
		List	   *conj;
		ListCell   *lc;

		if (con->contype != CONSTRAINT_CHECK || !con->convalidated)
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
				!nt->argisrow && nt->arg != NULL && IsA(nt->arg, Var) &&
				((Var *) nt->arg)->varattno == attnum)
				found = true;
		}
	}
	systable_endscan(scan);
	table_close(conrel, AccessShareLock);
	return found;
}

/*
 * lint_paren_text returns the text between the first "(" at or after
 * "from" in st->sql and its matching ")", using PostgreSQL's scanner so
 * that strings and comments cannot confuse it; NULL if there is none.
 */
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

static char *
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
static LintDataCheck *
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
static List *
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

/* ------------------------------------------------------------------------
 * Rules for CREATE TABLE, ADD COLUMN and constraints
 * ------------------------------------------------------------------------
 */

/* Is colname among the String nodes of keys? */
static bool
lint_name_in(List *keys, const char *colname)
{
	ListCell   *lc;

	foreach(lc, keys)
	{
		if (IsA(lfirst(lc), String) && strcmp(strVal(lfirst(lc)), colname) == 0)
			return true;
	}
	return false;
}

/* Column constraints say: primary key or identity. */
static bool
lint_column_is_key(ColumnDef *cd)
{
	ListCell   *lc;

	foreach(lc, cd->constraints)
	{
		Constraint *c = (Constraint *) lfirst(lc);

		if (IsA(c, Constraint) &&
			(c->contype == CONSTR_PRIMARY || c->contype == CONSTR_IDENTITY))
			return true;
	}
	return false;
}

/*
 * lint_create_table: type smells of the new columns (with the table's
 * primary key columns as keys); remembers the table as created.
 */
static void
lint_create_table(LintState *st, CreateStmt *cs)
{
	List	   *pkeys = NIL;
	ListCell   *lc;

	if (cs->relation == NULL)
		return;
	if (cs->relation->schemaname == NULL &&
		cs->relation->relpersistence != RELPERSISTENCE_TEMP)
		lint_report(st, "require-table-schema", cs->relation->location,
					psprintf("table %s is created in the first schema of the caller's search_path",
							 cs->relation->relname),
					"Qualify the name (CREATE TABLE app.tasks ...) if the migration must not depend on search_path.");
	foreach(lc, cs->tableElts)
	{
		Constraint *c = (Constraint *) lfirst(lc);

		if (IsA(c, Constraint) && c->contype == CONSTR_PRIMARY)
			pkeys = list_concat(pkeys, c->keys);
	}
	foreach(lc, cs->tableElts)
	{
		ColumnDef  *cd = (ColumnDef *) lfirst(lc);

		if (IsA(cd, ColumnDef) && cd->colname != NULL)
			lint_column_type(st, cd, lint_column_is_key(cd) ||
							 lint_name_in(pkeys, cd->colname));
	}
	st->created = lappend(st->created, cs->relation);
}

/*
 * lint_add_column: ALTER TABLE ... ADD COLUMN on an existing table: the
 * rewrite cases, NOT NULL without default, and inline constraints.
 */
static void
lint_add_column(LintState *st, LintRel *r, ColumnDef *cd)
{
	Constraint *def = NULL;
	bool		notnull = false;
	bool		generated_values = false;	/* identity, serial, stored */
	const char *tname = lint_type_name(cd->typeName);
	ListCell   *lc;

	if (cd->colname == NULL)
		return;
	lint_column_type(st, cd, lint_column_is_key(cd));
	if (tname != NULL && (strcmp(tname, "serial") == 0 ||
						  strcmp(tname, "bigserial") == 0 ||
						  strcmp(tname, "smallserial") == 0))
		generated_values = true;
	foreach(lc, cd->constraints)
	{
		Constraint *c = (Constraint *) lfirst(lc);

		if (!IsA(c, Constraint))
			continue;
		switch (c->contype)
		{
			case CONSTR_DEFAULT:
				def = c;
				break;
			case CONSTR_NOTNULL:
				notnull = true;
				break;
			case CONSTR_IDENTITY:
			case CONSTR_GENERATED:
				generated_values = true;
				break;
			default:
				break;
		}
	}
	if (generated_values)
		lint_report_sized(st, "adding-field-with-default", r, cd->location,
						  psprintf("adding column %s fills every existing row with generated values, which rewrites the table under an ACCESS EXCLUSIVE lock",
								   cd->colname),
						  "Add the column without a default, attach the sequence or expression with SET DEFAULT, and backfill existing rows in batches.");
	else if (def != NULL && def->raw_expr != NULL &&
			 lint_volatile_walker(def->raw_expr, NULL))
		lint_report_sized(st, "adding-field-with-default", r, def->location,
						  psprintf("adding column %s with a volatile default rewrites the table under an ACCESS EXCLUSIVE lock",
								   cd->colname),
						  "Add the column without a default, then SET DEFAULT for new rows and backfill existing rows in batches.");
	if (notnull && def == NULL && !generated_values)
	{
		if (r->exists && r->bytes > 0)
			lint_add(st, "adding-required-field", LINT_ERROR, cd->location,
					 psprintf("would fail: column %s is NOT NULL without a default, and %s has rows (%s)",
							  cd->colname, r->name, lint_size_text(r)),
					 "Add the column nullable, backfill it, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL; or give it a non-volatile DEFAULT.");
		else if (!r->created && !r->exists)
			lint_report(st, "adding-required-field", cd->location,
						psprintf("column %s is NOT NULL without a default: this fails if %s has rows (the table is not in the database)",
								 cd->colname, r->name),
						"Add the column nullable, backfill it, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL; or give it a non-volatile DEFAULT.");
	}
	foreach(lc, cd->constraints)
	{
		Constraint *c = (Constraint *) lfirst(lc);

		if (!IsA(c, Constraint))
			continue;
		switch (c->contype)
		{
			case CONSTR_PRIMARY:
				lint_report_sized(st, "adding-serial-primary-key-field", r, c->location,
								  psprintf("adding primary key column %s builds its index under an ACCESS EXCLUSIVE lock",
										   cd->colname),
								  "Add the column, backfill it, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX.");
				break;
			case CONSTR_UNIQUE:
				lint_report_sized(st, "disallowed-unique-constraint", r, c->location,
								  psprintf("adding unique column %s builds its index under an ACCESS EXCLUSIVE lock",
										   cd->colname),
								  "Add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX.");
				break;
			case CONSTR_CHECK:
				lint_report_sized(st, "constraint-missing-not-valid", r, c->location,
								  psprintf("adding column %s with a CHECK constraint checks every row under an ACCESS EXCLUSIVE lock",
										   cd->colname),
								  "Add the column, then ADD CONSTRAINT ... CHECK (...) NOT VALID and VALIDATE CONSTRAINT in a later transaction.");
				break;
			case CONSTR_FOREIGN:
				if (def != NULL)
					lint_report_sized(st, "adding-foreign-key-constraint", r, c->location,
									  psprintf("adding column %s with a default and a foreign key validates every row while both tables are locked",
											   cd->colname),
									  "Add the column, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and VALIDATE CONSTRAINT in a later transaction.");
				else if (!r->created)
					lint_add(st, "adding-foreign-key-constraint", LINT_INFO, c->location,
							 psprintf("adding column %s with a foreign key takes a SHARE ROW EXCLUSIVE lock on the referenced table %s",
									  cd->colname, c->pktable ? lint_rv_name(c->pktable) : "?"),
							 "The new column is NULL everywhere, so validation is cheap; keep the migration short so the lock is brief.");
				break;
			default:
				break;
		}
	}
}

/* ALTER TABLE ... ADD CONSTRAINT on an existing table. */
static void
lint_add_constraint(LintState *st, RangeVar *rv, LintRel *r, Constraint *c)
{
	switch (c->contype)
	{
		case CONSTR_CHECK:
			{
				char	   *col = lint_notnull_test_column(c->raw_expr);

				if (c->skip_validation)
				{
					LintNotValid *nv = palloc0(sizeof(LintNotValid));

					nv->rel = rv;
					nv->conname = c->conname;
					nv->notnull_col = col;
					nv->expr = lint_paren_text(st->sql, c->location);
					st->not_valid = lappend(st->not_valid, nv);
					break;
				}
				if (col != NULL)
					st->notnull_checked = lappend(st->notnull_checked,
												  psprintf("%s.%s", rv->relname, col));
				lint_report_sized(st, "constraint-missing-not-valid", r, c->location,
								  pstrdup("adding a CHECK constraint checks every row under an ACCESS EXCLUSIVE lock"),
								  "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later transaction (it takes only a SHARE UPDATE EXCLUSIVE lock).");
				if (st->checks && OidIsValid(r->relid))
				{
					char	   *expr = lint_paren_text(st->sql, c->location);

					if (expr != NULL)
						lint_new_check(st, LINT_CHECK_CHECK, rv, r->relid, c->location)->expr = expr;
				}
				break;
			}
		case CONSTR_FOREIGN:
			if (c->skip_validation)
			{
				LintNotValid *nv = palloc0(sizeof(LintNotValid));

				nv->rel = rv;
				nv->conname = c->conname;
				st->not_valid = lappend(st->not_valid, nv);
				break;
			}
			lint_report_sized(st, "adding-foreign-key-constraint", r, c->location,
							  psprintf("adding a foreign key validates every row while %s and %s are locked (SHARE ROW EXCLUSIVE)",
									   r->name, c->pktable ? lint_rv_name(c->pktable) : "?"),
							  "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction.");
			if (st->checks && OidIsValid(r->relid) && c->pktable != NULL)
			{
				Oid			ref = lint_rv_relid(c->pktable);

				if (OidIsValid(ref) && !lint_rv_in(st->created, c->pktable))
				{
					LintDataCheck *dc = lint_new_check(st, LINT_CHECK_FOREIGN_KEY,
													   rv, r->relid, c->location);

					dc->columns = lint_names(c->fk_attrs);
					dc->refrelid = ref;
					dc->refcolumns = lint_names(c->pk_attrs);
					dc->rows_changed = dc->rows_changed || lint_rv_in(st->changed, c->pktable);
				}
			}
			break;
		case CONSTR_UNIQUE:
		case CONSTR_PRIMARY:
			{
				bool		pk = c->contype == CONSTR_PRIMARY;

				if (c->indexname != NULL)
					break;		/* USING INDEX: the safe recipe */
				lint_report_sized(st, pk ? "adding-serial-primary-key-field" : "disallowed-unique-constraint",
								  r, c->location,
								  psprintf("adding a %s constraint builds its index under an ACCESS EXCLUSIVE lock",
										   pk ? "PRIMARY KEY" : "UNIQUE"),
								  pk ? "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX."
								  : "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX.");
				if (st->checks && OidIsValid(r->relid) && c->keys != NIL)
				{
					LintDataCheck *dc = lint_new_check(st, LINT_CHECK_UNIQUE,
													   rv, r->relid, c->location);

					dc->columns = lint_names(c->keys);
					dc->nulls_distinct = !c->nulls_not_distinct;
					if (pk)
					{
						ListCell   *lc;

						foreach(lc, dc->columns)
							lint_new_check(st, LINT_CHECK_NOT_NULL, rv,
										   r->relid, c->location)->columns =
								list_make1(lfirst(lc));
					}
				}
				break;
			}
		case CONSTR_EXCLUSION:
			lint_report_sized(st, "adding-exclusion-constraint", r, c->location,
							  pstrdup("adding an EXCLUDE constraint builds its index and checks every row under an ACCESS EXCLUSIVE lock"),
							  "There is no NOT VALID form: add it while the table is small, or enforce the rule in the application and add the constraint in a maintenance window.");
			break;
		default:
			break;
	}
}

/* ALTER TABLE ... VALIDATE CONSTRAINT */
static void
lint_validate_constraint(LintState *st, RangeVar *rv, LintRel *r, const char *conname)
{
	ListCell   *lc;

	foreach(lc, st->not_valid)
	{
		LintNotValid *nv = (LintNotValid *) lfirst(lc);

		if (nv->conname == NULL || strcmp(nv->conname, conname) != 0 ||
			strcmp(nv->rel->relname, rv->relname) != 0)
			continue;
		if (nv->notnull_col != NULL)
			st->notnull_checked = lappend(st->notnull_checked,
										  psprintf("%s.%s", rv->relname, nv->notnull_col));
		if (!r->created && !(r->exists && r->bytes == 0))
			lint_report(st, "constraint-missing-not-valid", -1,
						psprintf("constraint %s is added NOT VALID and validated in the same SQL: the lock taken by the ADD is still held while VALIDATE scans %s",
								 conname, r->name),
						"Run VALIDATE CONSTRAINT in a separate revision (its own transaction) after the NOT VALID one.");
		if (st->checks && OidIsValid(r->relid) && nv->expr != NULL)
			lint_new_check(st, LINT_CHECK_CHECK, rv, r->relid, -1)->expr = nv->expr;
		return;
	}
	/* a constraint added NOT VALID by an earlier revision */
	if (st->checks && OidIsValid(r->relid))
		lint_new_check(st, LINT_CHECK_VALIDATE, rv, r->relid, -1)->conname =
			pstrdup(conname);
}

/* ALTER TABLE ... ALTER COLUMN ... SET NOT NULL */
static void
lint_set_not_null(LintState *st, RangeVar *rv, LintRel *r, const char *colname)
{
	char	   *key = psprintf("%s.%s", rv->relname, colname);
	ListCell   *lc;

	foreach(lc, st->notnull_checked)
	{
		if (strcmp((char *) lfirst(lc), key) == 0)
			return;
	}
	if (OidIsValid(r->relid) && lint_has_notnull_check(r->relid, colname))
		return;
	lint_report_sized(st, "adding-not-nullable-field", r, -1,
					  psprintf("SET NOT NULL on %s scans the table under an ACCESS EXCLUSIVE lock", colname),
					  "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a later transaction; then SET NOT NULL skips the scan, and the CHECK can be dropped.");
	if (st->checks && OidIsValid(r->relid) && !r->created &&
		get_attnum(r->relid, colname) != InvalidAttrNumber)
		lint_new_check(st, LINT_CHECK_NOT_NULL, rv, r->relid, -1)->columns = list_make1(pstrdup(colname));
}

/* ALTER TABLE: one branch per subcommand kind that lint has a rule for. */
static void
lint_alter_table(LintState *st, AlterTableStmt *ats)
{
	LintRel		r;
	ListCell   *lc;

	if (ats->relation == NULL)
		return;
	if (ats->objtype != OBJECT_TABLE && ats->objtype != OBJECT_FOREIGN_TABLE &&
		ats->objtype != OBJECT_MATVIEW)
		return;
	lint_rel(st, ats->relation, &r);
	lint_need_timeout(st, &r);
	foreach(lc, ats->cmds)
	{
		AlterTableCmd *cmd = (AlterTableCmd *) lfirst(lc);

		if (!IsA(cmd, AlterTableCmd))
			continue;
		CHECK_FOR_INTERRUPTS();
		switch (cmd->subtype)
		{
			case AT_AddColumn:
				if (cmd->def && IsA(cmd->def, ColumnDef))
					lint_add_column(st, &r, (ColumnDef *) cmd->def);
				break;
			case AT_AddConstraint:
				if (cmd->def && IsA(cmd->def, Constraint))
					lint_add_constraint(st, ats->relation, &r, (Constraint *) cmd->def);
				break;
			case AT_ValidateConstraint:
				if (cmd->name)
					lint_validate_constraint(st, ats->relation, &r, cmd->name);
				break;
			case AT_SetNotNull:
				if (cmd->name)
					lint_set_not_null(st, ats->relation, &r, cmd->name);
				break;
			case AT_DropNotNull:
				if (!r.created)
					lint_report(st, "ban-drop-not-null", -1,
								psprintf("DROP NOT NULL on %s.%s: readers that assume a value will meet NULLs",
										 r.name, cmd->name ? cmd->name : "?"),
								"Make sure every client handles NULL first; keep the constraint if in doubt.");
				break;
			case AT_DropColumn:
				if (!r.created)
					lint_report(st, "ban-drop-column", -1,
								psprintf("dropping column %s of %s loses its data, and clients that still select it fail",
										 cmd->name ? cmd->name : "?", r.name),
								"Stop reading and writing the column in the application first (deploy), then drop it in a later revision.");
				break;
			case AT_DropConstraint:
				if (!r.created)
					lint_report(st, "dropping-constraint", -1,
								psprintf("dropping constraint %s of %s removes a guarantee clients may rely on",
										 cmd->name ? cmd->name : "?", r.name),
								"Make sure nothing depends on the constraint (foreign keys, ON CONFLICT targets, the planner).");
				break;
			case AT_AlterColumnType:
				{
					ColumnDef  *cd = (ColumnDef *) cmd->def;

					if (cd == NULL || !IsA(cd, ColumnDef) || cmd->name == NULL)
						break;
					if (cd->typeName != NULL)
					{
						ColumnDef	tmp;

						memcpy(&tmp, cd, sizeof(ColumnDef));
						tmp.colname = cmd->name;
						lint_column_type(st, &tmp, false);
					}
					if (cd->raw_default == NULL &&
						lint_nonrewriting_type_change(r.relid, cmd->name, cd->typeName))
						break;
					lint_report_sized(st, "changing-column-type", &r,
									  cd->typeName ? cd->typeName->location : -1,
									  psprintf("changing the type of %s rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
											   cmd->name),
									  "Add a new column of the new type, backfill it in batches, switch readers and writers, then drop the old column; widening varchar/numeric limits needs no rewrite.");
					break;
				}
			case AT_SetTableSpace:
			case AT_SetLogged:
			case AT_SetUnLogged:
			case AT_SetAccessMethod:
				lint_report_sized(st, "table-rewrite", &r, -1,
								  psprintf("ALTER TABLE %s rewrites the table under an ACCESS EXCLUSIVE lock",
										   cmd->subtype == AT_SetTableSpace ? "SET TABLESPACE" :
										   cmd->subtype == AT_SetLogged ? "SET LOGGED" :
										   cmd->subtype == AT_SetUnLogged ? "SET UNLOGGED" :
										   "SET ACCESS METHOD"),
								  "Do it in a maintenance window, or build a new table and switch over (pg_repack can move tablespaces online).");
				break;
			case AT_DetachPartition:
				if (cmd->def && IsA(cmd->def, PartitionCmd) &&
					!((PartitionCmd *) cmd->def)->concurrent && !r.created)
					lint_report(st, "require-concurrent-partition-detach", -1,
								psprintf("DETACH PARTITION takes an ACCESS EXCLUSIVE lock on %s", r.name),
								"Use DETACH PARTITION ... CONCURRENTLY in a non-transactional revision (PostgreSQL 14+).");
				break;
			case AT_EnableRowSecurity:
			case AT_ForceRowSecurity:
			case AT_DisableRowSecurity:
			case AT_NoForceRowSecurity:
				lint_report(st, "authz-update", -1,
							psprintf("row level security of %s changes: rows visible to each role change with it", r.name),
							"Create the policies in the same revision before enabling row level security, and test with every application role.");
				break;
			default:
				break;
		}
	}
}

/* ------------------------------------------------------------------------
 * Other statements
 * ------------------------------------------------------------------------
 */

/*
 * CREATE INDEX: concurrency, robustness, width; a unique index over plain
 * columns gets a duplicate check in review().
 */
static void
lint_index(LintState *st, IndexStmt *is)
{
	LintRel		r;

	if (is->relation == NULL)
		return;
	lint_rel(st, is->relation, &r);
	if (is->idxname != NULL)
		st->created = lappend(st->created,
							  makeRangeVar(is->relation->schemaname, is->idxname, -1));
	if (is->concurrent)
	{
		if (st->xact_depth > 0)
			lint_report(st, "ban-concurrent-index-creation-in-transaction", -1,
						pstrdup("CREATE INDEX CONCURRENTLY cannot run inside a transaction block"),
						"Put the statement in its own revision with transactional = false (run by the CLI or plan() \\gexec).");
		if (!is->if_not_exists && is->idxname != NULL)
			lint_report(st, "prefer-robust-stmts", -1,
						psprintf("a failed CREATE INDEX CONCURRENTLY leaves an INVALID index %s behind, and a retry then fails", is->idxname),
						"Use CREATE INDEX CONCURRENTLY IF NOT EXISTS, after DROP INDEX CONCURRENTLY IF EXISTS of an invalid leftover.");
	}
	else
	{
		lint_need_timeout(st, &r);
		lint_report_sized(st, "require-concurrent-index-creation", &r, -1,
						  psprintf("CREATE INDEX without CONCURRENTLY blocks writes to %s while it builds", r.name),
						  "CREATE INDEX CONCURRENTLY in a revision with transactional = false.");
	}
	if (!is->unique && list_length(is->indexParams) > 3)
		lint_report(st, "index-too-many-columns", -1,
					psprintf("non-unique index on %d columns", list_length(is->indexParams)),
					"Indexes with more than three columns rarely help more than a narrower one, and cost every write.");
	if (is->unique && st->checks && OidIsValid(r.relid) && is->whereClause == NULL)
	{
		List	   *cols = NIL;
		ListCell   *lc;

		foreach(lc, is->indexParams)
		{
			IndexElem  *ie = (IndexElem *) lfirst(lc);

			if (!IsA(ie, IndexElem) || ie->name == NULL)
			{
				cols = NIL;
				break;
			}
			cols = lappend(cols, ie->name);
		}
		if (cols != NIL)
		{
			LintDataCheck *dc = lint_new_check(st, LINT_CHECK_UNIQUE,
											   is->relation, r.relid, -1);

			dc->columns = cols;
			dc->nulls_distinct = !is->nulls_not_distinct;
		}
	}
}

/* The table an existing index belongs to, as a RangeVar, or NULL. */
static RangeVar *
lint_index_table(RangeVar *idx)
{
	Oid			idxoid = lint_rv_relid(idx);
	Oid			tab;

	if (!OidIsValid(idxoid) || get_rel_relkind(idxoid) != RELKIND_INDEX)
		return NULL;
	tab = IndexGetRelation(idxoid, true);
	if (!OidIsValid(tab))
		return NULL;
	return makeRangeVar(get_namespace_name(get_rel_namespace(tab)),
						get_rel_name(tab), -1);
}

/* DROP of indexes, tables, schemas and other objects. */
static void
lint_drop(LintState *st, DropStmt *ds)
{
	ListCell   *lc;

	if (ds->removeType == OBJECT_INDEX)
	{
		if (ds->concurrent)
		{
			if (st->xact_depth > 0)
				lint_report(st, "ban-concurrent-index-creation-in-transaction", -1,
							pstrdup("DROP INDEX CONCURRENTLY cannot run inside a transaction block"),
							"Put the statement in its own revision with transactional = false.");
			if (!ds->missing_ok)
				lint_report(st, "prefer-robust-stmts", -1,
							pstrdup("DROP INDEX CONCURRENTLY without IF EXISTS cannot be re-run after a partial failure"),
							"Use DROP INDEX CONCURRENTLY IF EXISTS.");
			return;
		}
		foreach(lc, ds->objects)
		{
			RangeVar   *idx;
			RangeVar   *tab;
			LintRel		r;

			if (list_length((List *) lfirst(lc)) > 3)
				continue;		/* DROP fails on it anyway */
			idx = makeRangeVarFromNameList((List *) lfirst(lc));
			tab = lint_index_table(idx);

			if (tab != NULL)
			{
				lint_rel(st, tab, &r);
				if (r.exists && r.bytes == 0)
					continue;
				lint_need_timeout(st, &r);
			}
			if (lint_rv_in(st->created, idx))
				continue;
			lint_report(st, "require-concurrent-index-deletion", -1,
						psprintf("DROP INDEX %s takes an ACCESS EXCLUSIVE lock on %s", idx->relname,
								 tab ? lint_rv_name(tab) : "its table"),
						"DROP INDEX CONCURRENTLY IF EXISTS in a revision with transactional = false.");
		}
		return;
	}
	foreach(lc, ds->objects)
	{
		switch (ds->removeType)
		{
			case OBJECT_TABLE:
				{
					RangeVar   *rv;
					LintRel		r;

					if (list_length((List *) lfirst(lc)) > 3)
						break;	/* DROP fails on it anyway */
					rv = makeRangeVarFromNameList((List *) lfirst(lc));

					lint_rel(st, rv, &r);
					if (r.created)
						break;
					lint_need_timeout(st, &r);
					lint_report(st, "ban-drop-table", -1,
								psprintf("dropping table %s loses its data (%s)%s", r.name,
										 lint_size_text(&r),
										 ds->behavior == DROP_CASCADE ? ", and CASCADE drops dependent views and foreign keys" : ""),
								"Stop using the table in the application first, keep a backup (or rename it away), and drop it in a later revision.");
					break;
				}
			case OBJECT_SCHEMA:
				lint_add(st, "ban-drop-schema",
						 ds->behavior == DROP_CASCADE ? LINT_ERROR : LINT_WARNING, -1,
						 psprintf("dropping schema %s%s", strVal(lfirst(lc)),
								  ds->behavior == DROP_CASCADE ? " CASCADE drops every object in it, with their data" : " fails unless it is empty"),
						 "Drop the schema's objects one by one in reviewed revisions instead.");
				break;
			case OBJECT_VIEW:
			case OBJECT_MATVIEW:
			case OBJECT_SEQUENCE:
			case OBJECT_TYPE:
			case OBJECT_DOMAIN:
			case OBJECT_FUNCTION:
			case OBJECT_PROCEDURE:
			case OBJECT_ROUTINE:
			case OBJECT_TRIGGER:
			case OBJECT_EXTENSION:
			case OBJECT_FOREIGN_TABLE:
				lint_add(st, "dropping-object",
						 ds->behavior == DROP_CASCADE ? LINT_WARNING : LINT_INFO, -1,
						 psprintf("DROP %s%s: code that uses it breaks%s",
								  ds->removeType == OBJECT_VIEW ? "VIEW" :
								  ds->removeType == OBJECT_MATVIEW ? "MATERIALIZED VIEW" :
								  ds->removeType == OBJECT_SEQUENCE ? "SEQUENCE" :
								  ds->removeType == OBJECT_TYPE ? "TYPE" :
								  ds->removeType == OBJECT_DOMAIN ? "DOMAIN" :
								  ds->removeType == OBJECT_TRIGGER ? "TRIGGER" :
								  ds->removeType == OBJECT_EXTENSION ? "EXTENSION" :
								  ds->removeType == OBJECT_FOREIGN_TABLE ? "FOREIGN TABLE" : "FUNCTION",
								  ds->behavior == DROP_CASCADE ? " CASCADE" : "",
								  ds->behavior == DROP_CASCADE ? ", and CASCADE also drops what depends on it (columns of a dropped type lose their data)" :
								  " (function bodies are not dependency-tracked)"),
						 "List what depends on the object first; drop dependents explicitly instead of CASCADE.");
				break;
			default:
				break;
		}
		if (ds->removeType != OBJECT_TABLE)
			break;				/* one finding per statement is enough */
	}
}

/* RENAME of a column or a table that clients already use. */
static void
lint_rename(LintState *st, RenameStmt *rs)
{
	LintRel		r;

	if (rs->relation == NULL)
		return;
	if (rs->renameType == OBJECT_COLUMN && rs->relationType == OBJECT_TABLE)
	{
		lint_rel(st, rs->relation, &r);
		if (r.created)
			return;
		lint_need_timeout(st, &r);
		lint_report(st, "renaming-column", -1,
					psprintf("renaming column %s.%s to %s breaks clients that still use the old name",
							 r.name, rs->subname ? rs->subname : "?", rs->newname),
					"Add the new column, write both, backfill, move readers, then drop the old one; or rename behind a view.");
	}
	else if (rs->renameType == OBJECT_TABLE)
	{
		lint_rel(st, rs->relation, &r);
		if (r.created)
			return;
		lint_need_timeout(st, &r);
		lint_report(st, "renaming-table", -1,
					psprintf("renaming table %s to %s breaks clients that still use the old name",
							 r.name, rs->newname),
					"Create a view with the old name over the renamed table for the transition, or move clients first.");
	}
}

/* TRUNCATE, with or without CASCADE. */
static void
lint_truncate(LintState *st, TruncateStmt *ts)
{
	ListCell   *lc;

	foreach(lc, ts->relations)
	{
		RangeVar   *rv = (RangeVar *) lfirst(lc);
		LintRel		r;

		lint_rel(st, rv, &r);
		if (r.created)
			continue;
		lint_need_timeout(st, &r);
		if (ts->behavior == DROP_CASCADE)
			lint_report(st, "ban-truncate-cascade", rv->location,
						psprintf("TRUNCATE %s CASCADE also empties every table that references it, recursively", r.name),
						"TRUNCATE the tables you mean by name, without CASCADE.");
		else if (!(r.exists && r.bytes == 0))
			lint_report(st, "ban-truncate", rv->location,
						psprintf("TRUNCATE deletes every row (%s)", lint_size_text(&r)),
						"Make sure the data is disposable; keep a copy if not.");
	}
}

/* UPDATE / DELETE of existing rows inside the migration. */
static void
lint_backfill(LintState *st, RangeVar *rv, const char *verb)
{
	LintRel		r;

	if (rv == NULL)
		return;
	lint_rel(st, rv, &r);
	st->changed = lappend(st->changed, rv);
	if (!r.exists)
		return;					/* nothing to go on: DML is normal in migrations */
	lint_report_sized(st, "backfilling-data", &r, rv->location,
					  psprintf("%s of %s inside the migration keeps every touched row locked until the transaction ends", verb, r.name),
					  "Backfill in batches in separate transactions (CALL upgrade_each, or a script outside the schema migration).");
}

/* Statement-level rules for every statement kind. */
static void
lint_statement(LintState *st, Node *stmt)
{
	check_stack_depth();
	CHECK_FOR_INTERRUPTS();
	switch (nodeTag(stmt))
	{
		case T_CreateStmt:
			lint_create_table(st, (CreateStmt *) stmt);
			break;
		case T_CreateTableAsStmt:
			{
				CreateTableAsStmt *cta = (CreateTableAsStmt *) stmt;

				if (cta->into && cta->into->rel)
					st->created = lappend(st->created, cta->into->rel);
				break;
			}
		case T_CreateSchemaStmt:
			{
				ListCell   *lc;

				foreach(lc, ((CreateSchemaStmt *) stmt)->schemaElts)
					lint_statement(st, (Node *) lfirst(lc));
				break;
			}
		case T_AlterTableStmt:
			lint_alter_table(st, (AlterTableStmt *) stmt);
			break;
		case T_IndexStmt:
			lint_index(st, (IndexStmt *) stmt);
			break;
		case T_DropStmt:
			lint_drop(st, (DropStmt *) stmt);
			break;
		case T_DropdbStmt:
			lint_report(st, "ban-drop-database", -1,
						psprintf("DROP DATABASE %s", ((DropdbStmt *) stmt)->dbname),
						"Never drop a database from a schema migration.");
			break;
		case T_TruncateStmt:
			lint_truncate(st, (TruncateStmt *) stmt);
			break;
		case T_RenameStmt:
			lint_rename(st, (RenameStmt *) stmt);
			break;
		case T_AlterEnumStmt:
			{
				AlterEnumStmt *aes = (AlterEnumStmt *) stmt;

				if (aes->oldVal != NULL)
					lint_report(st, "renaming-enum-value", -1,
								psprintf("renaming enum label %s to %s breaks clients that still write the old label",
										 aes->oldVal, aes->newVal),
								"Add the new label, migrate rows and clients, and keep the old label until nothing uses it.");
				else if (aes->newValNeighbor == NULL)
					lint_report(st, "require-enum-value-ordering", -1,
								psprintf("label %s is appended at the end of the enum", aes->newVal),
								"Say BEFORE or AFTER an existing label if the enum's order (used by ORDER BY and comparisons) matters.");
				if (aes->oldVal == NULL && aes->newVal != NULL && aes->typeName != NIL &&
					IsA(llast(aes->typeName), String) &&
					!list_member_str(st->created_types, strVal(llast(aes->typeName))))
					st->new_labels = lappend(st->new_labels,
											 psprintf("'%s'", aes->newVal));
				break;
			}
		case T_CreateEnumStmt:
			if (((CreateEnumStmt *) stmt)->typeName != NIL &&
				IsA(llast(((CreateEnumStmt *) stmt)->typeName), String))
				st->created_types = lappend(st->created_types,
											strVal(llast(((CreateEnumStmt *) stmt)->typeName)));
			break;
		case T_TransactionStmt:
			{
				TransactionStmt *ts = (TransactionStmt *) stmt;

				lint_report(st, "transaction-nesting", -1,
							pstrdup("transaction control statement in migration SQL: upgrade() runs each revision in its own transaction, where it fails"),
							"Remove BEGIN/COMMIT/ROLLBACK; use transactional = false for statements that must run outside a transaction.");
				if (ts->kind == TRANS_STMT_BEGIN || ts->kind == TRANS_STMT_START)
				{
					if (st->xact_depth++ == 0)
					{
						st->xact_location = st->stmt_start;
						st->xact_stmtno = st->stmtno;
					}
				}
				else if (ts->kind == TRANS_STMT_COMMIT || ts->kind == TRANS_STMT_ROLLBACK ||
						 ts->kind == TRANS_STMT_PREPARE)
					st->xact_depth = 0;
				break;
			}
		case T_VariableSetStmt:
			{
				VariableSetStmt *vs = (VariableSetStmt *) stmt;

				if (vs->name && strcmp(vs->name, "lock_timeout") == 0)
				{
					A_Const    *v = vs->args ? (A_Const *) linitial(vs->args) : NULL;
					bool		zero = v != NULL && IsA(v, A_Const) && !v->isnull &&
						((IsA(&v->val, Integer) && intVal(&v->val) == 0) ||
						 (IsA(&v->val, String) && strcmp(strVal(&v->val), "0") == 0));

					st->lock_timeout_set = vs->kind == VAR_SET_VALUE && !zero;
				}
				break;
			}
		case T_ReindexStmt:
			{
				ReindexStmt *rs = (ReindexStmt *) stmt;
				ListCell   *lc;
				RangeVar   *tab = NULL;
				LintRel		r;

				foreach(lc, rs->params)
				{
					DefElem    *opt = (DefElem *) lfirst(lc);

					if (strcmp(opt->defname, "concurrently") == 0 && defGetBoolean(opt))
						return;
				}
				if (rs->kind == REINDEX_OBJECT_TABLE)
					tab = rs->relation;
				else if (rs->kind == REINDEX_OBJECT_INDEX && rs->relation)
					tab = lint_index_table(rs->relation);
				if (tab == NULL)
				{
					lint_report(st, "require-concurrent-reindex", -1,
								pstrdup("REINDEX without CONCURRENTLY blocks writes while it rebuilds"),
								"REINDEX ... CONCURRENTLY in a revision with transactional = false.");
					break;
				}
				lint_rel(st, tab, &r);
				lint_report_sized(st, "require-concurrent-reindex", &r, -1,
								  psprintf("REINDEX without CONCURRENTLY blocks writes to %s while it rebuilds", r.name),
								  "REINDEX ... CONCURRENTLY in a revision with transactional = false.");
				break;
			}
		case T_CreateDomainStmt:
			if (((CreateDomainStmt *) stmt)->constraints != NIL)
				lint_report(st, "ban-create-domain-with-constraint", -1,
							pstrdup("domain with a constraint: changing it later checks every column of the domain under lock, and the constraint is invisible to table definitions"),
							"Put the CHECK on the table columns instead (it can be added NOT VALID).");
			break;
		case T_AlterDomainStmt:
			{
				AlterDomainStmt *ads = (AlterDomainStmt *) stmt;

				if (ads->subtype == 'C' && ads->def && IsA(ads->def, Constraint) &&
					!((Constraint *) ads->def)->skip_validation)
					lint_report(st, "ban-alter-domain-with-add-constraint", -1,
								pstrdup("ALTER DOMAIN ADD CONSTRAINT checks every column using the domain while holding locks"),
								"ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT later; or put the CHECK on table columns.");
				break;
			}
		case T_VacuumStmt:
			{
				VacuumStmt *vs = (VacuumStmt *) stmt;
				bool		full = false;
				ListCell   *lc;

				foreach(lc, vs->options)
				{
					DefElem    *opt = (DefElem *) lfirst(lc);

					if (vs->is_vacuumcmd && strcmp(opt->defname, "full") == 0 &&
						(opt->arg == NULL || defGetBoolean(opt)))
						full = true;
				}
				if (!full)
					break;
				if (vs->rels == NIL)
					lint_report(st, "prefer-repack", -1,
								pstrdup("VACUUM FULL of the whole database rewrites every table under an ACCESS EXCLUSIVE lock"),
								"Use pg_repack (or pg_squeeze), which rewrites online.");
				foreach(lc, vs->rels)
				{
					VacuumRelation *vr = (VacuumRelation *) lfirst(lc);
					LintRel		r;

					if (!IsA(vr, VacuumRelation) || vr->relation == NULL)
						continue;
					lint_rel(st, vr->relation, &r);
					lint_report_sized(st, "prefer-repack", &r, vr->relation->location,
									  pstrdup("VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock"),
									  "Use pg_repack (or pg_squeeze), which rewrites online.");
				}
				break;
			}
		case T_ClusterStmt:
			{
				ClusterStmt *cs = (ClusterStmt *) stmt;
				LintRel		r;

				if (cs->relation == NULL)
				{
					lint_report(st, "prefer-repack", -1,
								pstrdup("CLUSTER of every clustered table rewrites them under ACCESS EXCLUSIVE locks"),
								"Use pg_repack --order-by, which rewrites online.");
					break;
				}
				lint_rel(st, cs->relation, &r);
				lint_report_sized(st, "prefer-repack", &r, cs->relation->location,
								  pstrdup("CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock"),
								  "Use pg_repack --order-by, which rewrites online.");
				break;
			}
		case T_UpdateStmt:
			lint_backfill(st, ((UpdateStmt *) stmt)->relation, "UPDATE");
			break;
		case T_DeleteStmt:
			lint_backfill(st, ((DeleteStmt *) stmt)->relation, "DELETE");
			break;
		case T_InsertStmt:
			if (((InsertStmt *) stmt)->relation)
				st->changed = lappend(st->changed, ((InsertStmt *) stmt)->relation);
			break;
		case T_DoStmt:
			st->opaque_changes = true;
			lint_report(st, "opaque-code", -1,
						pstrdup("lint cannot see the statements inside a DO block"),
						"Write the DDL as plain statements so that it can be reviewed.");
			break;
		case T_SelectStmt:
			/* SELECT f() may change anything: review()'s counts become unreliable */
			if (st->checks != NULL && ((SelectStmt *) stmt)->targetList != NIL)
				st->opaque_changes = st->opaque_changes ||
					raw_expression_tree_walker((Node *) ((SelectStmt *) stmt)->targetList,
											   lint_volatile_walker, NULL);
			break;
		case T_GrantStmt:
		case T_GrantRoleStmt:
		case T_AlterOwnerStmt:
		case T_CreatePolicyStmt:
		case T_AlterPolicyStmt:
		case T_AlterDefaultPrivilegesStmt:
			lint_report(st, "authz-update", -1,
						pstrdup("privileges change: what each role may do changes with this statement"),
						"Review the grants with the application roles in mind; pg_schemamig's drift check will not flag them later.");
			break;
		default:
			break;
	}
}

/* ------------------------------------------------------------------------
 * Identifiers, statement boundaries, suppression
 * ------------------------------------------------------------------------
 */

/* Is c a byte that can appear in an unquoted identifier? */
static inline bool
lint_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/*
 * lint_identifiers: identifier-too-long.  PostgreSQL truncates longer
 * names (with a NOTICE) before the parse tree exists, so the statement
 * text is scanned here: a small lexer that skips string constants,
 * dollar quotes and comments, and measures plain and quoted identifiers.
 */
static void
lint_identifiers(LintState *st, int start, int len)
{
	const char *s = st->sql + start;
	int			i = 0;

	while (i < len)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '\'')
		{
			bool		escapes = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
				(i == 1 || !lint_ident_char((unsigned char) s[i - 2]));

			for (i++; i < len; i++)
			{
				if (s[i] == '\'' && i + 1 < len && s[i + 1] == '\'')
					i++;
				else if (escapes && s[i] == '\\' && i + 1 < len)
					i++;
				else if (s[i] == '\'')
					break;
			}
			i++;
		}
		else if (c == '-' && i + 1 < len && s[i + 1] == '-')
		{
			while (i < len && s[i] != '\n')
				i++;
		}
		else if (c == '/' && i + 1 < len && s[i + 1] == '*')
			i = lint_statement_start(s, i, len);
		else if (c == '$')
		{
			int			j = i + 1;

			while (j < len && lint_ident_char((unsigned char) s[j]) && s[j] != '$')
				j++;
			if (j < len && s[j] == '$' && !(j > i + 1 && isdigit((unsigned char) s[i + 1])))
			{
				int			taglen = j - i + 1;
				int			k;

				for (k = j + 1; k + taglen <= len; k++)
				{
					if (strncmp(s + k, s + i, taglen) == 0)
						break;
				}
				i = k + taglen;
			}
			else
				i = j;
		}
		else if (c == '"')
		{
			int			n = 0;
			int			j;

			for (j = i + 1; j < len; j++)
			{
				if (s[j] == '"' && j + 1 < len && s[j + 1] == '"')
					j++;
				else if (s[j] == '"')
					break;
				n++;
			}
			if (n >= NAMEDATALEN)
				lint_report(st, "identifier-too-long", start + i,
							psprintf("identifier \"%s...\" is %d bytes long and is truncated to %d bytes",
									 pnstrdup(s + i + 1, 20), n, NAMEDATALEN - 1),
							"Use a name of at most 63 bytes: truncated names collide and differ from what the application expects.");
			i = j + 1;
		}
		else if (lint_ident_char(c) && !isdigit(c))
		{
			int			j = i;

			while (j < len && lint_ident_char((unsigned char) s[j]))
				j++;
			if (j - i >= NAMEDATALEN && !(j < len && s[j] == '\''))
				lint_report(st, "identifier-too-long", start + i,
							psprintf("identifier \"%s...\" is %d bytes long and is truncated to %d bytes",
									 pnstrdup(s + i, 20), j - i, NAMEDATALEN - 1),
							"Use a name of at most 63 bytes: truncated names collide and differ from what the application expects.");
			i = j;
		}
		else if (isdigit(c))
		{
			while (i < len && (lint_ident_char((unsigned char) s[i]) || s[i] == '.'))
				i++;
		}
		else
			i++;
	}
}

/* Offset of the first token at or after "pos" (skips blanks and comments). */
int
lint_statement_start(const char *sql, int pos, int end)
{
	while (pos < end)
	{
		if (isspace((unsigned char) sql[pos]))
			pos++;
		else if (sql[pos] == '-' && pos + 1 < end && sql[pos + 1] == '-')
		{
			while (pos < end && sql[pos] != '\n')
				pos++;
		}
		else if (sql[pos] == '/' && pos + 1 < end && sql[pos + 1] == '*')
		{
			int			depth = 1;

			pos += 2;
			while (pos < end && depth > 0)
			{
				if (sql[pos] == '/' && pos + 1 < end && sql[pos + 1] == '*')
				{
					depth++;
					pos += 2;
				}
				else if (sql[pos] == '*' && pos + 1 < end && sql[pos + 1] == '/')
				{
					depth--;
					pos += 2;
				}
				else
					pos++;
			}
		}
		else
			break;
	}
	return pos;
}

/*
 * lint_suppress applies "-- schemamig:allow rule[,rule] [reason]" comments
 * found in sql[from, to) to the findings from index "first" on.
 */
static void
lint_suppress(LintState *st, int from, int to, int first)
{
	static const char marker[] = "schemamig:allow";
	const char *p = st->sql + from;
	const char *end = st->sql + to;

	while (p < end)
	{
		const char *hit;
		const char *q;
		const char *eol;
		char	   *rules;
		char	   *reason;
		char	   *tok;
		char	   *save;
		int			i;

		hit = NULL;
		for (q = p; q + sizeof(marker) - 1 <= end; q++)
		{
			if (strncmp(q, marker, sizeof(marker) - 1) == 0)
			{
				hit = q;
				break;
			}
		}
		if (hit == NULL)
			return;
		q = hit + sizeof(marker) - 1;
		for (eol = q; eol < end && *eol != '\n'; eol++)
			;
		p = eol;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		{
			const char *r0 = q;

			while (q < eol && !isspace((unsigned char) *q))
				q++;
			rules = pnstrdup(r0, q - r0);
		}
		while (q < eol && isspace((unsigned char) *q))
			q++;
		reason = pnstrdup(q, eol - q);
		/* trim the end of the reason, and a closing block comment */
		i = strlen(reason);
		while (i > 0 && isspace((unsigned char) reason[i - 1]))
			i--;
		if (i >= 2 && reason[i - 2] == '*' && reason[i - 1] == '/')
			i -= 2;
		while (i > 0 && isspace((unsigned char) reason[i - 1]))
			i--;
		reason[i] = '\0';
		for (tok = strtok_r(rules, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		{
			ListCell   *lc;

			/* squawk's newer names for the timeout rule */
			if (strcmp(tok, "require-lock-timeout") == 0 ||
				strcmp(tok, "require-statement-timeout") == 0)
				tok = "require-timeout-settings";

			if (!lint_rule_exists(tok))
			{
				lint_report(st, "invalid-suppression", hit - st->sql,
							psprintf("schemamig:allow names unknown rule \"%s\"", tok),
							"Use a rule id from docs/lint-rules.md.");
				continue;
			}
			for_each_from(lc, st->findings, first)
			{
				LintFinding *f = (LintFinding *) lfirst(lc);

				if (strcmp(f->rule, tok) != 0 || strncmp(f->message, "suppressed", 10) == 0)
					continue;
				f->severity = LINT_INFO;
				f->message = psprintf("suppressed: %s; %s",
									  reason[0] ? reason : "no reason given",
									  f->message);
			}
		}
	}
}

/* Is "s" one of the C strings of "list"? */
static bool
list_member_str(List *list, const char *s)
{
	ListCell   *lc;

	foreach(lc, list)
	{
		if (strcmp((char *) lfirst(lc), s) == 0)
			return true;
	}
	return false;
}

/*
 * lint_enum_labels: unsafe-enum-value-use.  A label added to an existing
 * enum cannot be used until the transaction commits ("unsafe use of new
 * value"); a statement after the ADD VALUE that spells the label as a
 * string constant will fail.  (A textual match: the label may also appear
 * in a comment, where it is harmless.)
 */
static void
lint_enum_labels(LintState *st, int start, int len, List *before)
{
	ListCell   *lc;

	foreach(lc, before)
	{
		const char *label = (const char *) lfirst(lc);
		char	   *text = pnstrdup(st->sql + start, len);
		char	   *hit = strstr(text, label);

		if (hit != NULL)
			lint_report(st, "unsafe-enum-value-use", start + (hit - text),
						psprintf("enum label %s is used in the transaction that adds it; PostgreSQL refuses that until the ADD VALUE commits",
								 label),
						"Add the label in its own revision (it commits before the next one runs with upgrade_each or the CLI), then use it in a later revision.");
	}
}

/* Order findings by statement, location, rule. */
static int
lint_finding_cmp(const ListCell *a, const ListCell *b)
{
	LintFinding *fa = (LintFinding *) lfirst(a);
	LintFinding *fb = (LintFinding *) lfirst(b);

	if (fa->statement != fb->statement)
		return fa->statement < fb->statement ? -1 : 1;
	if (fa->location != fb->location)
		return fa->location < fb->location ? -1 : 1;
	return strcmp(fa->rule, fb->rule);
}

/* lint_sort_findings sorts findings by statement, location and rule. */
void
lint_sort_findings(List *findings)
{
	list_sort(findings, lint_finding_cmp);
}

/*
 * lint_statement_at: the 1-based number of the statement that byte "pos"
 * of sql belongs to, counting semicolons outside string constants, quoted
 * identifiers, dollar quotes and comments (the SQL does not parse, so the
 * parser cannot say).
 */
static int
lint_statement_at(const char *sql, int pos)
{
	int			n = 1;
	int			i = 0;

	while (i < pos && sql[i])
	{
		char		c = sql[i];

		if (c == '\'' || c == '"')
		{
			for (i++; sql[i] && !(sql[i] == c && sql[i + 1] != c); i++)
			{
				if (sql[i] == c)
					i++;		/* doubled quote */
			}
			if (sql[i])
				i++;
		}
		else if ((c == '-' && sql[i + 1] == '-') || (c == '/' && sql[i + 1] == '*'))
			i = lint_statement_start(sql, i, strlen(sql));
		else if (c == '$' && (i == 0 || !lint_ident_char((unsigned char) sql[i - 1])))
		{
			int			j = i + 1;

			while (sql[j] && lint_ident_char((unsigned char) sql[j]) && sql[j] != '$')
				j++;
			if (sql[j] == '$' && !isdigit((unsigned char) sql[i + 1]))
			{
				char	   *close = strstr(sql + j + 1, pnstrdup(sql + i, j - i + 1));

				i = close ? (close - sql) + (j - i + 1) : (int) strlen(sql);
			}
			else
				i = j;
		}
		else
		{
			if (c == ';')
				n++;
			i++;
		}
	}
	return n;
}

/*
 * lint_parse runs raw_parser, turning a syntax error into a "syntax-error"
 * finding instead of an ERROR.  raw_parser has no side effects beyond
 * memory, so catching its error without a subtransaction is safe; errors
 * other than bad input (cancel, out of memory) are re-thrown.
 */
static List *
lint_parse(LintState *st, bool *ok)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *raw = NIL;

	*ok = true;
	PG_TRY();
	{
		raw = raw_parser(st->sql, RAW_PARSE_DEFAULT);
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		int			cls;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		cls = ERRCODE_TO_CATEGORY(edata->sqlerrcode);
		if (cls != ERRCODE_SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION &&
			cls != ERRCODE_DATA_EXCEPTION &&
			cls != ERRCODE_FEATURE_NOT_SUPPORTED)
			PG_RE_THROW();
		FlushErrorState();
		/* cursorpos counts characters from 1; locations are byte offsets */
		st->stmt_start = edata->cursorpos > 0 ?
			pg_mbcharcliplen(st->sql, strlen(st->sql), edata->cursorpos - 1) : 0;
		st->stmtno = lint_statement_at(st->sql, st->stmt_start);
		lint_report(st, "syntax-error", st->stmt_start,
					pstrdup(edata->message),
					"Fix the SQL: nothing in it can run.");
		FreeErrorData(edata);
		*ok = false;
	}
	PG_END_TRY();
	return raw;
}

/*
 * lint_sql lints "sql" and returns its findings (LintFinding), sorted.  When
 * "checks" is not NULL, the data checks review() should run are appended
 * to it.
 */
List *
lint_sql(const char *sql, List **checks)
{
	LintState	st;
	List	   *raw;
	ListCell   *lc;
	bool		ok;
	int			sqllen = strlen(sql);

	memset(&st, 0, sizeof(st));
	st.sql = sql;
	st.checks = checks;
	raw = lint_parse(&st, &ok);
	if (!ok)
		return st.findings;
	foreach(lc, raw)
	{
		RawStmt    *rs = lfirst_node(RawStmt, lc);
		int			loc = rs->stmt_location >= 0 ? rs->stmt_location : 0;
		int			end = rs->stmt_len > 0 ? loc + rs->stmt_len : sqllen;
		int			first = list_length(st.findings);

		List	   *labels = st.new_labels;

		st.stmtno++;
		st.stmt_start = lint_statement_start(sql, loc, end);
		if (labels != NIL)
			lint_enum_labels(&st, st.stmt_start, end - st.stmt_start, labels);
		lint_statement(&st, rs->stmt);
		lint_identifiers(&st, st.stmt_start, end - st.stmt_start);
		if (list_length(st.findings) > first)
			lint_suppress(&st, loc, st.stmt_start, first);
	}
	if (st.xact_depth > 0)
	{
		st.stmt_start = st.xact_location;
		st.stmtno = st.xact_stmtno;
		lint_report(&st, "ban-uncommitted-transaction", st.xact_location,
					pstrdup("BEGIN without a matching COMMIT"),
					"Remove the transaction control: upgrade() wraps each revision in a transaction.");
	}
	lint_sort_findings(st.findings);
	return st.findings;
}
