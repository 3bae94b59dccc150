/*-------------------------------------------------------------------------
 *
 * revfile_fuzz.c
 *	  libFuzzer target for the migration-file parser (src/common/revfile.c).
 *
 * Besides memory safety (run with AddressSanitizer), it checks a round trip:
 * a file that parses is written back with revfile_format(), and that text
 * must parse to the same revision.
 *
 *	  make -C test/fuzz -f revfile.mk run-revfile
 *
 * test/fuzz/revfile_fuzz.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "revfile.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
list_eq(const RevFileList *a, const RevFileList *b)
{
	int			i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *err = NULL;
	RevFile    *rf = revfile_parse("fuzz.sql", (const char *) data, size, &err);
	RevFile    *again;
	char	   *text;
	char	   *slug;

	if (rf == NULL)
	{
		/* every rejection carries a message naming the file */
		if (err == NULL || strncmp(err, "fuzz.sql", 8) != 0)
			abort();
		free(err);
		return 0;
	}
	if (!sm_valid_name(rf->id) || rf->upgrade_sql == NULL)
		abort();
	if (rf->upgrade_line < 1 || revfile_line_of(rf, true, strlen(rf->upgrade_sql)) < rf->upgrade_line)
		abort();
	slug = revfile_slug(rf->message, 40);
	if (slug == NULL || strlen(slug) > 40)
		abort();
	free(slug);

	text = revfile_format(rf);
	if (text == NULL)
		abort();
	again = revfile_parse("fuzz.sql", text, strlen(text), &err);
	if (again == NULL)
	{
		fprintf(stderr, "round trip failed: %s\n--- written:\n%s\n", err ? err : "?", text);
		abort();
	}
	if (!str_eq(rf->id, again->id) || !str_eq(rf->message, again->message) ||
		!list_eq(&rf->down, &again->down) || !list_eq(&rf->labels, &again->labels) ||
		!list_eq(&rf->depends, &again->depends) ||
		rf->transactional != again->transactional ||
		rf->irreversible != again->irreversible ||
		!str_eq(rf->upgrade_sql, again->upgrade_sql) ||
		!str_eq(rf->downgrade_sql, again->downgrade_sql))
	{
		fprintf(stderr, "round trip changed the revision\n--- written:\n%s\n", text);
		abort();
	}
	free(text);
	revfile_free(again);
	revfile_free(rf);
	return 0;
}
