/*-------------------------------------------------------------------------
 *
 * sqltoken.c
 *	  The one way pg_schemamig reads SQL token by token: PostgreSQL's own
 *	  scanner (core_yylex), with each token's code, byte offset and
 *	  semantic value handed to a callback.
 *
 * Checksums (checksum.c) and the linter's word and parenthesis scans use
 * it.  With "fixed" settings the scanner ignores the session's
 * standard_conforming_strings and backslash_quote, so that a result never
 * depends on them; otherwise it reads the SQL as this session's parser
 * would.  Scanner errors are raised with the position inside "sql".
 *
 * src/parse/sqltoken.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "parser/scanner.h"
#include "parser/gram.h"

#include "pg_schemamig.h"

/*
 * sm_scan_tokens runs the scanner over "sql" and calls "cb" for every
 * token until the end or until "cb" returns false.
 */
void
sm_scan_tokens(const char *sql, bool fixed, SmTokenCallback cb, void *arg)
{
	core_yy_extra_type yyextra;
	core_yyscan_t scanner;
	core_YYSTYPE yylval;
	YYLTYPE		yylloc;
	ErrorContextCallback errcb;
	char		numbuf[32];

	scanner = scanner_init(sql, &yyextra, &ScanKeywords, ScanKeywordTokens);
	if (fixed)
	{
		yyextra.backslash_quote = BACKSLASH_QUOTE_SAFE_ENCODING;
		yyextra.escape_string_warning = false;
		yyextra.standard_conforming_strings = true;
	}

	errcb.callback = sm_parse_error_callback;
	errcb.arg = unconstify(char *, sql);
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	for (;;)
	{
		SmToken		t;

		CHECK_FOR_INTERRUPTS();
		yylval.keyword = NULL;
		t.code = core_yylex(&yylval, &yylloc, scanner);
		if (t.code == 0)
			break;
		t.location = yylloc;
		t.value = NULL;
		t.keyword = false;
		switch (t.code)
		{
			case IDENT:
			case UIDENT:
			case FCONST:
			case SCONST:
			case USCONST:
			case BCONST:
			case XCONST:
			case Op:
				t.value = yylval.str;
				break;
			case ICONST:
			case PARAM:
				snprintf(numbuf, sizeof(numbuf), "%d", yylval.ival);
				t.value = numbuf;
				break;
			case TYPECAST:
			case DOT_DOT:
			case COLON_EQUALS:
			case EQUALS_GREATER:
			case LESS_EQUALS:
			case GREATER_EQUALS:
			case NOT_EQUALS:
				break;
			default:
				/* single-character tokens have no value; keywords do */
				if (t.code >= 256)
				{
					t.value = yylval.keyword;
					t.keyword = (yylval.keyword != NULL);
				}
				break;
		}
		if (!cb(&t, arg))
			break;
	}
	error_context_stack = errcb.previous;
	scanner_finish(scanner);
}
