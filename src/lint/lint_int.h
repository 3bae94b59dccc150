/*-------------------------------------------------------------------------
 *
 * lint_int.h
 *	  What the files of lint() share: the state of one run, the facts about
 *	  a table, and the helpers each rule family calls.
 *
 * lint_rules.c: rule table, reporting, catalog facts (sizes), timeouts;
 * lint_types.c: column types, expressions, CHECK facts, review() checks;
 * lint_table.c: CREATE TABLE and ALTER TABLE;
 * lint_stmt.c: every other statement (the dispatch switch);
 * lint_text.c: what is read from the SQL text (identifiers, statement
 * boundaries, suppression comments) and the lint_sql() driver.
 *
 * src/lint/lint_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_LINT_INT_H
#define SM_LINT_INT_H

#include "nodes/parsenodes.h"

#include "lint.h"

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
	bool		lock_timeout_set;	/* SET lock_timeout earlier in the SQL */
	bool		timeout_reported;	/* require-timeout-settings was reported */
	bool		statement_timeout_set;
	bool		statement_timeout_reported;
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


/* lint_rules.c */
extern void lint_add(LintState *st, const char *rule, LintSeverity severity,
					 int location, char *message, const char *hint);
extern void lint_report(LintState *st, const char *rule, int location,
						char *message, const char *hint);
extern char *lint_rv_name(RangeVar *rv);
extern bool lint_rv_in(List *list, RangeVar *rv);
extern Oid	lint_rv_relid(RangeVar *rv);
extern void lint_rel(LintState *st, RangeVar *rv, LintRel *r);
extern char *lint_size_text(LintRel *r);
extern void lint_report_sized(LintState *st, const char *rule, LintRel *r,
							  int location, const char *what, const char *hint);
extern void lint_need_timeout(LintState *st, LintRel *r);

/* lint_types.c */
extern const char *lint_type_name(TypeName *tn);
extern void lint_column_type(LintState *st, ColumnDef *cd, bool is_key);
extern bool lint_nonrewriting_type_change(Oid relid, const char *colname,
										  TypeName *newt);
extern bool lint_volatile_walker(Node *node, void *context);
extern char *lint_notnull_test_column(Node *expr);
extern bool lint_has_notnull_check(Oid relid, const char *colname);
extern List *lint_constraint_notnull_columns(Oid relid, const char *conname);
extern char *lint_paren_text(const char *sql, int from);
extern LintDataCheck *lint_new_check(LintState *st, LintCheckKind kind,
									 RangeVar *rv, Oid relid, int location);
extern List *lint_names(List *strings);

/* lint_table.c */
extern void lint_table_schema(LintState *st, RangeVar *rel);
extern void lint_create_table(LintState *st, CreateStmt *cs);
extern void lint_alter_table(LintState *st, AlterTableStmt *ats);

/* lint_stmt.c */
extern void lint_statement(LintState *st, Node *stmt);

/* lint_text.c */
extern bool lint_list_member_str(List *list, const char *s);

#endif							/* SM_LINT_INT_H */
