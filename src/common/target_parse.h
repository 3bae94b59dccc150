/*-------------------------------------------------------------------------
 *
 * target_parse.h
 *	  Syntax of revision targets and history ranges (Alembic's grammar),
 *	  without any knowledge of a revision graph.
 *
 * This file depends on libc only: it is compiled into the server library,
 * into the command-line client and into a libFuzzer harness.
 *
 *	target  := [NAME '@'] NAME					absolute: head, heads, base, an
 *												id, an id prefix or a label
 *			 | [NAME '@'] [NAME] ('+'|'-') DIGITS	relative
 *	range	:= [target] ':' [target]			surrounding blanks ignored
 *	NAME	:= [A-Za-z0-9_]{1,64}
 *
 * src/common/target_parse.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_TARGET_PARSE_H
#define SM_TARGET_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

/* longest NAME: a revision id or label (names.h) */
#define SM_TARGET_MAX_NAME		SM_MAX_ID_LEN
/* longest target or range text accepted at all */
#define SM_TARGET_MAX_LEN		200
/* largest N in +N / -N */
#define SM_TARGET_MAX_STEPS		999999999

typedef struct SmTargetSyntax
{
	bool		relative;		/* the +N / -N form */
	bool		has_label;		/* NAME '@' given */
	bool		has_symbol;		/* always true for absolute targets */
	char		label[SM_TARGET_MAX_NAME + 1];	/* "" unless has_label */
	char		symbol[SM_TARGET_MAX_NAME + 1]; /* "" unless has_symbol */
	int			steps;			/* signed N of a relative target */
} SmTargetSyntax;

/*
 * Parse "text" into "out".  Returns NULL on success, else a static message
 * (lower case, no period) describing what is wrong.
 */
extern const char *sm_target_parse(const char *text, SmTargetSyntax *out);

/*
 * Split a history range "lower:upper" (blanks around it ignored) into its
 * two sides, copied into lower/upper (each SM_TARGET_MAX_LEN + 1 bytes);
 * an empty side is "".  Returns NULL on success, else a static message.
 * The sides are not parsed; callers pass non-empty ones to sm_target_parse.
 */
extern const char *sm_range_split(const char *text, char *lower, char *upper);

#endif							/* SM_TARGET_PARSE_H */
