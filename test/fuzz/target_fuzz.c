/*-------------------------------------------------------------------------
 *
 * target_fuzz.c
 *	  libFuzzer harness for the revision target and history range parser
 *	  (src/common/target_parse.c).
 *
 * Beyond "no crash, no sanitizer report", it checks the parser's promises:
 * accepted names hold only [A-Za-z0-9_] and are at most 64 characters, an
 * absolute target always has a symbol, a relative one has steps within
 * range, and parsing is deterministic.  Build and run with test/fuzz/Makefile.
 *
 * test/fuzz/target_fuzz.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target_parse.h"

static void
check_name(const char *name, int present)
{
	size_t		len = strlen(name);
	size_t		i;

	if (!present)
	{
		if (len != 0)
			abort();
		return;
	}
	if (len == 0 || len > SM_TARGET_MAX_NAME)
		abort();
	for (i = 0; i < len; i++)
	{
		char		c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_'))
			abort();
	}
}

static void
check_target(const char *text)
{
	SmTargetSyntax a;
	SmTargetSyntax b;
	const char *err_a = sm_target_parse(text, &a);
	const char *err_b = sm_target_parse(text, &b);

	if ((err_a == NULL) != (err_b == NULL))
		abort();
	if (err_a != NULL)
		return;
	if (memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	check_name(a.label, a.has_label);
	check_name(a.symbol, a.has_symbol);
	if (!a.relative && !a.has_symbol)
		abort();
	if (a.relative && (a.steps > SM_TARGET_MAX_STEPS || a.steps < -SM_TARGET_MAX_STEPS))
		abort();
	if (!a.relative && a.steps != 0)
		abort();
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);
	char		lower[SM_TARGET_MAX_LEN + 1];
	char		upper[SM_TARGET_MAX_LEN + 1];

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	check_target(text);
	if (sm_range_split(text, lower, upper) == NULL)
	{
		if (strlen(lower) > SM_TARGET_MAX_LEN || strlen(upper) > SM_TARGET_MAX_LEN)
			abort();
		if (strchr(lower, ':') || strchr(upper, ':'))
			abort();
		if (lower[0])
			check_target(lower);
		if (upper[0])
			check_target(upper);
	}
	free(text);
	return 0;
}
