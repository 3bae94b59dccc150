/*-------------------------------------------------------------------------
 *
 * fe_elog.c
 *	  ereport() for the client build of src/common (sm_common.h): the
 *	  parts of one error are collected and handed to sm_fe_error_hook.
 *
 * The server build compiles nothing here.
 *
 * src/common/fe_elog.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#ifdef FRONTEND

#include <stdarg.h>

static void default_error_hook(int elevel, int sqlerrcode, const char *message,
							   const char *detail, const char *hint);

SmFeErrorHook sm_fe_error_hook = default_error_hook;

static int	err_level;
static int	err_code;
static char *err_message;
static char *err_detail;
static char *err_hint;

static void
default_error_hook(int elevel, int sqlerrcode, const char *message,
				   const char *detail, const char *hint)
{
	fprintf(stderr, "%s: %s\n", elevel >= ERROR ? "error" : "warning", message);
	if (detail)
		fprintf(stderr, "DETAIL: %s\n", detail);
	if (hint)
		fprintf(stderr, "HINT: %s\n", hint);
	if (elevel >= ERROR)
		exit(1);
}

static char *format_va(const char *fmt, va_list args) pg_attribute_printf(1, 0);

/* formats fmt/args into a palloc'd string */
static char *
format_va(const char *fmt, va_list args)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (;;)
	{
		va_list		copy;
		int			needed;

		va_copy(copy, args);
		needed = appendStringInfoVA(&buf, fmt, copy);
		va_end(copy);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	return buf.data;
}

void
sm_fe_errstart(int elevel)
{
	err_level = elevel;
	err_code = 0;
	err_message = NULL;
	err_detail = NULL;
	err_hint = NULL;
}

void
sm_fe_errfinish(void)
{
	sm_fe_error_hook(err_level, err_code,
					 err_message ? err_message : "unknown error",
					 err_detail, err_hint);
	/* the hook must not return from an error */
	if (err_level >= ERROR)
		exit(1);
}

void
sm_fe_elog(int elevel, const char *fmt,...)
{
	va_list		args;

	sm_fe_errstart(elevel);
	va_start(args, fmt);
	err_message = format_va(fmt, args);
	va_end(args);
	err_code = ERRCODE_INTERNAL_ERROR;
	sm_fe_errfinish();
	exit(1);					/* not reached unless elevel < ERROR */
}

int
errcode(int sqlerrcode)
{
	err_code = sqlerrcode;
	return 0;
}

int
errmsg(const char *fmt,...)
{
	va_list		args;

	va_start(args, fmt);
	err_message = format_va(fmt, args);
	va_end(args);
	return 0;
}

int
errdetail(const char *fmt,...)
{
	va_list		args;

	va_start(args, fmt);
	err_detail = format_va(fmt, args);
	va_end(args);
	return 0;
}

int
errhint(const char *fmt,...)
{
	va_list		args;

	va_start(args, fmt);
	err_hint = format_va(fmt, args);
	va_end(args);
	return 0;
}

#endif							/* FRONTEND */
