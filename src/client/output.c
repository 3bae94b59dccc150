/*-------------------------------------------------------------------------
 *
 * output.c
 *	  The client's own output policy on top of libpgcommon's pg_log_*:
 *	  progress lines on stdout (quiet with --quiet) and extra information
 *	  on stderr (with --verbose), the string list helper, and reading a
 *	  whole file.
 *
 * Errors, warnings, details and hints are pg_log_error() and friends
 * (common/logging.h), set up in main().
 *
 * src/client/output.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres_fe.h"

#include <stdarg.h>

#include "client.h"

/* Progress lines on stdout, unless --quiet (answers use printf). */
void
log_info(const char *fmt,...)
{
	va_list		ap;

	if (opts.quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Extra progress on stderr with --verbose: "pg_schemamig: info: ..." */
void
log_verbose(const char *fmt,...)
{
	va_list		ap;

	if (!opts.verbose)
		return;
	fflush(stdout);
	fprintf(stderr, "pg_schemamig: info: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* list_append adds a copy of "s" to "l". */
void
list_append(RevFileList *l, const char *s)
{
	l->items = pg_realloc(l->items, sizeof(char *) * (l->n + 1));
	l->items[l->n++] = pg_strdup(s);
}

/*
 * read_whole_file returns the text of a file (malloc'd, NUL-terminated), or
 * NULL with errno set when it cannot be opened or read.
 */
char *
read_whole_file(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf;
	size_t		n = 0,
				cap = 8192;
	int			save_errno;

	if (f == NULL)
		return NULL;
	buf = pg_malloc(cap);
	while (!feof(f) && !ferror(f))
	{
		if (n + 4096 > cap)
			buf = pg_realloc(buf, cap *= 2);
		n += fread(buf + n, 1, 4096, f);
	}
	if (ferror(f))
	{
		save_errno = errno;
		fclose(f);
		free(buf);
		errno = save_errno;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}
