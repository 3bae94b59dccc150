/*-------------------------------------------------------------------------
 *
 * lint_text.c
 *	  What lint() reads from the SQL text rather than the parse tree:
 *	  identifier-too-long (PostgreSQL truncates before the tree exists),
 *	  statement boundaries, suppression comments, unsafe-enum-value-use;
 *	  and lint_sql(), which parses the SQL and runs every statement through
 *	  the rules.
 *
 * Suppression: a comment "-- schemamig:allow rule[,rule] [reason]" in the
 * text between the previous statement and this one turns that statement's
 * findings of those rules into info findings saying "suppressed".
 *
 * src/lint/lint_text.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "parser/parser.h"

#include "lint_int.h"

/* ------------------------------------------------------------------------
 * Identifiers, statement boundaries, suppression
 * ------------------------------------------------------------------------
 */

/* Is c a byte that can appear in an unquoted identifier? */
static inline bool
lint_ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Bytes of an identifier shown in identifier-too-long's message. */
#define LINT_IDENT_EXCERPT 20

/*
 * lint_long_identifier checks the identifier text s[0, len) (a quoted one
 * still with its doubled quotes) and reports identifier-too-long when it
 * has NAMEDATALEN bytes or more.  Lengths and the excerpt in the message
 * are clipped on character boundaries of the database encoding, as
 * PostgreSQL's own truncation is, so the message stays valid text.
 */
static void
lint_long_identifier(LintState *st, int location, const char *s, int len,
					 bool quoted)
{
	StringInfoData name;
	int			i;

	if (len < NAMEDATALEN)
		return;					/* the common case: no copy */
	initStringInfo(&name);
	for (i = 0; i < len; i++)
	{
		appendStringInfoChar(&name, s[i]);
		if (quoted && s[i] == '"' && i + 1 < len && s[i + 1] == '"')
			i++;
	}
	if (name.len < NAMEDATALEN)
		return;
	lint_report(st, "identifier-too-long", location,
				psprintf("identifier \"%s...\" is %d bytes long and is truncated to %d bytes",
						 pnstrdup(name.data, pg_mbcliplen(name.data, name.len, LINT_IDENT_EXCERPT)),
						 name.len, pg_mbcliplen(name.data, name.len, NAMEDATALEN - 1)),
				"Use a name of at most 63 bytes: truncated names collide and differ from what the application expects.");
}

/*
 * lint_identifiers: identifier-too-long.  PostgreSQL truncates longer
 * names (with a NOTICE) before the parse tree exists, so the statement
 * text is scanned here: a small lexer that skips string constants,
 * dollar quotes and comments, and measures plain and quoted identifiers.
 */
static void
lint_identifiers(LintState *st, int start, int len)
{
	const char *s = st->sql + start;
	int			i = 0;

	while (i < len)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '\'')
		{
			bool		escapes = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
				(i == 1 || !lint_ident_char((unsigned char) s[i - 2]));

			for (i++; i < len; i++)
			{
				if (s[i] == '\'' && i + 1 < len && s[i + 1] == '\'')
					i++;
				else if (escapes && s[i] == '\\' && i + 1 < len)
					i++;
				else if (s[i] == '\'')
					break;
			}
			i++;
		}
		else if (c == '-' && i + 1 < len && s[i + 1] == '-')
		{
			while (i < len && s[i] != '\n')
				i++;
		}
		else if (c == '/' && i + 1 < len && s[i + 1] == '*')
			i = lint_statement_start(s, i, len);
		else if (c == '$')
		{
			int			j = i + 1;

			while (j < len && lint_ident_char((unsigned char) s[j]) && s[j] != '$')
				j++;
			if (j < len && s[j] == '$' && !(j > i + 1 && isdigit((unsigned char) s[i + 1])))
			{
				int			taglen = j - i + 1;
				int			k;

				for (k = j + 1; k + taglen <= len; k++)
				{
					if (strncmp(s + k, s + i, taglen) == 0)
						break;
				}
				i = k + taglen;
			}
			else
				i = j;
		}
		else if (c == '"')
		{
			int			j;

			for (j = i + 1; j < len; j++)
			{
				if (s[j] == '"' && j + 1 < len && s[j + 1] == '"')
					j++;
				else if (s[j] == '"')
					break;
			}
			lint_long_identifier(st, start + i, s + i + 1, j - i - 1, true);
			i = j + 1;
		}
		else if (lint_ident_char(c) && !isdigit(c))
		{
			int			j = i;

			while (j < len && lint_ident_char((unsigned char) s[j]))
				j++;
			if (!(j < len && s[j] == '\''))
				lint_long_identifier(st, start + i, s + i, j - i, false);
			i = j;
		}
		else if (isdigit(c))
		{
			while (i < len && (lint_ident_char((unsigned char) s[i]) || s[i] == '.'))
				i++;
		}
		else
			i++;
	}
}

/* Offset of the first token at or after "pos" (skips blanks and comments). */
int
lint_statement_start(const char *sql, int pos, int end)
{
	while (pos < end)
	{
		if (isspace((unsigned char) sql[pos]))
			pos++;
		else if (sql[pos] == '-' && pos + 1 < end && sql[pos + 1] == '-')
		{
			while (pos < end && sql[pos] != '\n')
				pos++;
		}
		else if (sql[pos] == '/' && pos + 1 < end && sql[pos + 1] == '*')
		{
			int			depth = 1;

			pos += 2;
			while (pos < end && depth > 0)
			{
				if (sql[pos] == '/' && pos + 1 < end && sql[pos + 1] == '*')
				{
					depth++;
					pos += 2;
				}
				else if (sql[pos] == '*' && pos + 1 < end && sql[pos + 1] == '/')
				{
					depth--;
					pos += 2;
				}
				else
					pos++;
			}
		}
		else
			break;
	}
	return pos;
}

/*
 * lint_suppress applies "-- schemamig:allow rule[,rule] [reason]" comments
 * found in sql[from, to) to the findings from index "first" on.
 */
static void
lint_suppress(LintState *st, int from, int to, int first)
{
	static const char marker[] = "schemamig:allow";
	const char *p = st->sql + from;
	const char *end = st->sql + to;

	while (p < end)
	{
		const char *hit;
		const char *q;
		const char *eol;
		char	   *rules;
		char	   *reason;
		char	   *tok;
		char	   *save;
		int			i;

		hit = NULL;
		for (q = p; q + sizeof(marker) - 1 <= end; q++)
		{
			if (strncmp(q, marker, sizeof(marker) - 1) == 0)
			{
				hit = q;
				break;
			}
		}
		if (hit == NULL)
			return;
		q = hit + sizeof(marker) - 1;
		for (eol = q; eol < end && *eol != '\n'; eol++)
			;
		p = eol;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		{
			const char *r0 = q;

			while (q < eol && !isspace((unsigned char) *q))
				q++;
			rules = pnstrdup(r0, q - r0);
		}
		while (q < eol && isspace((unsigned char) *q))
			q++;
		reason = pnstrdup(q, eol - q);
		/* trim the end of the reason, and a closing block comment */
		i = strlen(reason);
		while (i > 0 && isspace((unsigned char) reason[i - 1]))
			i--;
		if (i >= 2 && reason[i - 2] == '*' && reason[i - 1] == '/')
			i -= 2;
		while (i > 0 && isspace((unsigned char) reason[i - 1]))
			i--;
		reason[i] = '\0';
		for (tok = strtok_r(rules, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		{
			ListCell   *lc;

			/* squawk's name for the lock timeout rule */
			if (strcmp(tok, "require-lock-timeout") == 0)
				tok = "require-timeout-settings";

			if (!lint_rule_exists(tok))
			{
				lint_report(st, "invalid-suppression", hit - st->sql,
							psprintf("schemamig:allow names unknown rule \"%s\"", tok),
							"Use a rule id from docs/lint-rules.md.");
				continue;
			}
			for_each_from(lc, st->findings, first)
			{
				LintFinding *f = (LintFinding *) lfirst(lc);

				if (strcmp(f->rule, tok) != 0 || strncmp(f->message, "suppressed", 10) == 0)
					continue;
				f->severity = LINT_INFO;
				f->message = psprintf("suppressed: %s; %s",
									  reason[0] ? reason : "no reason given",
									  f->message);
			}
		}
	}
}

/* Is "s" one of the C strings of "list"? */
bool
lint_list_member_str(List *list, const char *s)
{
	ListCell   *lc;

	foreach(lc, list)
	{
		if (strcmp((char *) lfirst(lc), s) == 0)
			return true;
	}
	return false;
}

/*
 * lint_enum_labels: unsafe-enum-value-use.  A label added to an existing
 * enum cannot be used until the transaction commits ("unsafe use of new
 * value"); a statement after the ADD VALUE that spells the label as a
 * string constant will fail.  (A textual match: the label may also appear
 * in a comment, where it is harmless.)
 */
static void
lint_enum_labels(LintState *st, int start, int len, List *before)
{
	ListCell   *lc;

	foreach(lc, before)
	{
		const char *label = (const char *) lfirst(lc);
		char	   *text = pnstrdup(st->sql + start, len);
		char	   *hit = strstr(text, label);

		if (hit != NULL)
			lint_report(st, "unsafe-enum-value-use", start + (hit - text),
						psprintf("enum label %s is used in the transaction that adds it; PostgreSQL refuses that until the ADD VALUE commits",
								 label),
						"Add the label in its own revision (it commits before the next one runs with upgrade_each or the CLI), then use it in a later revision.");
	}
}

/* Order findings by statement, location, rule. */
static int
lint_finding_cmp(const ListCell *a, const ListCell *b)
{
	LintFinding *fa = (LintFinding *) lfirst(a);
	LintFinding *fb = (LintFinding *) lfirst(b);

	if (fa->statement != fb->statement)
		return fa->statement < fb->statement ? -1 : 1;
	if (fa->location != fb->location)
		return fa->location < fb->location ? -1 : 1;
	return strcmp(fa->rule, fb->rule);
}

/* lint_sort_findings sorts findings by statement, location and rule. */
void
lint_sort_findings(List *findings)
{
	list_sort(findings, lint_finding_cmp);
}

/*
 * lint_statement_at: the 1-based number of the statement that byte "pos"
 * of sql belongs to, counting semicolons outside string constants, quoted
 * identifiers, dollar quotes and comments (the SQL does not parse, so the
 * parser cannot say).
 */
static int
lint_statement_at(const char *sql, int pos)
{
	int			n = 1;
	int			i = 0;

	while (i < pos && sql[i])
	{
		char		c = sql[i];

		if (c == '\'' || c == '"')
		{
			for (i++; sql[i] && !(sql[i] == c && sql[i + 1] != c); i++)
			{
				if (sql[i] == c)
					i++;		/* doubled quote */
			}
			if (sql[i])
				i++;
		}
		else if ((c == '-' && sql[i + 1] == '-') || (c == '/' && sql[i + 1] == '*'))
			i = lint_statement_start(sql, i, strlen(sql));
		else if (c == '$' && (i == 0 || !lint_ident_char((unsigned char) sql[i - 1])))
		{
			int			j = i + 1;

			while (sql[j] && lint_ident_char((unsigned char) sql[j]) && sql[j] != '$')
				j++;
			if (sql[j] == '$' && !isdigit((unsigned char) sql[i + 1]))
			{
				char	   *close = strstr(sql + j + 1, pnstrdup(sql + i, j - i + 1));

				i = close ? (close - sql) + (j - i + 1) : (int) strlen(sql);
			}
			else
				i = j;
		}
		else
		{
			if (c == ';')
				n++;
			i++;
		}
	}
	return n;
}

/*
 * lint_parse runs raw_parser, turning a syntax error into a "syntax-error"
 * finding instead of an ERROR.  raw_parser has no side effects beyond
 * memory, so catching its error without a subtransaction is safe; errors
 * other than bad input (cancel, out of memory) are re-thrown.
 */
static List *
lint_parse(LintState *st, bool *ok)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *raw = NIL;

	*ok = true;
	PG_TRY();
	{
		raw = raw_parser(st->sql, RAW_PARSE_DEFAULT);
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		int			cls;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		cls = ERRCODE_TO_CATEGORY(edata->sqlerrcode);
		if (cls != ERRCODE_SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION &&
			cls != ERRCODE_DATA_EXCEPTION &&
			cls != ERRCODE_FEATURE_NOT_SUPPORTED)
			PG_RE_THROW();
		FlushErrorState();
		/* cursorpos counts characters from 1; locations are byte offsets */
		st->stmt_start = edata->cursorpos > 0 ?
			pg_mbcharcliplen(st->sql, strlen(st->sql), edata->cursorpos - 1) : 0;
		st->stmtno = lint_statement_at(st->sql, st->stmt_start);
		lint_report(st, "syntax-error", st->stmt_start,
					pstrdup(edata->message),
					"Fix the SQL: nothing in it can run.");
		FreeErrorData(edata);
		*ok = false;
	}
	PG_END_TRY();
	return raw;
}

/*
 * lint_sql lints "sql" and returns its findings (LintFinding), sorted.  When
 * "checks" is not NULL, the data checks review() should run are appended
 * to it.
 */
List *
lint_sql(const char *sql, List **checks)
{
	LintState	st;
	List	   *raw;
	ListCell   *lc;
	bool		ok;
	int			sqllen = strlen(sql);

	memset(&st, 0, sizeof(st));
	st.sql = sql;
	st.checks = checks;
	raw = lint_parse(&st, &ok);
	if (!ok)
		return st.findings;
	foreach(lc, raw)
	{
		RawStmt    *rs = lfirst_node(RawStmt, lc);
		int			loc = rs->stmt_location >= 0 ? rs->stmt_location : 0;
		int			end = rs->stmt_len > 0 ? loc + rs->stmt_len : sqllen;
		int			first = list_length(st.findings);

		List	   *labels = st.new_labels;

		st.stmtno++;
		st.stmt_start = lint_statement_start(sql, loc, end);
		if (labels != NIL)
			lint_enum_labels(&st, st.stmt_start, end - st.stmt_start, labels);
		lint_statement(&st, rs->stmt);
		lint_identifiers(&st, st.stmt_start, end - st.stmt_start);
		if (list_length(st.findings) > first)
			lint_suppress(&st, loc, st.stmt_start, first);
	}
	if (st.xact_depth > 0)
	{
		st.stmt_start = st.xact_location;
		st.stmtno = st.xact_stmtno;
		lint_report(&st, "ban-uncommitted-transaction", st.xact_location,
					pstrdup("BEGIN without a matching COMMIT"),
					"Remove the transaction control: upgrade() wraps each revision in a transaction.");
	}
	lint_sort_findings(st.findings);
	return st.findings;
}
