/*-------------------------------------------------------------------------
 *
 * lint_rules.c
 *	  The rules of lint(): the rule table, how findings are reported, and
 *	  the live catalog facts (does a table exist, how big is it) that decide
 *	  whether a finding applies and how severe it is.
 *
 * lint() walks PostgreSQL's raw parse tree of the migration SQL; the rules
 * live in one file per family (lint_int.h lists them).  Catalog facts are
 * read through the syscache and the relation's own size (never through
 * the caller's SPI connection), so the upgrade() hook stays cheap:
 * statements without DDL never touch the catalog.
 *
 * src/lint/lint_rules.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relation.h"
#include "catalog/namespace.h"
#include "catalog/pg_inherits.h"
#include "nodes/makefuncs.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "pg_schemamig.h"
#include "sm_citus.h"

#include "lint_int.h"

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
	{"require-statement-timeout", LINT_INFO, "strong locks held by a statement without a statement_timeout"},
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
#define LINT_SMALL_TABLE_BYTES	SM_SMALL_TABLE_BYTES
/* 1 GB: from this size on it is an error (unless max_rewrite_size says less) */
#define LINT_LARGE_TABLE_BYTES	((int64) 1024 * 1024 * 1024)

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
void
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
void
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
char *
lint_rv_name(RangeVar *rv)
{
	if (rv->schemaname)
		return psprintf("%s.%s", rv->schemaname, rv->relname);
	return pstrdup(rv->relname);
}

/* Does "list" (of RangeVar) hold a table matching rv? */
bool
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
Oid
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
void
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
char *
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
void
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
 * lint_need_timeout: a statement takes a lock that blocks reads or writes
 * (SHARE or stronger) on an existing table.  Reported once per SQL each:
 * require-timeout-settings when no lock_timeout protects the queue that
 * forms behind the waiting lock request, require-statement-timeout when no
 * statement timeout bounds how long the statement holds the lock.
 * SET lock_timeout / statement_timeout earlier in the SQL, or
 * schemamig.lock_timeout / schemamig.statement_timeout (which upgrade()
 * applies to each revision), count.
 */
void
lint_need_timeout(LintState *st, LintRel *r)
{
	if (r->created || (r->exists && r->bytes == 0))
		return;
	if (!st->lock_timeout_set && !st->timeout_reported && sm_lock_timeout <= 0)
	{
		st->timeout_reported = true;
		lint_report(st, "require-timeout-settings", -1,
					psprintf("statement locks %s without a lock_timeout; while it waits for its lock, every other query on the table queues behind it",
							 r->name),
					"Start the migration with SET lock_timeout = '2s' (and a statement_timeout), or set schemamig.lock_timeout, and retry on timeout.");
	}
	if (!st->statement_timeout_set && !st->statement_timeout_reported &&
		sm_statement_timeout <= 0)
	{
		st->statement_timeout_reported = true;
		lint_report(st, "require-statement-timeout", -1,
					psprintf("statement locks %s without a statement_timeout; however long it runs, the table stays locked",
							 r->name),
					"Start the migration with SET statement_timeout = '5min' (a bound you accept for the lock), or set schemamig.statement_timeout.");
	}
}
