/*-------------------------------------------------------------------------
 *
 * sm_common.h
 *	  The first include of every src/common file that needs more than libc:
 *	  postgres.h in the server library, postgres_fe.h in the client
 *	  (FRONTEND), as PostgreSQL's own src/common does.
 *
 * The code here uses palloc, List, StringInfo and ereport alike on both
 * sides.  palloc and StringInfo come from libpgcommon in the client
 * (fe_memutils, stringinfo); List and ereport have no frontend version in
 * PostgreSQL, so fe_list.c and fe_elog.c provide the few functions this
 * code calls, compiled into the client only.  CHECK_FOR_INTERRUPTS is a
 * no-op there.
 *
 * src/common/sm_common.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_COMMON_H
#define SM_COMMON_H

#ifndef FRONTEND

#include "postgres.h"
#include "miscadmin.h"

#else							/* FRONTEND */

#include "postgres_fe.h"

#define CHECK_FOR_INTERRUPTS()	((void) 0)

/* error levels: WARNING returns, ERROR never does */
#define WARNING		19
#define ERROR		21

/* SQLSTATE codes, encoded as the server does (utils/elog.h) */
#define PGSIXBIT(ch)	(((ch) - '0') & 0x3F)
#define PGUNSIXBIT(val) (((val) & 0x3F) + '0')
#define MAKE_SQLSTATE(ch1,ch2,ch3,ch4,ch5)	\
	(PGSIXBIT(ch1) + (PGSIXBIT(ch2) << 6) + (PGSIXBIT(ch3) << 12) + \
	 (PGSIXBIT(ch4) << 18) + (PGSIXBIT(ch5) << 24))
#include "utils/errcodes.h"

/*
 * ereport(elevel, errcode(...), errmsg(...), errdetail(...), errhint(...))
 * collects the parts and hands them to sm_fe_error_hook (fe_elog.c), which
 * reports them, and for ERROR exits.
 */
#define ereport(elevel, ...)	\
	do { \
		sm_fe_errstart(elevel); \
		__VA_ARGS__; \
		sm_fe_errfinish(); \
		if ((elevel) >= ERROR) \
			pg_unreachable(); \
	} while (0)
#define elog(elevel, ...)	sm_fe_elog(elevel, __VA_ARGS__)

extern void sm_fe_errstart(int elevel);
extern void sm_fe_errfinish(void);
extern pg_attribute_noreturn() void sm_fe_elog(int elevel, const char *fmt,...) pg_attribute_printf(2, 3);
extern int	errcode(int sqlerrcode);
extern int	errmsg(const char *fmt,...) pg_attribute_printf(1, 2);
extern int	errdetail(const char *fmt,...) pg_attribute_printf(1, 2);
extern int	errhint(const char *fmt,...) pg_attribute_printf(1, 2);

/*
 * What the client does with an error or warning of the shared code: report
 * it, and for an ERROR exit (the hook must not return then).  The default
 * prints "error: ..." (or "warning: ...") lines to stderr and exits 1.
 */
typedef void (*SmFeErrorHook) (int elevel, int sqlerrcode, const char *message,
							   const char *detail, const char *hint);
extern SmFeErrorHook sm_fe_error_hook;

#endif							/* FRONTEND */

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

#endif							/* SM_COMMON_H */
