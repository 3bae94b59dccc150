/*-------------------------------------------------------------------------
 *
 * lockwait.h
 *	  Lock timeouts that keep the application running: what a timed-out
 *	  lock wait was blocked by, the backoff between retries, and the one
 *	  retry-or-give-up decision shared by upgrade(), upgrade_each and
 *	  backfill (lockwait.c).
 *
 * src/apply/lockwait.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_LOCKWAIT_H
#define SM_LOCKWAIT_H

#include "postgres.h"

/*
 * sm_lockwait_capture: call in a PG_CATCH block of a statement armed with
 * sm_lockwait_arm (it disarms it).  When the error being handled is a lock
 * timeout, it remembers the lock the statement was queued for.
 */
extern void sm_lockwait_capture(void);

/*
 * sm_lockwait_arm: a migration statement starts under lock_timeout; note
 * the lock it waits for shortly before the timeout would fire.
 * sm_lockwait_disarm: it ended.
 */
extern void sm_lockwait_arm(void);
extern void sm_lockwait_disarm(void);

/* forget the lock remembered by sm_lockwait_capture */
extern void sm_lockwait_forget(void);

/*
 * sm_lockwait_describe: "Blocked by pid N (...) ..." for the lock last
 * captured, from pg_locks and pg_stat_activity as they are now; palloc'd.
 * SPI must be connected.
 */
extern char *sm_lockwait_describe(void);

/* what was waited for: "relation public.t", "transaction 1234", ... */
extern char *sm_lockwait_object(void);

/* milliseconds to wait before retry number "attempt" (1, 2, ...) */
extern int	sm_backoff_ms(int attempt);

/* an interruptible sleep */
extern void sm_backoff_sleep(int ms);

/*
 * sm_lock_retry: "subject" ("revision abc") failed its attempt number
 * "attempt" (1-based) on a lock timeout, and everything it locked has been
 * rolled back.  If retries remain (schemamig.lock_retries), announces the
 * retry in a NOTICE naming the blocker (plus "detail", may be NULL) and
 * sleeps the backoff; otherwise raises lock_not_available naming the
 * blocking session.  SPI must be connected.
 */
extern void sm_lock_retry(const char *subject, int attempt, const char *detail);

/*
 * sm_lock_give_up: raise the final lock_not_available error for "subject"
 * after "attempts" attempts; "hint" overrides the default hint when not
 * NULL.  SPI must be connected.
 */
extern void sm_lock_give_up(const char *subject, int attempts, const char *hint) pg_attribute_noreturn();

/*
 * sm_blocking_lock_held: the first relation on which this transaction holds
 * a lock that blocks application reads or writes (SHARE or stronger), as
 * "schema.table" (palloc'd), or NULL.  Temporary tables do not count.  SPI
 * must be connected.
 */
extern char *sm_blocking_lock_held(void);

#endif							/* SM_LOCKWAIT_H */
