/*-------------------------------------------------------------------------
 *
 * pg_schemamig.h
 *	  Declarations shared by the pg_schemamig server library: catalog names,
 *	  GUC variables, SPI helpers, checksums, locking and statement splitting.
 *
 * The revision-graph interface lives in graph.h.
 *
 * src/catalog/pg_schemamig.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PG_SCHEMAMIG_H
#define PG_SCHEMAMIG_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/nodes.h"
#include "nodes/pg_list.h"
#include "utils/array.h"

#include "names.h"			/* id and label syntax, lock keys */

/* Catalog schema; every query names it explicitly. */
#define SM_SCHEMA				"schemamig"

/* lint_on_upgrade values */
typedef enum SmLintMode
{
	SM_LINT_OFF,
	SM_LINT_WARNING,
	SM_LINT_ERROR
}			SmLintMode;

/*
 * Defaults of schemamig.lock_timeout (ms) and schemamig.lock_retries: an
 * application query waits at most about half a second behind a migration,
 * and eleven attempts with backoff span about a minute.
 */
#define SM_DEFAULT_LOCK_TIMEOUT	500
#define SM_DEFAULT_LOCK_RETRIES	10

/*
 * A table from this size on is not small: lint reports a lock held while
 * it is scanned or rewritten above info, and diff adds a CHECK or FOREIGN
 * KEY to it NOT VALID plus a VALIDATE that commits on its own.
 */
#define SM_SMALL_TABLE_BYTES	((int64) 1024 * 1024)

/* GUC variables (pg_schemamig.c) */
extern int	sm_lock_timeout;
extern int	sm_statement_timeout;
extern int	sm_lock_retries;
extern char *sm_tracked_schemas;
extern int	sm_lint_on_upgrade;
extern int	sm_max_rewrite_size;
extern bool sm_progress;

/*
 * SQLSTATE of the progress notices sent with schemamig.progress on: a
 * revision starts ("Running upgrade a -> b, message"), upgrade_each retries
 * a lock.  Class 00 (successful completion), implementation subclass.
 */
#define SM_PROGRESS_SQLSTATE	MAKE_SQLSTATE('0','0','S','M','1')

/* whether pg_schemamig runs migration DDL now (migstate.c) */
#include "migstate.h"

/* spi_util.c */
struct _SPI_plan;
extern void sm_spi_connect(void);
extern void sm_spi_finish(void);
extern uint64 sm_spi_exec(const char *sql, int expected, int nargs,
						  Oid *argtypes, Datum *values, const char *nulls);
extern uint64 sm_spi_exec_plan(struct _SPI_plan *plan, const char *what, int expected,
							   Datum *values, const char *nulls);
extern char *sm_spi_getstr(uint64 row, int col);
extern bool sm_spi_getbool(uint64 row, int col, bool *isnull);
extern List *sm_spi_gettextarray(uint64 row, int col);
extern Datum sm_text_array_datum(List *strings);
extern List *sm_text_array_to_list(ArrayType *arr, const char *argname);
extern char *sm_target_arg(FunctionCallInfo fcinfo);
extern bool sm_string_lists_equal(List *a, List *b);
extern void sm_check_catalog_writable(void);

/* guard.c: the catalog lock, the owner's rights, the nested-call refusal */
extern void sm_lock_catalog(void);
extern bool sm_lock_catalog_ext(bool session, bool nowait);
extern void sm_unlock_catalog_session(void);
extern void sm_refuse_inside_revision(const char *function);
extern Oid	sm_extension_owner(void);
extern uint64 sm_spi_exec_owner(const char *sql, int expected, int nargs,
								Oid *argtypes, Datum *values, const char *nulls);
extern uint64 sm_spi_exec_plan_owner(struct _SPI_plan *plan, const char *what,
									 int expected, Datum *values,
									 const char *nulls);
extern Datum sm_caller_name_datum(void);

/* what identifies the revision table's content in a snapshot (guard.c) */
typedef struct SmCatalogStamp
{
	int64		generation;		/* schemamig.state.generation */
	TransactionId xmin;			/* the xmin of that row version */
} SmCatalogStamp;
extern bool sm_catalog_stamp(SmCatalogStamp *stamp);

/* tokens, statements and checksums: sqltoken.h (src/common) */
#include "sqltoken.h"

/* sqlsplit.c: why a statement can never be part of a revision */
typedef struct SmRefusal
{
	int			sqlstate;
	const char *message;
	const char *hint;
} SmRefusal;

/* sqlsplit.c: one parsed statement of a revision's SQL */
typedef struct SmStatement
{
	char	   *sql;			/* text of the statement alone */
	int			location;		/* byte offset in the revision's SQL */
	int			length;			/* byte length in the revision's SQL */
	NodeTag		tag;			/* node tag of the raw statement */
	bool		nontransactional;	/* cannot run inside a transaction block */
	const SmRefusal *refusal;	/* never allowed in a revision, or NULL */
} SmStatement;

extern void sm_parse_error_callback(void *arg);
extern List *sm_split_sql(const char *sql);
extern List *sm_split_sql_cached(const char *sql);
extern bool sm_sql_is_nontransactional(const char *sql);
extern void sm_check_statement(const SmStatement *st, int n, const char *id,
							   const char *direction);

/* ids (the syntax itself: names.h) */
extern void sm_check_id(const char *id, const char *what);

#endif							/* PG_SCHEMAMIG_H */
