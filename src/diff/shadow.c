/*-------------------------------------------------------------------------
 *
 * shadow.c
 *	  Build the desired schema from DDL in a shadow and read its model;
 *	  rename hints.
 *
 * The shadow lives in an internal subtransaction that is always rolled
 * back.  Inside it every diffed schema that exists is renamed aside, so its
 * name is free, and the desired DDL runs exactly as written (qualified and
 * unqualified names resolve as they would in a fresh database: no rewriting
 * of the DDL is needed, and every object of other schemas stays visible).
 * What a fresh database would have is prepared first: the diffed schema of
 * the single-schema form (and "public" in the multi-schema form) exists,
 * with the live one's comment and grants, unless the DDL creates it; an
 * extension the DDL creates is dropped first (in the shadow only).  The
 * model is read from the shadow, then everything is rolled back: nothing
 * was ever visible to another session and nothing is left.  Renaming a
 * schema needs its ownership and takes a row lock on its catalog row for
 * the duration of the subtransaction only.
 *
 * Each statement is its own SPI call, so an error keeps its SQLSTATE; its
 * position is moved into the whole desired DDL.
 *
 * src/diff/shadow.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/resowner.h"
#include "utils/varlena.h"

#include "diff.h"

typedef struct ShadowStmt
{
	const char *ddl;
	char	   *sql;
	int			location;		/* byte offset in ddl */
	int			number;
} ShadowStmt;

/* moves an error's position from the statement into the desired DDL */
static void
shadow_error_callback(void *arg)
{
	ShadowStmt *st = (ShadowStmt *) arg;
	int			ipos = geterrposition();
	int			offset = pg_mbstrlen_with_len(st->ddl, st->location);

	if (ipos <= 0)
		ipos = getinternalerrposition();
	if (ipos > 0)
	{
		errposition(0);
		internalerrposition(ipos + offset);
		internalerrquery(st->ddl);
	}
	errcontext("desired DDL, statement %d", st->number);
}

static void
exec_internal(const char *sql)
{
	int			rc = SPI_execute(sql, false, 0);

	if (rc < 0)
		elog(ERROR, "SPI_execute failed (%s): %s", SPI_result_code_string(rc), sql);
}

static bool
schema_exists(const char *name)
{
	return OidIsValid(get_namespace_oid(name, true));
}

/*
 * reread_checks: PostgreSQL's printed form of a CHECK is not always the form
 * it prints after reading that text again: "s IN ('a', 'b')" on a varchar
 * column prints as "(s)::text = ANY ((ARRAY['a'::character varying, ...])
 * ::text[])", and that, applied, as "... ANY (ARRAY[('a'::character
 * varying)::text, ...])".  A live constraint may have either form (made from
 * the user's DDL, or from diff's own statement), so each desired CHECK with a
 * cast in it is added once more from its printed form (NOT VALID, in the
 * shadow, each in a subtransaction of its own that is rolled back) and what
 * PostgreSQL prints then is kept as its altdef.  search_path is pg_catalog,
 * as when the model was read.
 */
static void
reread_checks(DiffModel *m)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ListCell   *lc;

	foreach(lc, m->objs)
	{
		DiffObj    *o = lfirst(lc);

		ErrorData  *volatile edata = NULL;

		if (o->kind != DK_CONSTRAINT || o->subkind != 'c' || o->inherited || strstr(o->def, "::") == NULL)
			continue;
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(oldcxt);
		PG_TRY();
		{
			(void) set_config_option("search_path", "pg_catalog", PGC_USERSET,
									 PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
			exec_internal(psprintf("ALTER TABLE %s ADD CONSTRAINT schemamig_reread %s NOT VALID",
								   o->table, o->def));
			if (SPI_execute(psprintf("SELECT pg_catalog.pg_get_constraintdef(co.oid) FROM pg_catalog.pg_constraint co"
									 " WHERE co.conrelid OPERATOR(pg_catalog.=) %s::pg_catalog.regclass"
									 " AND co.conname OPERATOR(pg_catalog.=) 'schemamig_reread'",
									 quote_literal_cstr(o->table)), false, 1) == SPI_OK_SELECT &&
				SPI_processed == 1)
			{
				char	   *def = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
				int			len = def ? strlen(def) : 0;

				if (len > 10 && strcmp(def + len - 10, " NOT VALID") == 0)
				{
					def[len - 10] = '\0';
					if (strcmp(def, o->def) != 0)
						o->altdef = MemoryContextStrdup(oldcxt, def);
				}
			}
		}
		PG_CATCH();
		{
			/* no other form then; a cancel is the user's */
			MemoryContextSwitchTo(oldcxt);
			edata = CopyErrorData();
			FlushErrorState();
		}
		PG_END_TRY();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		if (edata && edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
			ReThrowError(edata);
	}
}

/*
 * diff_build_desired runs "ddl" in a shadow of "schemas" and returns the
 * model read there.  "live" supplies the comment and grants of schemas the
 * shadow prepares.  Errors of the DDL propagate with the server's SQLSTATE.
 */
DiffModel *
diff_build_desired(const char *ddl, List *schemas, bool single, DiffModel *live)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	List	   *raw;
	ListCell   *lc;
	List	   *created_schemas = NIL;
	List	   *stmts = NIL;
	int			n = 0;
	int			sqllen = strlen(ddl);
	ErrorContextCallback errcb;
	DiffModel  *volatile model = NULL;
	int			nest;

	/* parse first: a syntax error is the parser's own, positioned in ddl */
	errcb.callback = sm_parse_error_callback;
	errcb.arg = unconstify(char *, ddl);
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	raw = raw_parser(ddl, RAW_PARSE_DEFAULT);
	error_context_stack = errcb.previous;

	foreach(lc, raw)
	{
		RawStmt    *rs = lfirst_node(RawStmt, lc);
		ShadowStmt *st = palloc0(sizeof(ShadowStmt));
		int			loc = rs->stmt_location;
		int			len = rs->stmt_len > 0 ? rs->stmt_len : sqllen - loc;

		while (len > 0 && scanner_isspace(ddl[loc]))
		{
			loc++;
			len--;
		}
		st->ddl = ddl;
		st->location = loc;
		st->sql = pnstrdup(ddl + loc, len);
		st->number = ++n;
		if (IsA(rs->stmt, CreateSchemaStmt) && ((CreateSchemaStmt *) rs->stmt)->schemaname)
			created_schemas = lappend(created_schemas, ((CreateSchemaStmt *) rs->stmt)->schemaname);
		if (IsA(rs->stmt, TransactionStmt))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TRANSACTION_STATE),
					 errmsg("desired DDL cannot contain transaction control statements"),
					 errdetail("Statement %d is \"%s\".", st->number, st->sql)));
		stmts = lappend(stmts, st);
		/* an extension the DDL creates: keep the node for later */
		if (IsA(rs->stmt, CreateExtensionStmt))
			st->sql = psprintf("%c%s", '\x01', st->sql);	/* marked */
	}

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{

		nest = NewGUCNestLevel();
		{
			int			i = 0;

			foreach(lc, schemas)
			{
				const char *s = lfirst(lc);
				bool		exists = schema_exists(s);
				bool		ddl_creates = false;
				ListCell   *lc2;

				foreach(lc2, created_schemas)
					if (strcmp((char *) lfirst(lc2), s) == 0)
					ddl_creates = true;
				if (exists)
				{
					char	   *aside;

					do
						aside = psprintf("schemamig_shadow_%d_%d", MyProcPid, i++);
					while (schema_exists(aside));
					exec_internal(psprintf("ALTER SCHEMA %s RENAME TO %s", quote_identifier(s),
										   quote_identifier(aside)));
				}
				if (!ddl_creates && (single || strcmp(s, "public") == 0))
				{
					DiffObj    *ls = diff_lookup(live, psprintf("s:%s", quote_identifier(s)));

					exec_internal(psprintf("CREATE SCHEMA %s", quote_identifier(s)));
					if (ls)
					{
						ListCell   *g;

						if (ls->comment)
							exec_internal(diff_comment_sql(ls, ls->comment));
						foreach(g, ls->grants)
							exec_internal(diff_grant_sql(ls, lfirst(g), false));
					}
				}
			}
		}
		if (single)
		{
			const char *cur = GetConfigOption("search_path", false, false);

			(void) set_config_option("search_path",
									 psprintf("%s%s%s", quote_identifier(linitial(schemas)),
											  cur && cur[0] ? ", " : "", cur ? cur : ""),
									 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		}

		foreach(lc, stmts)
		{
			ShadowStmt *st = lfirst(lc);

			if (st->sql[0] == '\x01')
			{
				List	   *one = raw_parser(st->sql + 1, RAW_PARSE_DEFAULT);
				CreateExtensionStmt *cx = (CreateExtensionStmt *) linitial_node(RawStmt, one)->stmt;

				st->sql++;
				if (!cx->if_not_exists &&
					OidIsValid(get_extension_oid(cx->extname, true)))
					exec_internal(psprintf("DROP EXTENSION %s CASCADE", quote_identifier(cx->extname)));
			}
			errcb.callback = shadow_error_callback;
			errcb.arg = st;
			errcb.previous = error_context_stack;
			error_context_stack = &errcb;
			{
				int			rc = SPI_execute(st->sql, false, 0);

				if (rc < 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_TRANSACTION_STATE),
							 errmsg("desired DDL statement %d cannot run here: %s", st->number,
									SPI_result_code_string(rc))));
			}
			error_context_stack = errcb.previous;
			SPI_freetuptable(SPI_tuptable);
			CHECK_FOR_INTERRUPTS();
		}
		AtEOXact_GUC(true, nest);

		model = diff_read_model(schemas, live);
		reread_checks(model);


	}
	PG_CATCH();
	{
		ErrorData  *edata;

		/* as PL/pgSQL does: end the subtransaction, then re-throw */
		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		ReThrowError(edata);
	}
	PG_END_TRY();
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(oldcxt);
	CurrentResourceOwner = oldowner;
	return model;
}

/* ---------------------------------------------------------------------
 * rename hints: -- schemamig:rename KIND OLD NEW
 * ---------------------------------------------------------------------
 */

List *
diff_parse_renames(const char *ddl, const char *defschema)
{
	List	   *result = NIL;
	const char *p = ddl;
	const char *marker = "-- schemamig:rename ";

	while ((p = strstr(p, marker)) != NULL)
	{
		const char *eol = strchr(p, '\n');
		char	   *line = eol ? pnstrdup(p + strlen(marker), eol - p - strlen(marker)) : pstrdup(p + strlen(marker));
		char	   *kind,
				   *old,
				   *new;
		char	   *save;
		DiffRename *r;
		List	   *newparts;

		p = eol ? eol : p + strlen(p);
		kind = strtok_r(line, " \t\r", &save);
		old = strtok_r(NULL, " \t\r", &save);
		new = strtok_r(NULL, " \t\r", &save);
		if (!kind || !old || !new)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("invalid rename hint \"%s\"", line),
					 errhint("Write -- schemamig:rename KIND OLD NEW, e.g. -- schemamig:rename column users.name full_name.")));
		r = palloc0(sizeof(DiffRename));
		r->kind = pstrdup(kind);
		if (strcmp(kind, "table") != 0 && strcmp(kind, "column") != 0 &&
			strcmp(kind, "index") != 0 && strcmp(kind, "constraint") != 0 &&
			strcmp(kind, "type") != 0 && strcmp(kind, "view") != 0 &&
			strcmp(kind, "sequence") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("invalid rename hint kind \"%s\"", kind),
					 errhint("Kinds are table, column, index, constraint, type, view and sequence.")));
		{
			List	   *parts = stringToQualifiedNameList(old);
			int			want = (strcmp(kind, "column") == 0 || strcmp(kind, "constraint") == 0) ? 3 : 2;
			ListCell   *lc;

			if (list_length(parts) == want - 1)
				r->old = lappend(r->old, pstrdup(defschema));
			else if (list_length(parts) != want)
				ereport(ERROR,
						(errcode(ERRCODE_SYNTAX_ERROR),
						 errmsg("invalid name \"%s\" in rename hint", old)));
			foreach(lc, parts)
				r->old = lappend(r->old, pstrdup(strVal(lfirst(lc))));
		}
		newparts = stringToQualifiedNameList(new);
		if (list_length(newparts) != 1)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("invalid new name \"%s\" in rename hint", new),
					 errhint("The new name is not qualified: an object keeps its schema or table.")));
		r->newname = pstrdup(strVal(linitial(newparts)));
		result = lappend(result, r);
	}
	return result;
}

/* try one statement in a subtransaction; false when the object is missing */
static bool
try_rename(const char *sql)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile bool ok = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		exec_internal(sql);
		ok = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNDEFINED_TABLE &&
			edata->sqlerrcode != ERRCODE_UNDEFINED_COLUMN &&
			edata->sqlerrcode != ERRCODE_UNDEFINED_OBJECT &&
			edata->sqlerrcode != ERRCODE_INVALID_SCHEMA_NAME)
			PG_RE_THROW();
		FlushErrorState();
	}
	PG_END_TRY();
	if (ok)
		ReleaseCurrentSubTransaction();
	else
		RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(oldcxt);
	CurrentResourceOwner = oldowner;
	return ok;
}

/*
 * diff_apply_renames applies the hints to the live schema (the caller rolls
 * them back) and returns their steps; a hint whose old object does not
 * exist (already renamed) is skipped.
 */
List *
diff_apply_renames(List *renames)
{
	List	   *steps = NIL;
	ListCell   *lc;

	foreach(lc, renames)
	{
		DiffRename *r = lfirst(lc);
		const char *s = linitial(r->old);
		const char *a = lsecond(r->old);
		const char *b = list_length(r->old) > 2 ? lthird(r->old) : NULL;
		const char *word;
		char	   *up,
				   *down;
		DiffStep   *st;

		if (strcmp(r->kind, "column") == 0 || strcmp(r->kind, "constraint") == 0)
		{
			word = strcmp(r->kind, "column") == 0 ? "COLUMN" : "CONSTRAINT";
			up = psprintf("ALTER TABLE %s.%s RENAME %s %s TO %s;", quote_identifier(s), quote_identifier(a),
						  word, quote_identifier(b), quote_identifier(r->newname));
			down = psprintf("ALTER TABLE %s.%s RENAME %s %s TO %s;", quote_identifier(s), quote_identifier(a),
							word, quote_identifier(r->newname), quote_identifier(b));
		}
		else
		{
			word = strcmp(r->kind, "index") == 0 ? "INDEX" :
				strcmp(r->kind, "type") == 0 ? "TYPE" :
				strcmp(r->kind, "sequence") == 0 ? "SEQUENCE" : "TABLE";
			up = psprintf("ALTER %s %s.%s RENAME TO %s;", word, quote_identifier(s), quote_identifier(a),
						  quote_identifier(r->newname));
			down = psprintf("ALTER %s %s.%s RENAME TO %s;", word, quote_identifier(s),
							quote_identifier(r->newname), quote_identifier(a));
		}
		if (!try_rename(up))
			continue;
		st = palloc0(sizeof(DiffStep));
		st->upgrade = up;
		st->downgrade = down;
		steps = lappend(steps, st);
	}
	return steps;
}
