/*-------------------------------------------------------------------------
 *
 * migstate.h
 *	  Whether pg_schemamig itself is running migration DDL in this backend
 *	  (migstate.c).
 *
 * src/catalog/migstate.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_MIGSTATE_H
#define SM_MIGSTATE_H

#include "nodes/nodes.h"

extern void sm_migration_set(bool running);
extern bool sm_migration_running(void);
extern bool sm_migration_in_progress(void);
extern void sm_migration_set_statement(const char *sql);
extern const char *sm_migration_statement(void);

/* the utility statements in progress (fed by planstep.c's hook) */
extern void sm_utility_enter(NodeTag tag, int executor_depth, bool toplevel);
extern void sm_utility_exit(void);
extern void sm_statement_start(void);
extern bool sm_utility_is_internal(void);

/* GUC schemamig.offline_script: set by the offline scripts */
extern bool sm_offline_script;

/*
 * sm_revision_depth counts the revisions whose SQL is running in this
 * backend (apply.c); sm_plan_step_open is true while a plan step is open
 * (planstep.c).  Mutating calls are refused while either is set (guard.c).
 */
extern int	sm_revision_depth;
extern bool sm_plan_step_open;

/* GUC schemamig.allow_drop_extension (guard.c's DROP EXTENSION guard) */
extern bool sm_allow_drop_extension;

/*
 * The utility command now running (the innermost), as the ProcessUtility
 * hook (planstep.c) saw it: its query string, where the command lies in it
 * and its parse tree.  query is NULL outside any command the hook saw.  The
 * drift log stores that command alone (drift_statement.c).
 */
typedef struct SmCurrentUtility
{
	const char *query;
	int			location;
	int			length;
	struct Node *stmt;
} SmCurrentUtility;
extern SmCurrentUtility sm_current_utility;

#endif							/* SM_MIGSTATE_H */
