/*-------------------------------------------------------------------------
 *
 * fe_scan.c
 *	  PostgreSQL 15's SQL scanner (core_yylex) for the client build of
 *	  src/common: the same tokens, with the same codes, byte offsets and
 *	  semantic values, so that the client computes the checksums and splits
 *	  the statements exactly as the server does (sqltoken.h).
 *
 * The rules follow src/backend/parser/scan.l of PostgreSQL 15, read with
 * standard_conforming_strings on (the fixed settings checksums use) and a
 * UTF-8 database: whitespace and comments (nested C-style), identifiers
 * (keywords through libpgcommon's ScanKeywords, others down-cased and
 * truncated to NAMEDATALEN - 1 bytes), quoted identifiers, string constants
 * of every kind with quote continuation across newlines, dollar quotes,
 * parameters, numbers, and operators with the scanner's trimming of
 * embedded comment starts and trailing + and -.  Token codes are those of
 * the server's parser/gram.h (fe_tokens.h is generated from it by the
 * client Makefile).  Text the server's scanner rejects is reported with
 * ereport(ERROR).
 *
 * The server build compiles nothing here: it runs the real scanner
 * (src/parse/sqltoken.c).
 *
 * Portions Copyright (c) 1996-2022, PostgreSQL Global Development Group
 * (the rules of scan.l, PostgreSQL License)
 *
 * src/common/fe_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#ifdef FRONTEND

#include <errno.h>
#include <limits.h>

#include "common/keywords.h"
#include "common/kwlookup.h"

#include "fe_tokens.h"
#include "sqltoken.h"

/* keyword index -> token code, as scan.l builds ScanKeywordTokens */
#define PG_KEYWORD(kwname, value, category, collabel) value,
static const uint16 keyword_tokens[] = {
#include "parser/kwlist.h"
};
#undef PG_KEYWORD

#define IS_HIGHBIT(c)		((unsigned char) (c) & 0x80)
#define IS_SPACE(c)			((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r' || (c) == '\f')
#define IS_HSPACE(c)		((c) == ' ' || (c) == '\t' || (c) == '\f')
#define IS_NEWLINE(c)		((c) == '\n' || (c) == '\r')
#define IS_DIGIT(c)			((c) >= '0' && (c) <= '9')
#define IS_IDENT_START(c)	(((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z') || \
							 (c) == '_' || IS_HIGHBIT(c))
#define IS_IDENT_CONT(c)	(IS_IDENT_START(c) || IS_DIGIT(c) || (c) == '$')
#define IS_DOLQ_CONT(c)		(IS_IDENT_START(c) || IS_DIGIT(c))
#define IS_OP_CHAR(c)		((c) != '\0' && strchr("~!@#^&|`?+-*/%<>=", (c)) != NULL)
#define IS_SELF(c)			((c) != '\0' && strchr(",()[].;:+-*/%^<>=", (c)) != NULL)

typedef struct Scan
{
	const char *s;
	int			len;
	int			pos;
	StringInfoData lit;			/* the literal being collected */
} Scan;

static pg_attribute_noreturn() void
scan_error(Scan *sc, int at, const char *msg)
{
	ereport(ERROR,
			(errcode(ERRCODE_SYNTAX_ERROR),
			 errmsg("%s at or near \"%.20s\"", msg, sc->s + at)));
	pg_unreachable();
}

/* length of the UTF-8 character starting with byte c */
static int
utf8_len(unsigned char c)
{
	if ((c & 0x80) == 0)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 1;
}

/* truncate_identifier: at most NAMEDATALEN - 1 bytes, whole characters */
static void
truncate_ident(StringInfo buf)
{
	int			n = 0;

	if (buf->len < NAMEDATALEN)
		return;
	while (n < buf->len)
	{
		int			l = utf8_len((unsigned char) buf->data[n]);

		if (n + l > NAMEDATALEN - 1)
			break;
		n += l;
	}
	buf->len = n;
	buf->data[n] = '\0';
}

/*
 * skip_space skips whitespace and comments ("--" to the end of the line,
 * nested C-style comments).  Returns false at the end of the text.
 */
static bool
skip_space(Scan *sc)
{
	for (;;)
	{
		const char *s = sc->s;
		int			p = sc->pos;

		if (p >= sc->len)
			return false;
		if (IS_SPACE(s[p]))
			sc->pos++;
		else if (s[p] == '-' && s[p + 1] == '-')
		{
			while (sc->pos < sc->len && !IS_NEWLINE(s[sc->pos]))
				sc->pos++;
		}
		else if (s[p] == '/' && s[p + 1] == '*')
		{
			int			depth = 1;

			sc->pos += 2;
			while (depth > 0)
			{
				if (sc->pos >= sc->len)
					scan_error(sc, p, "unterminated /* comment");
				if (s[sc->pos] == '/' && s[sc->pos + 1] == '*')
				{
					depth++;
					sc->pos += 2;
				}
				else if (s[sc->pos] == '*' && s[sc->pos + 1] == '/')
				{
					depth--;
					sc->pos += 2;
				}
				else
					sc->pos++;
			}
		}
		else
			return true;
	}
}

/*
 * quote_continues: after a closing quote at sc->pos, does whitespace with a
 * newline and then another quote follow (scan.l's quotecontinue)?  If so,
 * moves past that quote.
 */
static bool
quote_continues(Scan *sc)
{
	const char *s = sc->s;
	int			p = sc->pos;

	/* {horiz_whitespace}* */
	for (;;)
	{
		if (p < sc->len && IS_HSPACE(s[p]))
			p++;
		else if (s[p] == '-' && s[p + 1] == '-')
		{
			while (p < sc->len && !IS_NEWLINE(s[p]))
				p++;
		}
		else
			break;
	}
	/* {newline} */
	if (p >= sc->len || !IS_NEWLINE(s[p]))
		return false;
	p++;
	/* {special_whitespace}*: spaces, or a comment and its newline */
	for (;;)
	{
		if (p < sc->len && IS_SPACE(s[p]))
			p++;
		else if (s[p] == '-' && s[p + 1] == '-')
		{
			while (p < sc->len && !IS_NEWLINE(s[p]))
				p++;
			if (p >= sc->len)
				return false;
			p++;
		}
		else
			break;
	}
	if (p < sc->len && s[p] == '\'')
	{
		sc->pos = p + 1;
		return true;
	}
	return false;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/* appends code point "c" as UTF-8 (the database encoding assumed) */
static void
add_unicode(Scan *sc, int at, uint32 c)
{
	unsigned char buf[4];
	int			n;

	if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		scan_error(sc, at, "invalid Unicode escape value");
	if (c < 0x80)
	{
		buf[0] = c;
		n = 1;
	}
	else if (c < 0x800)
	{
		buf[0] = 0xC0 | (c >> 6);
		buf[1] = 0x80 | (c & 0x3F);
		n = 2;
	}
	else if (c < 0x10000)
	{
		buf[0] = 0xE0 | (c >> 12);
		buf[1] = 0x80 | ((c >> 6) & 0x3F);
		buf[2] = 0x80 | (c & 0x3F);
		n = 3;
	}
	else
	{
		buf[0] = 0xF0 | (c >> 18);
		buf[1] = 0x80 | ((c >> 12) & 0x3F);
		buf[2] = 0x80 | ((c >> 6) & 0x3F);
		buf[3] = 0x80 | (c & 0x3F);
		n = 4;
	}
	appendBinaryStringInfo(&sc->lit, (char *) buf, n);
}

/* reads \uXXXX or \UXXXXXXXX at sc->pos (the backslash); returns the value */
static uint32
read_unicode(Scan *sc, int at)
{
	const char *s = sc->s;
	int			ndigits = s[sc->pos + 1] == 'u' ? 4 : 8;
	uint32	v = 0;
	int			i;

	for (i = 0; i < ndigits; i++)
	{
		char		c = s[sc->pos + 2 + i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			scan_error(sc, at, "invalid Unicode escape");
		v = (v << 4) | hexval(c);
	}
	sc->pos += 2 + ndigits;
	return v;
}

/*
 * scan_quoted reads the body of a string constant whose opening quote is
 * just before sc->pos, into sc->lit: "escapes" for E'' strings, "doubling"
 * where '' stands for a quote (not in B'' and X'').  Quote continuation
 * keeps the same kind.
 */
static void
scan_quoted(Scan *sc, int start, bool escapes, bool doubling)
{
	const char *s = sc->s;

	for (;;)
	{
		char		c;

		if (sc->pos >= sc->len)
			scan_error(sc, start, "unterminated quoted string");
		c = s[sc->pos];
		if (c == '\'')
		{
			if (doubling && s[sc->pos + 1] == '\'')
			{
				appendStringInfoChar(&sc->lit, '\'');
				sc->pos += 2;
				continue;
			}
			sc->pos++;
			if (quote_continues(sc))
				continue;
			return;
		}
		if (escapes && c == '\\')
		{
			char		e = s[sc->pos + 1];

			if (sc->pos + 1 >= sc->len)
				scan_error(sc, start, "unterminated quoted string");
			if (e >= '0' && e <= '7')
			{
				int			v = 0;
				int			n = 0;

				sc->pos++;
				while (n < 3 && s[sc->pos] >= '0' && s[sc->pos] <= '7')
				{
					v = v * 8 + (s[sc->pos] - '0');
					sc->pos++;
					n++;
				}
				appendStringInfoChar(&sc->lit, (char) (v & 0xFF));
			}
			else if (e == 'x' && ((s[sc->pos + 2] >= '0' && s[sc->pos + 2] <= '9') ||
								  (s[sc->pos + 2] >= 'a' && s[sc->pos + 2] <= 'f') ||
								  (s[sc->pos + 2] >= 'A' && s[sc->pos + 2] <= 'F')))
			{
				int			v = 0;
				int			n = 0;

				sc->pos += 2;
				while (n < 2 && ((s[sc->pos] >= '0' && s[sc->pos] <= '9') ||
								 (s[sc->pos] >= 'a' && s[sc->pos] <= 'f') ||
								 (s[sc->pos] >= 'A' && s[sc->pos] <= 'F')))
				{
					v = v * 16 + hexval(s[sc->pos]);
					sc->pos++;
					n++;
				}
				appendStringInfoChar(&sc->lit, (char) v);
			}
			else if (e == 'u' || e == 'U')
			{
				int			at = sc->pos;
				uint32	v = read_unicode(sc, at);

				if (v >= 0xD800 && v <= 0xDBFF)
				{
					/* a surrogate pair: the low half must follow */
					uint32	lo;

					if (!(s[sc->pos] == '\\' && (s[sc->pos + 1] == 'u' || s[sc->pos + 1] == 'U')))
						scan_error(sc, at, "invalid Unicode surrogate pair");
					lo = read_unicode(sc, at);
					if (!(lo >= 0xDC00 && lo <= 0xDFFF))
						scan_error(sc, at, "invalid Unicode surrogate pair");
					v = ((v & 0x3FF) << 10) + (lo & 0x3FF) + 0x10000;
				}
				else if (v >= 0xDC00 && v <= 0xDFFF)
					scan_error(sc, at, "invalid Unicode surrogate pair");
				add_unicode(sc, at, v);
			}
			else
			{
				switch (e)
				{
					case 'b':
						appendStringInfoChar(&sc->lit, '\b');
						break;
					case 'f':
						appendStringInfoChar(&sc->lit, '\f');
						break;
					case 'n':
						appendStringInfoChar(&sc->lit, '\n');
						break;
					case 'r':
						appendStringInfoChar(&sc->lit, '\r');
						break;
					case 't':
						appendStringInfoChar(&sc->lit, '\t');
						break;
					default:
						appendStringInfoChar(&sc->lit, e);
						break;
				}
				sc->pos += 2;
			}
			continue;
		}
		appendStringInfoChar(&sc->lit, c);
		sc->pos++;
	}
}

/* a quoted identifier "..." whose opening quote is just before sc->pos */
static void
scan_quoted_ident(Scan *sc, int start)
{
	const char *s = sc->s;

	for (;;)
	{
		if (sc->pos >= sc->len)
			scan_error(sc, start, "unterminated quoted identifier");
		if (s[sc->pos] == '"')
		{
			if (s[sc->pos + 1] == '"')
			{
				appendStringInfoChar(&sc->lit, '"');
				sc->pos += 2;
				continue;
			}
			sc->pos++;
			break;
		}
		appendStringInfoChar(&sc->lit, s[sc->pos]);
		sc->pos++;
	}
	if (sc->lit.len == 0)
		scan_error(sc, start, "zero-length delimited identifier");
}

/* length of a dollar-quote delimiter ($tag$ or $$) at p, or 0 */
static int
dolq_delim_len(const char *s, int len, int p)
{
	int			q = p + 1;

	if (p >= len || s[p] != '$')
		return 0;
	if (q < len && IS_IDENT_START(s[q]))
	{
		q++;
		while (q < len && IS_DOLQ_CONT(s[q]))
			q++;
	}
	return (q < len && s[q] == '$') ? q - p + 1 : 0;
}

/* number at sc->pos (a digit, or '.' and a digit): ICONST or FCONST */
static int
scan_number(Scan *sc, int start)
{
	const char *s = sc->s;
	int			p = start;
	bool		is_int = true;
	char	   *text;
	long		v;
	char	   *end;

	while (p < sc->len && IS_DIGIT(s[p]))
		p++;
	if (p < sc->len && s[p] == '.')
	{
		if (p + 1 < sc->len && s[p + 1] == '.' && p > start)
		{
			/* decimalfail: "1..": the integer, then ".." */
		}
		else
		{
			is_int = false;
			p++;
			while (p < sc->len && IS_DIGIT(s[p]))
				p++;
		}
	}
	if (p < sc->len && (s[p] == 'e' || s[p] == 'E'))
	{
		int			q = p + 1;

		if (q < sc->len && (s[q] == '+' || s[q] == '-'))
			q++;
		if (q < sc->len && IS_DIGIT(s[q]))
		{
			while (q < sc->len && IS_DIGIT(s[q]))
				q++;
			is_int = false;
			p = q;
		}
		else
			scan_error(sc, start, "trailing junk after numeric literal");
	}
	if (p < sc->len && IS_IDENT_START(s[p]))
		scan_error(sc, start, "trailing junk after numeric literal");
	sc->pos = p;
	text = pnstrdup(s + start, p - start);
	if (is_int)
	{
		errno = 0;
		v = strtol(text, &end, 10);
		if (*end == '\0' && errno != ERANGE && v >= INT_MIN && v <= INT_MAX)
		{
			resetStringInfo(&sc->lit);
			appendStringInfo(&sc->lit, "%d", (int) v);
			pfree(text);
			return ICONST;
		}
	}
	resetStringInfo(&sc->lit);
	appendStringInfoString(&sc->lit, text);
	pfree(text);
	return FCONST;
}

/*
 * an operator run at sc->pos: scan.l's {operator} rule with its trimming;
 * returns the token code (a character for one "self" character)
 */
static int
scan_operator(Scan *sc, int start)
{
	const char *s = sc->s;
	int			n = 0;
	int			nchars;
	int			i;

	while (start + n < sc->len && IS_OP_CHAR(s[start + n]))
		n++;
	nchars = n;
	/* an embedded comment start ends the operator */
	for (i = 0; i + 1 < n; i++)
	{
		if ((s[start + i] == '/' && s[start + i + 1] == '*') ||
			(s[start + i] == '-' && s[start + i + 1] == '-'))
		{
			nchars = i;
			break;
		}
	}
	/* trailing + and - only where the operator has one of ~!@#^&|`?% */
	if (nchars > 1 && (s[start + nchars - 1] == '+' || s[start + nchars - 1] == '-'))
	{
		int			ic;

		for (ic = nchars - 2; ic >= 0; ic--)
		{
			if (strchr("~!@#^&|`?%", s[start + ic]) != NULL)
				break;
		}
		if (ic < 0)
		{
			do
			{
				nchars--;
			} while (nchars > 1 &&
					 (s[start + nchars - 1] == '+' || s[start + nchars - 1] == '-'));
		}
	}
	sc->pos = start + nchars;
	if (nchars == 1 && IS_SELF(s[start]))
		return (unsigned char) s[start];
	if (nchars == 2)
	{
		char		a = s[start],
					b = s[start + 1];

		if (a == '=' && b == '>')
			return EQUALS_GREATER;
		if (a == '>' && b == '=')
			return GREATER_EQUALS;
		if (a == '<' && b == '=')
			return LESS_EQUALS;
		if ((a == '<' && b == '>') || (a == '!' && b == '='))
			return NOT_EQUALS;
	}
	if (nchars >= NAMEDATALEN)
		scan_error(sc, start, "operator too long");
	resetStringInfo(&sc->lit);
	appendBinaryStringInfo(&sc->lit, s + start, nchars);
	return Op;
}

/*
 * sm_scan_tokens runs the scanner over "sql" and calls "cb" for every
 * token until the end or until "cb" returns false.  "fixed" is implied:
 * the client always reads with standard_conforming_strings on.
 */
void
sm_scan_tokens(const char *sql, bool fixed, SmTokenCallback cb, void *arg)
{
	Scan		sc;

	sc.s = sql;
	sc.len = strlen(sql);
	sc.pos = 0;
	initStringInfo(&sc.lit);

	while (skip_space(&sc))
	{
		const char *s = sc.s;
		int			start = sc.pos;
		char		c = s[start];
		char		c1 = start + 1 < sc.len ? s[start + 1] : '\0';
		char		c2 = start + 2 < sc.len ? s[start + 2] : '\0';
		SmToken		t;
		int			dl;

		resetStringInfo(&sc.lit);
		t.location = start;
		t.value = NULL;
		t.keyword = false;

		if ((c == 'b' || c == 'B') && c1 == '\'')
		{
			appendStringInfoChar(&sc.lit, 'b');
			sc.pos += 2;
			scan_quoted(&sc, start, false, false);
			t.code = BCONST;
			t.value = sc.lit.data;
		}
		else if ((c == 'x' || c == 'X') && c1 == '\'')
		{
			appendStringInfoChar(&sc.lit, 'x');
			sc.pos += 2;
			scan_quoted(&sc, start, false, false);
			t.code = XCONST;
			t.value = sc.lit.data;
		}
		else if ((c == 'n' || c == 'N') && c1 == '\'')
		{
			/* national character: the keyword NCHAR, then the string */
			int			kw = ScanKeywordLookup("nchar", &ScanKeywords);

			sc.pos += 1;
			if (kw >= 0)
			{
				t.code = keyword_tokens[kw];
				t.value = GetScanKeyword(kw, &ScanKeywords);
				t.keyword = true;
			}
			else
			{
				t.code = IDENT;
				t.value = "n";
			}
		}
		else if ((c == 'e' || c == 'E') && c1 == '\'')
		{
			sc.pos += 2;
			scan_quoted(&sc, start, true, true);
			t.code = SCONST;
			t.value = sc.lit.data;
		}
		else if ((c == 'u' || c == 'U') && c1 == '&' && c2 == '\'')
		{
			sc.pos += 3;
			scan_quoted(&sc, start, false, true);
			t.code = USCONST;
			t.value = sc.lit.data;
		}
		else if ((c == 'u' || c == 'U') && c1 == '&' && c2 == '"')
		{
			sc.pos += 3;
			scan_quoted_ident(&sc, start);
			t.code = UIDENT;
			t.value = sc.lit.data;
		}
		else if (c == '\'')
		{
			sc.pos += 1;
			scan_quoted(&sc, start, false, true);
			t.code = SCONST;
			t.value = sc.lit.data;
		}
		else if (c == '"')
		{
			sc.pos += 1;
			scan_quoted_ident(&sc, start);
			truncate_ident(&sc.lit);
			t.code = IDENT;
			t.value = sc.lit.data;
		}
		else if (c == '$' && (dl = dolq_delim_len(s, sc.len, start)) > 0)
		{
			char	   *delim = pnstrdup(s + start, dl);
			const char *end = strstr(s + start + dl, delim);

			if (end == NULL)
				scan_error(&sc, start, "unterminated dollar-quoted string");
			appendBinaryStringInfo(&sc.lit, s + start + dl, end - (s + start + dl));
			sc.pos = (end - s) + dl;
			pfree(delim);
			t.code = SCONST;
			t.value = sc.lit.data;
		}
		else if (c == '$' && IS_DIGIT(c1))
		{
			int			p = start + 1;
			long		v;

			while (p < sc.len && IS_DIGIT(s[p]))
				p++;
			if (p < sc.len && IS_IDENT_START(s[p]))
				scan_error(&sc, start, "trailing junk after parameter");
			v = atol(s + start + 1);	/* as scan.l's {param} */
			sc.pos = p;
			appendStringInfo(&sc.lit, "%d", (int) v);
			t.code = PARAM;
			t.value = sc.lit.data;
		}
		else if (IS_IDENT_START(c))
		{
			int			p = start;
			int			kw;
			int			i;

			while (p < sc.len && IS_IDENT_CONT(s[p]))
				p++;
			sc.pos = p;
			appendBinaryStringInfo(&sc.lit, s + start, p - start);
			kw = ScanKeywordLookup(sc.lit.data, &ScanKeywords);
			if (kw >= 0)
			{
				t.code = keyword_tokens[kw];
				t.value = GetScanKeyword(kw, &ScanKeywords);
				t.keyword = true;
			}
			else
			{
				for (i = 0; i < sc.lit.len; i++)
					if (sc.lit.data[i] >= 'A' && sc.lit.data[i] <= 'Z')
						sc.lit.data[i] += 'a' - 'A';
				truncate_ident(&sc.lit);
				t.code = IDENT;
				t.value = sc.lit.data;
			}
		}
		else if (IS_DIGIT(c) || (c == '.' && IS_DIGIT(c1)))
		{
			t.code = scan_number(&sc, start);
			t.value = sc.lit.data;
		}
		else if (c == ':' && c1 == ':')
		{
			sc.pos += 2;
			t.code = TYPECAST;
		}
		else if (c == '.' && c1 == '.')
		{
			sc.pos += 2;
			t.code = DOT_DOT;
		}
		else if (c == ':' && c1 == '=')
		{
			sc.pos += 2;
			t.code = COLON_EQUALS;
		}
		else if (IS_OP_CHAR(c))
		{
			t.code = scan_operator(&sc, start);
			if (t.code == Op)
				t.value = sc.lit.data;
		}
		else
		{
			/* "self" punctuation and anything else: the character itself */
			sc.pos += 1;
			t.code = (unsigned char) c;
		}
		if (!cb(&t, arg))
			break;
	}
	pfree(sc.lit.data);
}

#endif							/* FRONTEND */
