/*-------------------------------------------------------------------------
 *
 * statements.c
 *	  The statements of a revision's SQL, delimited as PostgreSQL's parser
 *	  delimits them (raw_parser's stmt_location and stmt_len), from the
 *	  token stream alone, in the server and in the client alike.
 *
 * A statement ends at a semicolon outside parentheses and outside the
 * BEGIN ... END body of CREATE FUNCTION/PROCEDURE (psql's heuristic for
 * BEGIN ATOMIC).  It starts right after the previous semicolon (at 0 for
 * the first), leading whitespace trimmed, so comments before it belong to
 * it; it runs to the end of the text when no semicolon follows.  Stretches
 * without a token are no statement.  The offline scripts use this, so that
 * the server's upgrade_sql() and the client's --sql print the same text;
 * running revisions uses raw_parser itself (src/parse/sqlsplit.c), which
 * also knows each statement's kind.
 *
 * src/common/statements.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#include "sqltoken.h"

typedef struct SplitState
{
	const char *sql;
	List	   *result;
	int			seg_start;		/* where the current statement starts */
	bool		has_token;		/* the current statement has a token */
	int			paren_depth;
	int			begin_depth;
	int			nwords;			/* words of the statement so far */
	char		words[4];		/* first letters of create/or/replace/function/procedure */
} SplitState;

/* adds the statement sql[seg_start, end) if it has a token */
static void
close_statement(SplitState *st, int end)
{
	if (st->has_token)
	{
		SmStatementText *t = palloc(sizeof(SmStatementText));
		int			loc = st->seg_start;

		while (loc < end && (st->sql[loc] == ' ' || st->sql[loc] == '\t' ||
							 st->sql[loc] == '\n' || st->sql[loc] == '\r' ||
							 st->sql[loc] == '\f'))
			loc++;
		t->location = loc;
		t->length = end - loc;
		t->sql = pnstrdup(st->sql + loc, end - loc);
		st->result = lappend(st->result, t);
	}
	st->has_token = false;
	st->paren_depth = 0;
	st->begin_depth = 0;
	st->nwords = 0;
	memset(st->words, 0, sizeof(st->words));
}

/* one unquoted word: psql's tracking of CREATE [OR REPLACE] FUNCTION ... BEGIN */
static void
track_word(SplitState *st, const char *w)
{
	if (st->nwords < (int) sizeof(st->words) &&
		(strcmp(w, "create") == 0 || strcmp(w, "function") == 0 ||
		 strcmp(w, "procedure") == 0 || strcmp(w, "or") == 0 ||
		 strcmp(w, "replace") == 0))
		st->words[st->nwords] = w[0];
	st->nwords++;
	if (st->words[0] == 'c' &&
		(st->words[1] == 'f' || st->words[1] == 'p' ||
		 (st->words[1] == 'o' && st->words[2] == 'r' &&
		  (st->words[3] == 'f' || st->words[3] == 'p'))) &&
		st->paren_depth == 0)
	{
		if (strcmp(w, "begin") == 0)
			st->begin_depth++;
		else if (strcmp(w, "case") == 0)
		{
			if (st->begin_depth >= 1)
				st->begin_depth++;
		}
		else if (strcmp(w, "end") == 0)
		{
			if (st->begin_depth > 0)
				st->begin_depth--;
		}
	}
}

/*
 * is_word: a token psql's {identifier} rule would match (a keyword or an
 * unquoted identifier; not B'', E'', N'', X'' or U&'' constants)
 */
static bool
is_word(const char *sql, const SmToken *t)
{
	unsigned char c = (unsigned char) sql[t->location];
	char		c1;

	if (t->value == NULL)
		return false;
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c & 0x80)))
		return false;
	c1 = sql[t->location + 1];
	if (c1 == '\'')
		return false;
	if (c1 == '&' && (sql[t->location + 2] == '\'' || sql[t->location + 2] == '"'))
		return false;
	return true;
}

static bool
split_token(const SmToken *t, void *arg)
{
	SplitState *st = (SplitState *) arg;

	if (t->code == ';' && st->paren_depth == 0 && st->begin_depth == 0)
	{
		close_statement(st, t->location);
		st->seg_start = t->location + 1;
		return true;
	}
	st->has_token = true;
	if (t->code == '(')
		st->paren_depth++;
	else if (t->code == ')' && st->paren_depth > 0)
		st->paren_depth--;
	else if (is_word(st->sql, t))
		track_word(st, t->value);
	return true;
}

/*
 * sm_split_statements returns the statements of "sql", a List of
 * SmStatementText in order.
 */
List *
sm_split_statements(const char *sql)
{
	SplitState	st;

	memset(&st, 0, sizeof(st));
	st.sql = sql;
	sm_scan_tokens(sql, true, split_token, &st);
	close_statement(&st, strlen(sql));
	return st.result;
}
