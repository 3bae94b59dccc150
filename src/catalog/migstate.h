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

extern void sm_migration_set(bool running);
extern bool sm_migration_running(void);
extern bool sm_migration_in_progress(void);
extern void sm_migration_set_statement(const char *sql);
extern const char *sm_migration_statement(void);

/* GUC schemamig.offline_script: set by the offline scripts */
extern bool sm_offline_script;

#endif							/* SM_MIGSTATE_H */
