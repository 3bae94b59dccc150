/*-------------------------------------------------------------------------
 *
 * subxact.h
 *	  Internal subtransactions that restore the caller's memory context and
 *	  resource owner (src/catalog/subxact.c), for every subsystem.
 *
 * src/catalog/subxact.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_SUBXACT_H
#define SM_SUBXACT_H

#include "utils/elog.h"

/*
 * subxact.c: a stack of internal subtransactions.  commit and rollback act
 * on the innermost one; sm_subxact_unwind rolls back every one above
 * "depth" (on the way out of an error).
 */
extern void sm_subxact_begin(void);
extern void sm_subxact_commit(void);
extern void sm_subxact_rollback(void);
extern int	sm_subxact_depth(void);
extern void sm_subxact_unwind(int depth);
extern ErrorData *sm_subxact_abort_caught(void);
extern bool sm_bounded_count(const char *query, int timeout_ms,
							 void (*pin) (const char *query), int64 *count,
							 ErrorData **edata, bool *timed_out);

#endif							/* SM_SUBXACT_H */
