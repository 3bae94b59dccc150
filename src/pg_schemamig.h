/*-------------------------------------------------------------------------
 *
 * pg_schemamig.h
 *	  Declarations shared by the pg_schemamig server library: catalog names,
 *	  GUC variables, SPI helpers, checksums, locking and statement splitting.
 *
 * The revision-graph interface lives in graph.h.
 *
 * src/pg_schemamig.h
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

/* Catalog schema; every query names it explicitly. */
#define SM_SCHEMA				"schemamig"

/* Checksum algorithm tag, stored with every checksum; never changes silently. */
#define SM_CHECKSUM_ALGORITHM	"pgtok-sha256-v1"

/* Maximum length of a revision id (also checked by the catalog). */
#define SM_MAX_ID_LEN			64

/* lint_on_upgrade values */
typedef enum SmLintMode
{
	SM_LINT_OFF,
	SM_LINT_WARNING,
	SM_LINT_ERROR
}			SmLintMode;

/* GUC variables (pg_schemamig.c) */
extern int	sm_lock_timeout;
extern int	sm_statement_timeout;
extern int	sm_lock_retries;
extern char *sm_tracked_schemas;
extern int	sm_lint_on_upgrade;
extern int	sm_max_rewrite_size;

/*
 * True while pg_schemamig itself runs migration DDL in this backend.  Reset
 * at transaction end.  The drift triggers ask sm_migration_in_progress(),
 * which also covers offline scripts (GUC schemamig.offline_script).
 */
extern bool sm_running_migration;
extern bool sm_offline_script;

/*
 * sm_revision_depth counts the revisions whose SQL is running in this
 * backend (apply.c); sm_plan_step_open is true while a plan step is open
 * (planstep.c).  Mutating calls are refused while either is set.
 */
/*
 * The utility command now running (the innermost), as the ProcessUtility
 * hook (planstep.c) saw it: its query string, where the command lies in it
 * and its parse tree.  query is NULL outside any command the hook saw.
 */
typedef struct SmCurrentUtility
{
	const char *query;
	int			location;
	int			length;
	Node	   *stmt;
} SmCurrentUtility;
extern SmCurrentUtility sm_current_utility;

extern int	sm_revision_depth;
extern bool sm_plan_step_open;
extern bool sm_allow_drop_extension;
extern bool sm_migration_in_progress(void);

/* spi_util.c */
extern void sm_spi_connect(void);
extern void sm_spi_finish(void);
extern uint64 sm_spi_exec(const char *sql, int expected, int nargs,
						  Oid *argtypes, Datum *values, const char *nulls);
extern char *sm_spi_getstr(uint64 row, int col);
extern bool sm_spi_getbool(uint64 row, int col, bool *isnull);
extern List *sm_spi_gettextarray(uint64 row, int col);
extern Datum sm_text_array_datum(List *strings);
extern List *sm_text_array_to_list(ArrayType *arr, const char *argname);
extern void sm_check_catalog_writable(void);

/* guard.c */
struct _SPI_plan;
extern void sm_lock_catalog(void);
extern void sm_session_lock(bool acquire);
extern void sm_refuse_inside_revision(void);
extern Oid	sm_extension_owner(void);
extern uint64 sm_spi_exec_owner(const char *sql, int expected, int nargs,
								Oid *argtypes, Datum *values, const char *nulls);
extern int	sm_spi_execute_plan_owner(struct _SPI_plan *plan, Datum *values,
									  const char *nulls);
extern Datum sm_caller_name_datum(void);

/* checksum.c */
extern char *sm_checksum(const char *upgrade_sql, const char *downgrade_sql,
						 bool transactional);

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
extern bool sm_sql_is_nontransactional(const char *sql);
extern void sm_check_statement(const SmStatement *st, int n, const char *id,
							   const char *direction);

/* ids */
extern bool sm_valid_id(const char *id);
extern void sm_check_id(const char *id, const char *what);

#endif							/* PG_SCHEMAMIG_H */
