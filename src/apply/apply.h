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
#include "pg_schemamig.h"
#include "script.h"			/* sm_join_ids, sm_check_steps */

extern void sm_run_revision_sql(const SmRevision *rev, bool upgrade);

/*
 * Hooks of sm_run_revision_sql_hooked (verify and dry_run): "replace" may
 * return the text to run instead of a statement (NULL: run it as written;
 * "" skips it); "before"/"after" bracket each statement that runs ("after"
 * gets SPI_processed).  Statement numbers start at 1.  Any hook may be NULL.
 */
typedef struct SmRunHooks
{
	const char *(*replace) (void *arg, int stmt_no, const SmStatement *st);
	void		(*before) (void *arg, int stmt_no, const SmStatement *st);
	void		(*after) (void *arg, int stmt_no, const SmStatement *st,
						  uint64 processed);
	void	   *arg;
} SmRunHooks;

extern void sm_run_revision_sql_hooked(const SmRevision *rev, bool upgrade,
									   const SmRunHooks *hooks);
extern void sm_load_revision_sql(SmRevision *rev);
extern void sm_lock_for_migration(void);
extern List *sm_apply_steps(SmGraph *g, List *heads, List *steps, List *afters,
							Tuplestorestate *ts, TupleDesc td);

#endif							/* SM_APPLY_H */
