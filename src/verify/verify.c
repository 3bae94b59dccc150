/*-------------------------------------------------------------------------
 *
 * verify.c
 *	  verify(target): for each revision between the current state and the
 *	  target, on the live rows and inside subtransactions that are always
 *	  rolled back: upgrade; downgrade, which must restore the schema exactly
 *	  and keep the rows of every table that was there before; upgrade
 *	  again, which must give the first upgrade's schema.
 *
 * Subtransactions, innermost last:
 *	  outer		the whole call; rolled back at the end
 *	  rev		one revision's upgrade; kept (in outer) so that the next
 *				revision is verified on top of it
 *	  down		the downgrade and the second upgrade; always rolled back
 *	  reup		the second upgrade, so that its failure is a row
 * A failing upgrade, downgrade or second upgrade becomes a row with the
 * server's message; verify goes on with the next revision wherever the
 * state allows (after a failed upgrade nothing later can be verified).
 *
 * "Drops data": a table that exists before the upgrade and after the
 * downgrade must hold the same rows (compared over the columns it has on
 * both sides).  Counting and hashing every table for every revision would
 * make verify cost a scan of the database per revision, so only tables
 * that may differ are compared: another relation (oid, relfilenode), other
 * columns (number, type), or rows inserted, updated or deleted in between
 * (the backend's own transaction statistics, pg_stat_get_xact_*).  Their
 * rows after the downgrade are hashed then; the revision's subtransaction
 * is rolled back to hash them as they were before, and its upgrade is run
 * once more.  With track_counts off every table is compared.
 *
 * src/verify/verify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "apply.h"
#include "catalog.h"
#include "graph.h"
#include "introspect.h"
#include "lint.h"
#include "verify.h"

PG_FUNCTION_INFO_V1(schemamig_verify);

/* at most this many differences are named in one detail */
#define MAX_DIFFERENCES 10

/* One result row, kept until every subtransaction is gone. */
typedef struct VerifyRow
{
	char	   *revision;		/* NULL for the graph-wide heads check */
	const char *check;
	bool		ok;
	char	   *detail;
} VerifyRow;

/* What one run of a revision's SQL noted. */
typedef struct RunNotes
{
	List	   *notes;			/* char *: transactional equivalents used */
	int			stmt_no;		/* the statement running (for errors) */
} RunNotes;

/* A table of the tracked schemas, as far as "drops data" needs it. */
typedef struct TableState
{
	char	   *schema;
	char	   *name;
	Oid			oid;
	Oid			filenode;
	int64		changes[3];		/* inserted, updated, deleted in this xact */
	char	   *columns;		/* "attname:attnum:type:typmod,..." */
	List	   *colnames;		/* char *, by attnum */
} TableState;

/* A table whose rows are compared, and the result of each side. */
typedef struct Suspect
{
	TableState *before;
	TableState *after;
	List	   *columns;		/* char *: on both sides */
	int64		rows_after;
	char	   *hash_after;
	char	   *failure;
} Suspect;

static List *rows;				/* VerifyRow *, in rowcxt */
static MemoryContext rowcxt;

static void
add_row(const char *revision, const char *check, bool ok, const char *detail)
{
	MemoryContext old = MemoryContextSwitchTo(rowcxt);
	VerifyRow  *r = palloc(sizeof(VerifyRow));

	r->revision = revision ? pstrdup(revision) : NULL;
	r->check = check;
	r->ok = ok;
	r->detail = detail ? pstrdup(detail) : NULL;
	rows = lappend(rows, r);
	MemoryContextSwitchTo(old);
}

/* ---------------------------------------------------------------------
 * Running a revision
 * ---------------------------------------------------------------------
 */

static const char *
hook_replace(void *arg, int stmt_no, const SmStatement *st)
{
	RunNotes   *rn = (RunNotes *) arg;
	const char *r;
	char	   *note;

	rn->stmt_no = stmt_no;
	if (!st->nontransactional)
		return NULL;
	r = sm_transactional_equivalent(st, stmt_no, &note);
	if (note != NULL && !list_member(rn->notes, makeString(note)))
		rn->notes = lappend(rn->notes, makeString(note));
	return r;
}

/* "verified with ...: CREATE INDEX for CREATE INDEX CONCURRENTLY", or NULL */
static char *
notes_text(RunNotes *rn)
{
	StringInfoData buf;
	ListCell   *lc;

	if (rn->notes == NIL)
		return NULL;
	initStringInfo(&buf);
	appendStringInfoString(&buf, "verified with the transactional equivalent: ");
	foreach(lc, rn->notes)
	{
		if (foreach_current_index(lc) > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, strVal(lfirst(lc)));
	}
	return buf.data;
}

/* The detail of a failed run: the server's message, and where. */
static char *
error_text(ErrorData *e, RunNotes *rn)
{
	StringInfoData buf;

	initStringInfo(&buf);
	if (rn->stmt_no > 0)
		appendStringInfo(&buf, "statement %d: ", rn->stmt_no);
	appendStringInfoString(&buf, e->message ? e->message : "unknown error");
	if (e->detail)
		appendStringInfo(&buf, " (%s)", e->detail);
	appendStringInfo(&buf, " [SQLSTATE %s]", unpack_sql_state(e->sqlerrcode));
	return buf.data;
}

/*
 * run_in_subxact opens a subtransaction and runs one direction of "rev" in
 * it.  On success the subtransaction stays open (the caller commits or
 * rolls it back) and NULL is returned; on failure it is rolled back and the
 * error is returned.
 */
static ErrorData *
run_in_subxact(SmRevision *rev, bool upgrade, RunNotes *rn, bool lint)
{
	SmRunHooks	hooks;
	ErrorData  *volatile edata = NULL;

	memset(rn, 0, sizeof(RunNotes));
	hooks.replace = hook_replace;
	hooks.before = NULL;
	hooks.after = NULL;
	hooks.arg = rn;
	sm_subxact_begin();
	PG_TRY();
	{
		if (lint)
			sm_lint_before_upgrade(rev->id, rev->upgrade_sql);
		sm_run_revision_sql_hooked(rev, upgrade, &hooks);
	}
	PG_CATCH();
	{
		edata = sm_subxact_abort_caught();
	}
	PG_END_TRY();
	return edata;
}

/* ---------------------------------------------------------------------
 * Schema and tables
 * ---------------------------------------------------------------------
 */

static Jsonb *
describe_tracked(void)
{
	bool		all;
	List	   *schemas = sm_tracked_schema_list(&all);

	return sm_describe(schemas, all);
}

static const char *const q_tables =
"SELECT n.nspname::pg_catalog.text, c.relname::pg_catalog.text, c.oid, c.relfilenode,"
" pg_catalog.pg_stat_get_xact_tuples_inserted(c.oid),"
" pg_catalog.pg_stat_get_xact_tuples_updated(c.oid),"
" pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid),"
" (SELECT pg_catalog.string_agg(a.attname::pg_catalog.text OPERATOR(pg_catalog.||) ':'"
"    OPERATOR(pg_catalog.||) a.attnum OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) a.atttypid"
"    OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) a.atttypmod, ',' ORDER BY a.attnum)"
"   FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid"
"   AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped),"
" (SELECT pg_catalog.array_agg(a.attname::pg_catalog.text ORDER BY a.attnum)"
"   FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid"
"   AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped)"
" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
"   ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
" WHERE c.relkind OPERATOR(pg_catalog.=) 'r' AND c.relpersistence OPERATOR(pg_catalog.<>) 't'"
" AND CASE WHEN $1 IS NULL THEN n.nspname::pg_catalog.text OPERATOR(pg_catalog.!~) '^pg_'"
"   AND n.nspname OPERATOR(pg_catalog.<>) 'information_schema'"
"   AND n.nspname OPERATOR(pg_catalog.<>) 'schemamig'"
"   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e"
"     WHERE e.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass"
"     AND e.objid OPERATOR(pg_catalog.=) n.oid AND e.deptype OPERATOR(pg_catalog.=) 'e')"
"  ELSE n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($1) END"
" ORDER BY n.nspname::pg_catalog.text COLLATE \"C\", c.relname::pg_catalog.text COLLATE \"C\"";

/* The tables of the tracked schemas, sorted by (schema, name). */
static List *
table_states(void)
{
	bool		all;
	List	   *schemas = sm_tracked_schema_list(&all);
	Oid			argtypes[1] = {TEXTARRAYOID};
	Datum		values[1];
	char		nulls[1] = {'n'};
	uint64		n;
	uint64		i;
	List	   *result = NIL;

	if (!all)
	{
		values[0] = sm_text_array_datum(schemas);
		nulls[0] = ' ';
	}
	else
		values[0] = (Datum) 0;
	n = sm_spi_exec(q_tables, SPI_OK_SELECT, 1, argtypes, values, nulls);
	for (i = 0; i < n; i++)
	{
		TableState *t = palloc0(sizeof(TableState));
		bool		isnull;
		int			k;
		char	   *cols;

		t->schema = sm_spi_getstr(i, 1);
		t->name = sm_spi_getstr(i, 2);
		t->oid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3, &isnull));
		t->filenode = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 4, &isnull));
		for (k = 0; k < 3; k++)
			t->changes[k] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 5 + k, &isnull));
		cols = sm_spi_getstr(i, 8);
		t->columns = cols ? cols : pstrdup("");
		t->colnames = sm_spi_gettextarray(i, 9);
		result = lappend(result, t);
	}
	SPI_freetuptable(SPI_tuptable);
	return result;
}

static int
table_cmp(const TableState *a, const TableState *b)
{
	int			c = strcmp(a->schema, b->schema);

	return c != 0 ? c : strcmp(a->name, b->name);
}

static bool
table_may_differ(const TableState *a, const TableState *b)
{
	if (!pgstat_track_counts)
		return true;
	return a->oid != b->oid || a->filenode != b->filenode ||
		a->changes[0] != b->changes[0] || a->changes[1] != b->changes[1] ||
		a->changes[2] != b->changes[2] || strcmp(a->columns, b->columns) != 0;
}

/* a table present before and after, matched by table_cmp */
typedef struct TablePair
{
	TableState *a;
	TableState *b;
} TablePair;

/* The tables on both sides of two lists sorted by table_cmp, as pairs. */
static List *
table_pairs(List *before, List *after)
{
	List	   *result = NIL;
	ListCell   *la = list_head(before);
	ListCell   *lb = list_head(after);

	while (la != NULL && lb != NULL)
	{
		int			c = table_cmp(lfirst(la), lfirst(lb));

		if (c == 0)
		{
			TablePair  *p = palloc(sizeof(TablePair));

			p->a = lfirst(la);
			p->b = lfirst(lb);
			result = lappend(result, p);
		}
		if (c <= 0)
			la = lnext(before, la);
		if (c >= 0)
			lb = lnext(after, lb);
	}
	return result;
}

/* The tables of "before" that are in "after" too and may hold other rows. */
static List *
find_suspects(List *before, List *after)
{
	List	   *result = NIL;
	ListCell   *lp;

	foreach(lp, table_pairs(before, after))
	{
		TablePair  *p = lfirst(lp);
		Suspect    *s;
		ListCell   *lc;

		if (!table_may_differ(p->a, p->b))
			continue;
		s = palloc0(sizeof(Suspect));
		s->before = p->a;
		s->after = p->b;
		foreach(lc, p->a->colnames)
		{
			ListCell   *lc2;

			foreach(lc2, p->b->colnames)
				if (strcmp(lfirst(lc), lfirst(lc2)) == 0)
				{
					s->columns = lappend(s->columns, lfirst(lc));
					break;
				}
		}
		result = lappend(result, s);
	}
	return result;
}

/*
 * hash_rows counts and hashes the rows of a suspect table over its common
 * columns, in a subtransaction (the caller may lack SELECT on it).
 * Returns false with *failure set when that failed.
 */
static bool
hash_rows(Suspect *s, int64 *count, char **hash, char **failure)
{
	StringInfoData q;
	ListCell   *lc;
	volatile bool ok = false;
	ErrorData  *edata = NULL;

	initStringInfo(&q);
	appendStringInfoString(&q, "SELECT pg_catalog.count(*), pg_catalog.sum(pg_catalog.hashtextextended(ROW(");
	foreach(lc, s->columns)
	{
		if (foreach_current_index(lc) > 0)
			appendStringInfoString(&q, ", ");
		appendStringInfo(&q, "t.%s", quote_identifier((char *) lfirst(lc)));
	}
	appendStringInfo(&q, ")::pg_catalog.text, 0)::pg_catalog.numeric)::pg_catalog.text FROM ONLY %s AS t",
					 quote_qualified_identifier(s->before->schema, s->before->name));

	sm_subxact_begin();
	PG_TRY();
	{
		bool		isnull;
		char	   *h;

		if (SPI_execute(q.data, false, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not count the rows of %s", s->before->name);
		*count = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		h = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		*hash = h ? h : pstrdup("");
		SPI_freetuptable(SPI_tuptable);
		sm_subxact_commit();
		ok = true;
	}
	PG_CATCH();
	{
		edata = sm_subxact_abort_caught();
	}
	PG_END_TRY();
	if (!ok)
		*failure = pstrdup(edata->message);
	return ok;
}

/* "a, b, c" */
static char *
names_text(List *names)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, names)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
						 quote_identifier((char *) lfirst(lc)));
	return buf.data;
}

/*
 * column_order_differences: tables on both sides whose columns are the same
 * but in another order (describe() keys columns by name, so a downgrade
 * that drops a column and adds it back at the end passes it).
 */
static List *
column_order_differences(List *before, List *after)
{
	List	   *result = NIL;
	ListCell   *lp;

	foreach(lp, table_pairs(before, after))
	{
		TablePair  *p = lfirst(lp);
		ListCell   *x;
		ListCell   *y;
		bool		same_set = list_length(p->a->colnames) == list_length(p->b->colnames);
		bool		same_order = same_set;

		foreach(x, p->a->colnames)
		{
			bool		found = false;

			foreach(y, p->b->colnames)
				if (strcmp(lfirst(x), lfirst(y)) == 0)
					found = true;
			if (!found)
				same_set = false;
		}
		if (same_set)
			forboth(x, p->a->colnames, y, p->b->colnames)
				if (strcmp(lfirst(x), lfirst(y)) != 0)
					same_order = false;
		if (same_set && !same_order)
			result = lappend(result,
							 psprintf("table %s: column order was %s, now %s",
									  quote_qualified_identifier(p->a->schema, p->a->name),
									  names_text(p->a->colnames), names_text(p->b->colnames)));
	}
	return result;
}

/* The "data" row's detail, after both sides were hashed; NULL when ok. */
static char *
compare_suspects(List *suspects, bool *ok)
{
	StringInfoData buf;
	ListCell   *lc;

	*ok = true;
	initStringInfo(&buf);
	foreach(lc, suspects)
	{
		Suspect    *s = lfirst(lc);
		int64		rows_before = 0;
		char	   *hash_before = NULL;
		char	   *failure = s->failure;
		char	   *rel = quote_qualified_identifier(s->before->schema, s->before->name);

		if (failure == NULL)
			(void) hash_rows(s, &rows_before, &hash_before, &failure);
		if (failure != NULL)
		{
			*ok = false;
			appendStringInfo(&buf, "%scould not compare the rows of table %s: %s",
							 buf.len > 0 ? "; " : "", rel, failure);
			continue;
		}
		if (rows_before == s->rows_after && strcmp(hash_before, s->hash_after) == 0)
			continue;
		*ok = false;
		appendStringInfo(&buf, "%stable %s holds other rows after the downgrade: " INT64_FORMAT " before the upgrade, " INT64_FORMAT " after",
						 buf.len > 0 ? "; " : "", rel, rows_before, s->rows_after);
	}
	if (*ok)
		return NULL;
	return psprintf("drops data: %s", buf.data);
}

/* ---------------------------------------------------------------------
 * verify()
 * ---------------------------------------------------------------------
 */

static char *
differences_text(const char *what, List *diffs)
{
	if (diffs == NIL)
		return NULL;
	return psprintf("%s: %s", what, sm_join_differences(diffs, MAX_DIFFERENCES));
}

/* rows "not verified" for the steps after a failed one */
static void
skip_rest(List *steps, ListCell *from, const char *failed)
{
	ListCell   *lc;

	for_each_cell(lc, steps, lnext(steps, from))
	{
		SmStep	   *s = lfirst(lc);

		add_row(s->rev->id, "upgrade", false,
				psprintf("not verified: revision %s did not upgrade", failed));
	}
}

/*
 * verify_revision verifies one revision from the state described by
 * *schema and *tables, and leaves its upgrade applied (in a subtransaction
 * committed into the outer one), with *schema and *tables describing the
 * state after it.  Returns false when the upgrade failed.
 */
static bool
verify_revision(SmRevision *rev, Jsonb **schema, List **tables)
{
	RunNotes	up;
	RunNotes	down;
	RunNotes	reup;
	ErrorData  *err;
	Jsonb	   *after_up;
	Jsonb	   *after_down;
	List	   *tables_down;
	List	   *suspects = NIL;
	ListCell   *lc;
	char	   *residue = NULL;
	char	   *data = NULL;
	bool		data_ok = true;
	char	   *reup_detail = NULL;
	bool		reup_ok = true;

	/* the upgrade, in the revision's subtransaction */
	err = run_in_subxact(rev, true, &up, true);
	if (err != NULL)
	{
		add_row(rev->id, "upgrade", false, error_text(err, &up));
		return false;
	}
	after_up = describe_tracked();
	add_row(rev->id, "upgrade", true, notes_text(&up));

	if (!rev->has_downgrade)
	{
		add_row(rev->id, "downgrade", false, "irreversible");
		sm_subxact_commit();
		*schema = after_up;
		*tables = table_states();
		return true;
	}

	/* the downgrade and the second upgrade, always rolled back */
	err = run_in_subxact(rev, false, &down, false);
	if (err != NULL)
	{
		add_row(rev->id, "downgrade", false, error_text(err, &down));
		sm_subxact_commit();
		*schema = after_up;
		*tables = table_states();
		return true;
	}
	add_row(rev->id, "downgrade", true, notes_text(&down));
	after_down = describe_tracked();
	tables_down = table_states();
	residue = differences_text("differs from before the upgrade",
							   list_concat(sm_schema_differences(*schema, after_down,
																 "left behind", "not restored"),
										   column_order_differences(*tables, tables_down)));
	suspects = find_suspects(*tables, tables_down);
	foreach(lc, suspects)
	{
		Suspect    *s = lfirst(lc);

		(void) hash_rows(s, &s->rows_after, &s->hash_after, &s->failure);
	}

	err = run_in_subxact(rev, true, &reup, false);
	if (err != NULL)
	{
		reup_ok = false;
		reup_detail = error_text(err, &reup);
	}
	else
	{
		Jsonb	   *again = describe_tracked();

		reup_detail = differences_text("differs from the first upgrade",
									   sm_schema_differences(after_up, again,
															 "extra", "missing"));
		reup_ok = (reup_detail == NULL);
		sm_subxact_rollback();	/* the second upgrade */
	}
	sm_subxact_rollback();		/* the downgrade */

	if (suspects != NIL)
	{
		/* back to before the upgrade, to read the rows as they were */
		sm_subxact_rollback();
		data = compare_suspects(suspects, &data_ok);
		err = run_in_subxact(rev, true, &up, false);
		if (err != NULL)
		{
			add_row(rev->id, "residue", residue == NULL, residue);
			add_row(rev->id, "data", data_ok, data);
			add_row(rev->id, "reupgrade", reup_ok, reup_detail);
			add_row(rev->id, "upgrade", false,
					psprintf("the upgrade failed when run again: %s", error_text(err, &up)));
			return false;
		}
	}
	add_row(rev->id, "residue", residue == NULL, residue);
	add_row(rev->id, "data", data_ok, data);
	add_row(rev->id, "reupgrade", reup_ok, reup_detail);

	sm_subxact_commit();
	*schema = after_up;
	*tables = table_states();
	return true;
}

/*
 * verify_steps: the body of verify() inside the outer subtransaction.
 * For a target below the current state, the downgrade to it runs first;
 * the revisions it reverted are then verified upwards.
 */
static void
verify_steps(List *steps, bool downwards)
{
	Jsonb	   *schema;
	List	   *tables;
	ListCell   *lc;
	MemoryContext prev = NULL;

	if (downwards)
	{
		List	   *ups = NIL;

		foreach(lc, steps)
		{
			SmStep	   *s = lfirst(lc);
			SmStep	   *u;
			RunNotes	rn;
			ErrorData  *err;

			if (!s->rev->has_downgrade)
			{
				add_row(s->rev->id, "downgrade", false, "irreversible");
				return;
			}
			err = run_in_subxact(s->rev, false, &rn, false);
			if (err != NULL)
			{
				add_row(s->rev->id, "downgrade", false, error_text(err, &rn));
				return;
			}
			sm_subxact_commit();
			u = palloc(sizeof(SmStep));
			u->rev = s->rev;
			u->upgrade = true;
			ups = lcons(u, ups);
		}
		steps = ups;
	}

	schema = describe_tracked();
	tables = table_states();
	foreach(lc, steps)
	{
		SmStep	   *s = lfirst(lc);
		MemoryContext old = CurrentMemoryContext;
		MemoryContext cur;
		bool		ok;

		CHECK_FOR_INTERRUPTS();

		/*
		 * Each revision works in a context of its own, which holds the state
		 * it leaves for the next one; the one before it is freed then.
		 */
		cur = AllocSetContextCreate(old, "pg_schemamig verify revision",
									ALLOCSET_DEFAULT_SIZES);
		MemoryContextSwitchTo(cur);
		ok = verify_revision(s->rev, &schema, &tables);
		MemoryContextSwitchTo(old);
		if (prev != NULL)
			MemoryContextDelete(prev);
		prev = cur;
		if (!ok)
		{
			skip_rest(steps, lc, s->rev->id);
			break;
		}
	}
}

/*
 * schemamig.verify(target text DEFAULT 'heads') returns TABLE(revision,
 * check, ok, detail).
 */
Datum
schemamig_verify(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext cxt;
	char	   *target;
	SmGraph    *g;
	List	   *heads;
	List	   *steps;
	List	   *graph_heads_list;
	bool		downwards;
	int			base;
	ListCell   *lc;

	target = sm_target_arg(fcinfo);
	sm_refuse_inside_revision("verify");

	InitMaterializedSRF(fcinfo, 0);
	sm_lock_for_migration();
	sm_spi_connect();
	cxt = CurrentMemoryContext;
	rows = NIL;
	rowcxt = cxt;

	g = graph_load(true);
	heads = sm_version_heads();
	downwards = graph_is_downgrade_target(g, heads, target);
	steps = downwards ? graph_downgrade_steps(g, heads, target)
		: graph_upgrade_steps(g, heads, target);

	if (steps != NIL)
	{
		graph_heads_list = graph_heads(g);
		if (list_length(graph_heads_list) > 1)
			add_row(NULL, "heads", false,
					psprintf("several heads: %s", sm_join_ids(graph_heads_list)));

		base = sm_subxact_depth();
		sm_subxact_begin();
		PG_TRY();
		{
			verify_steps(steps, downwards);
			sm_subxact_unwind(base);
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			FlushErrorState();
			sm_subxact_unwind(base);
			ReThrowError(edata);
		}
		PG_END_TRY();
	}
	MemoryContextSwitchTo(cxt);

	foreach(lc, rows)
	{
		VerifyRow  *r = lfirst(lc);
		Datum		v[4];
		bool		n[4] = {false, false, false, false};

		v[0] = r->revision ? CStringGetTextDatum(r->revision) : (Datum) 0;
		n[0] = (r->revision == NULL);
		v[1] = CStringGetTextDatum(r->check);
		v[2] = BoolGetDatum(r->ok);
		v[3] = r->detail ? CStringGetTextDatum(r->detail) : (Datum) 0;
		n[3] = (r->detail == NULL);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	rows = NIL;
	sm_spi_finish();
	return (Datum) 0;
}
