/*-------------------------------------------------------------------------
 *
 * target_parse.c
 *	  Syntax of revision targets and history ranges; see target_parse.h.
 *
 * Alembic recognises relative targets with a regular expression anchored at
 * the start only, so "abc+1junk" is relative there; this parser is stricter
 * and rejects anything that is not one whole target, and it accepts only the
 * characters revision ids and branch labels may contain.  Meaning (head,
 * heads, base, prefixes, labels) is decided by the graph code in target.c.
 *
 * Depends on libc only (no backend headers): see target_parse.h.
 *
 * src/common/target_parse.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "names.h"
#include "target_parse.h"

/*
 * scan_name copies the NAME starting at *p into buf (SM_TARGET_MAX_NAME + 1
 * bytes) and advances *p past it.  Returns the name's length (0 when *p does
 * not start a name) or -1 when it is too long.
 */
static int
scan_name(const char **p, char *buf)
{
	const char *s = *p;
	size_t		len = 0;

	while (sm_name_char(s[len]))
	{
		if (len >= SM_TARGET_MAX_NAME)
			return -1;
		len++;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	*p = s + len;
	return (int) len;
}

const char *
sm_target_parse(const char *text, SmTargetSyntax *out)
{
	const char *p = text;
	const char *at;
	int			len;

	memset(out, 0, sizeof(SmTargetSyntax));
	if (text == NULL || *text == '\0')
		return "empty target";
	if (strlen(text) > SM_TARGET_MAX_LEN)
		return "target is too long";

	/* optional NAME '@' */
	at = strchr(text, '@');
	if (at != NULL)
	{
		if (strchr(at + 1, '@') != NULL)
			return "more than one \"@\" in target";
		len = scan_name(&p, out->label);
		if (len < 0)
			return "branch label or revision before \"@\" is too long";
		if (len == 0 || p != at)
			return "expected a branch label or revision before \"@\"";
		out->has_label = true;
		p = at + 1;
	}

	/* optional NAME (required unless a relative step follows) */
	len = scan_name(&p, out->symbol);
	if (len < 0)
		return "revision or symbol is too long";
	out->has_symbol = (len > 0);

	if (*p == '\0')
	{
		if (!out->has_symbol)
			return "expected a revision, \"head\", \"heads\" or \"base\"";
		return NULL;
	}

	/* relative step: ('+'|'-') DIGITS */
	if (*p == '+' || *p == '-')
	{
		bool		negative = (*p == '-');
		long		n = 0;
		int			ndigits = 0;

		p++;
		while (*p >= '0' && *p <= '9')
		{
			n = n * 10 + (*p - '0');
			if (n > SM_TARGET_MAX_STEPS)
				return "relative step count is out of range";
			ndigits++;
			p++;
		}
		if (ndigits == 0)
			return "expected digits after \"+\" or \"-\"";
		if (*p != '\0')
			return "unexpected characters after relative step count";
		out->relative = true;
		out->steps = negative ? -(int) n : (int) n;
		return NULL;
	}
	return "unexpected character in target";
}

const char *
sm_range_split(const char *text, char *lower, char *upper)
{
	const char *start;
	const char *end;
	const char *colon;
	size_t		llen;
	size_t		ulen;

	lower[0] = upper[0] = '\0';
	if (text == NULL)
		return "empty range";
	if (strlen(text) > 2 * SM_TARGET_MAX_LEN + 1)
		return "range is too long";
	start = text;
	while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
						   end[-1] == '\n' || end[-1] == '\r'))
		end--;
	colon = memchr(start, ':', end - start);
	if (colon == NULL)
		return "history range requires [start]:[end], [start]: or :[end]";
	if (memchr(colon + 1, ':', end - colon - 1) != NULL)
		return "more than one \":\" in history range";
	llen = colon - start;
	ulen = end - colon - 1;
	if (llen > SM_TARGET_MAX_LEN || ulen > SM_TARGET_MAX_LEN)
		return "range side is too long";
	memcpy(lower, start, llen);
	lower[llen] = '\0';
	memcpy(upper, colon + 1, ulen);
	upper[ulen] = '\0';
	return NULL;
}
