/*-------------------------------------------------------------------------
 *
 * sm_citus.h
 *	  Citus awareness (citus.c): worker refusal, per-call and per-revision
 *	  settings on the workers, shard recognition, distributed sizes, shard drift.
 *
 * src/catalog/sm_citus.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_CITUS_H
#define SM_CITUS_H

#include "nodes/pg_list.h"

/* settings of one revision run that must be put back on the workers */
typedef struct SmCitusRun
{
	bool		active;			/* Citus is installed */
	List	   *names;			/* setting names */
	List	   *values;			/* their values before the revision */
} SmCitusRun;

/* one migration call's settings, here and on the workers (sm_citus_call_begin) */
typedef struct SmCitusCall
{
	bool		active;			/* Citus is installed */
	int			nestlevel;		/* the call's GUC nest level */
	char	   *restore;		/* the caller's lock_timeout, or NULL: none sent */
} SmCitusCall;

extern bool sm_citus_present(void);
extern void sm_citus_require_coordinator(void);
extern bool sm_citus_shard_name(const char *relname);
extern void sm_citus_revision_begin(SmCitusRun *run, List *stmts,
									const char *lock_timeout);
extern void sm_citus_revision_end(SmCitusRun *run);
extern void sm_citus_call_begin(SmCitusCall *call, List *stmts,
								const char *lock_timeout);
extern void sm_citus_call_end(SmCitusCall *call);
extern void sm_citus_call_abandon(SmCitusCall *call);
extern int64 sm_citus_relation_size(Oid relid, bool exact, double *rows);
extern List *sm_citus_shard_differences(void);

#endif							/* SM_CITUS_H */
