/*-------------------------------------------------------------------------
 *
 * apply.h
 *	  Running revisions in the server (apply.c), shared with offline.c and
 *	  planstep.c.
 *
 * src/apply/apply.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_APPLY_H
#define SM_APPLY_H

#include "funcapi.h"
#include "utils/tuplestore.h"

#include "graph.h"

extern char *sm_join_ids(List *ids);
extern void sm_check_steps(List *steps, bool online);
extern void sm_run_revision_sql(const SmRevision *rev, bool upgrade);
extern void sm_load_revision_sql(SmRevision *rev);
extern void sm_lock_for_migration(void);
extern List *sm_apply_steps(SmGraph *g, List *heads, List *steps, List *afters,
							Tuplestorestate *ts, TupleDesc td);

#endif							/* SM_APPLY_H */
