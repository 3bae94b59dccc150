/*-------------------------------------------------------------------------
 *
 * lint.h
 *	  Safety review of migration SQL: lint(), review(), the lint_on_upgrade
 *	  hook called by upgrade(), and the table_rewrite guard.
 *
 * lint.c holds the SQL-callable functions, the upgrade() hook and
 * review() (its reversibility findings and the data checks it runs);
 * lint_text.c parses the SQL (lint_sql) and reads identifiers and
 * suppression comments from its text; the rules live in one file per
 * family (lint_rules.c, lint_types.c, lint_table.c, lint_stmt.c; see
 * lint_int.h); rewrite_guard.c is the table_rewrite event trigger.
 *
 * src/lint/lint.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_LINT_H
#define SM_LINT_H

#include "postgres.h"

#include "nodes/pg_list.h"

typedef enum LintSeverity
{
	LINT_INFO,
	LINT_WARNING,
	LINT_ERROR
} LintSeverity;

/* One finding of lint(). */
typedef struct LintFinding
{
	LintSeverity severity;
	const char *rule;			/* rule id (static string) */
	int			statement;		/* 1-based statement number */
	int			location;		/* byte offset in the linted SQL */
	char	   *message;
	char	   *hint;
} LintFinding;

/* Kinds of data check review() runs against live rows. */
typedef enum LintCheckKind
{
	LINT_CHECK_NOT_NULL,		/* SET NOT NULL: rows with NULL */
	LINT_CHECK_UNIQUE,			/* UNIQUE / PRIMARY KEY / unique index */
	LINT_CHECK_FOREIGN_KEY,		/* FOREIGN KEY: orphans */
	LINT_CHECK_CHECK,			/* CHECK: rows where the expression is false */
	LINT_CHECK_VALIDATE			/* VALIDATE CONSTRAINT of an existing one */
} LintCheckKind;

/* A data check collected while linting, run later by review(). */
typedef struct LintDataCheck
{
	LintCheckKind kind;
	int			statement;
	int			location;
	Oid			relid;			/* table whose rows are counted */
	List	   *columns;		/* column names (char *) */
	Oid			refrelid;		/* FOREIGN KEY: referenced table */
	List	   *refcolumns;		/* FOREIGN KEY: referenced columns, or NIL */
	char	   *expr;			/* CHECK: expression text */
	char	   *conname;		/* VALIDATE: constraint name */
	bool		nulls_distinct; /* UNIQUE: NULLs never collide */
	bool		rows_changed;	/* an earlier statement changes the table's rows */
} LintDataCheck;

/* A rule's static description (lint_rules.c). */
typedef struct LintRuleDef
{
	const char *id;
	LintSeverity severity;		/* default severity */
	const char *summary;
} LintRuleDef;

extern const LintRuleDef lint_rule_defs[];
extern const int lint_rule_count;

/* lint_rules.c */
extern const char *lint_severity_name(LintSeverity severity);
extern bool lint_rule_exists(const char *id);

/* lint_text.c */
extern List *lint_sql(const char *sql, List **checks);
extern int	lint_statement_start(const char *sql, int pos, int end);
extern void lint_sort_findings(List *findings);

/* lint.c */
extern void sm_lint_before_upgrade(const char *revision_id, const char *upgrade_sql);

/*
 * rewrite_guard.c: when set (dry_run does, around each statement), called
 * for every table_rewrite event with the table about to be rewritten.
 */
extern void (*sm_rewrite_observer) (Oid relid);

/* review_safety.c */
extern bool sm_review_query_is_safe(const char *query, char **why);

#endif							/* SM_LINT_H */
