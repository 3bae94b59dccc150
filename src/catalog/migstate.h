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

#endif							/* SM_MIGSTATE_H */
