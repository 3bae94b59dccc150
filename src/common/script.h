/*-------------------------------------------------------------------------
 *
 * script.h
 *	  Offline migration scripts and the checks of a plan of steps, shared
 *	  by the server and the client (script.c).
 *
 * src/common/script.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_SCRIPT_H
#define SM_SCRIPT_H

#include "graph.h"

extern char *sm_quote_literal(const char *s);
extern char *sm_join_ids(List *ids);

/*
 * Refuse, before anything runs, a plan that cannot be run here: a
 * downgrade through an irreversible revision, and (when "online") a
 * revision that must run outside a transaction block.
 */
extern void sm_check_steps(List *steps, bool online);

/* the psql script that runs "steps" from version-table state "heads" */
extern char *sm_script_build(SmGraph *g, List *heads, List *steps,
							   const char *target, bool upgrade);

#endif							/* SM_SCRIPT_H */
