/*-------------------------------------------------------------------------
 *
 * plan_alter.c
 *	  The steps of each action: in-place ALTERs with their inverses, the
 *	  rebuild of a type by renaming it aside, and the statements of drops
 *	  and creates (a drop's inverse recreates everything folded into it),
 *	  with hazards from the live data.
 *
 * src/diff/plan_alter.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_class.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "diff.h"
#include "plan_int.h"

static bool
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
list_has(List *l, const char *s)
{
	ListCell   *lc;

	foreach(lc, l)
		if (strcmp((char *) lfirst(lc), s) == 0)
		return true;
	return false;
}

/* hazard list builder */
static void
hz(StringInfo h, const char *name)
{
	if (h->len > 0)
		appendStringInfoString(h, ", ");
	appendStringInfoString(h, name);
}

/* a table that exists before the migration (not new, not rebuilt) */
static bool
existing_table(Planner *p, const char *tablekey)
{
	PEnt	   *t = plan_entry(p, tablekey);

	return t->from && t->to && !t->rebuild;
}

static void
attr_steps(Action *a, DiffObj *f, DiffObj *t)
{
	ListCell   *lc;

	if (!streq(f->comment, t->comment))
		plan_step(a, psprintf("%s;", diff_comment_sql(t, t->comment)),
				  psprintf("%s;", diff_comment_sql(f, f->comment)), NULL);
	foreach(lc, f->grants)
	{
		char	   *g = lfirst(lc);

		if (!list_has(t->grants, g))
			plan_step(a, psprintf("%s;", diff_grant_sql(t, g, true)),
					  psprintf("%s;", diff_grant_sql(f, g, false)), "AUTHZ_UPDATE");
	}
	foreach(lc, t->grants)
	{
		char	   *g = lfirst(lc);

		if (!list_has(f->grants, g))
			plan_step(a, psprintf("%s;", diff_grant_sql(t, g, false)),
					  psprintf("%s;", diff_grant_sql(f, g, true)), "AUTHZ_UPDATE");
	}
}

/* does PostgreSQL have a cast (explicit, assignment or implicit) from -> to? */
static bool
has_cast(const char *from, const char *to)
{
	bool		failed;

	(void) diff_count(psprintf("SELECT pg_catalog.count(*) FROM (SELECT CAST(NULL::%s AS %s)) s", from, to),
					  &failed);
	return !failed;
}

/*
 * USING expression of a type change: a plain cast, or through text (the
 * types' input and output functions) when a user-defined type (always
 * schema-qualified here) is on either side, as there is no cast between two
 * enums, or when PostgreSQL has no cast between the two (bigint to
 * timestamp): that converts every value whose text form the new type reads,
 * and the data check flags rows it cannot convert.
 */
static char *
using_cast2(const char *col, const char *from, const char *type)
{
	if (strchr(type, '.') || (from && (strchr(from, '.') || !has_cast(from, type))))
		return psprintf("%s::text%s::%s", quote_identifier(col),
						strlen(type) > 2 && strcmp(type + strlen(type) - 2, "[]") == 0 ? "[]" : "", type);
	return psprintf("%s::%s", quote_identifier(col), type);
}

/*
 * identity_steps: a column's identity added, dropped, or its kind and
 * sequence options changed
 */
static void
identity_steps(Action *a, DiffObj *f, DiffObj *t, const char *qc)
{
	char	   *addf = f->identity ? psprintf("ALTER TABLE %s ALTER COLUMN %s ADD GENERATED %s AS IDENTITY (%s);",
											  t->table, qc, f->identity == 'a' ? "ALWAYS" : "BY DEFAULT",
											  diff_identity_opts(f->idopts, false)) : NULL;
	char	   *addt = t->identity ? psprintf("ALTER TABLE %s ALTER COLUMN %s ADD GENERATED %s AS IDENTITY (%s);",
											  t->table, qc, t->identity == 'a' ? "ALWAYS" : "BY DEFAULT",
											  diff_identity_opts(t->idopts, false)) : NULL;
	char	   *dropi = psprintf("ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY;", t->table, qc);

	if (!f->identity)
		plan_step(a, addt, dropi, NULL);
	else if (!t->identity)
		plan_step(a, dropi, addf, NULL);
	else
	{
		if (f->identity != t->identity)
			plan_step(a, psprintf("ALTER TABLE %s ALTER COLUMN %s SET GENERATED %s;", t->table, qc,
								  t->identity == 'a' ? "ALWAYS" : "BY DEFAULT"),
					  psprintf("ALTER TABLE %s ALTER COLUMN %s SET GENERATED %s;", t->table, qc,
							   f->identity == 'a' ? "ALWAYS" : "BY DEFAULT"), NULL);
		if (!streq(f->idopts, t->idopts))
			plan_step(a, psprintf("ALTER TABLE %s ALTER COLUMN %s %s;", t->table, qc,
								  diff_identity_opts(t->idopts, true)),
					  psprintf("ALTER TABLE %s ALTER COLUMN %s %s;", t->table, qc,
							   diff_identity_opts(f->idopts, true)), NULL);
	}
}

static void
column_alter(Planner *p, PEnt *e, Action *a)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;
	char	   *qc = pstrdup(quote_identifier(t->name));
	bool		existing = existing_table(p, t->parent);

	if (e->typechange)
	{
		StringInfoData h;
		char	   *up,
				   *down;
		bool		typediff = !streq(f->type, t->type);
		char	   *castup = typediff ? using_cast2(t->name, f->type, t->type) : NULL;

		initStringInfo(&h);
		hz(&h, "ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
		if (typediff)
			hz(&h, "REWRITES_TABLE");
		if (existing && typediff)
		{
			bool		failed;
			int64		n = diff_count(psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NOT NULL AND (%s) IS NULL",
												t->table, qc, castup), &failed);

			if (failed)
				hz(&h, "FAILS_ON_EXISTING_DATA (the cast fails on existing rows)");
			else if (n > 0)
				hz(&h, psprintf("FAILS_ON_EXISTING_DATA (" INT64_FORMAT " rows)", n));
		}
		up = psprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s%s%s%s;", t->table, qc, t->type,
					  t->collation ? " COLLATE " : "", t->collation ? t->collation : "",
					  typediff ? psprintf(" USING %s", castup) : "");
		down = psprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s%s%s%s;", f->table, qc, f->type,
						f->collation ? " COLLATE " : "", f->collation ? f->collation : "",
						typediff ? psprintf(" USING %s", using_cast2(f->name, t->type, f->type)) : "");
		plan_step(a, up, down, h.data);
	}
	/* an identity column is NOT NULL: drop the identity first, add it last */
	if (f->identity && !t->identity)
		identity_steps(a, f, t, qc);
	if (f->notnull != t->notnull)
	{
		char	   *hazard = NULL;

		if (t->notnull && existing)
		{
			bool		failed;
			int64		n = diff_count(psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NULL",
												t->table, qc), &failed);

			hazard = n > 0 ? psprintf("ACQUIRES_ACCESS_EXCLUSIVE_LOCK, FAILS_ON_EXISTING_DATA (" INT64_FORMAT " rows with NULL)", n) :
				"ACQUIRES_ACCESS_EXCLUSIVE_LOCK";
		}
		plan_step(a, psprintf("ALTER TABLE %s ALTER COLUMN %s %s NOT NULL;", t->table, qc, t->notnull ? "SET" : "DROP"),
				  psprintf("ALTER TABLE %s ALTER COLUMN %s %s NOT NULL;", t->table, qc, f->notnull ? "SET" : "DROP"),
				  hazard);
	}
	if (!(f->identity && !t->identity) &&
		(f->identity != t->identity || !streq(f->idopts, t->idopts)))
		identity_steps(a, f, t, qc);
	attr_steps(a, f, t);
}

static const char *
replident_sql(DiffObj *t)
{
	switch (t->replident)
	{
		case 'f':
			return "FULL";
		case 'n':
			return "NOTHING";
		case 'i':
			return psprintf("USING INDEX %s", quote_identifier(t->replindex ? t->replindex : ""));
		default:
			return "DEFAULT";
	}
}

/* "a=1, b=2" -> "a, b" */
static char *
option_names(const char *opts)
{
	StringInfoData buf;
	const char *p = opts;

	initStringInfo(&buf);
	while (p && *p)
	{
		const char *eq = strchr(p, '=');
		const char *comma = strstr(p, ", ");

		if (!eq)
			break;
		if (buf.len)
			appendStringInfoString(&buf, ", ");
		appendBinaryStringInfo(&buf, p, eq - p);
		p = comma ? comma + 2 : NULL;
	}
	return buf.data;
}

static void
table_alter(Planner *p, PEnt *e, Action *a)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;
	ListCell   *lc;

	if (f->persistence != t->persistence)
		plan_step(a, psprintf("ALTER TABLE %s SET %s;", t->qname, t->persistence == 'u' ? "UNLOGGED" : "LOGGED"),
				  psprintf("ALTER TABLE %s SET %s;", t->qname, f->persistence == 'u' ? "UNLOGGED" : "LOGGED"),
				  "ACQUIRES_ACCESS_EXCLUSIVE_LOCK, REWRITES_TABLE");
	if (!streq(f->partof, t->partof) || !streq(f->bound, t->bound))
	{
		if (f->partof)
			plan_step(a, psprintf("ALTER TABLE %s DETACH PARTITION %s;", f->partof, t->qname),
					  psprintf("ALTER TABLE %s ATTACH PARTITION %s %s;", f->partof, t->qname, f->bound),
					  "ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
		if (t->partof)
			plan_partition_attach_table(p, a, f, t);
	}
	foreach(lc, f->inherits)
		if (!list_has(t->inherits, lfirst(lc)))
		plan_step(a, psprintf("ALTER TABLE %s NO INHERIT %s;", t->qname, (char *) lfirst(lc)),
				  psprintf("ALTER TABLE %s INHERIT %s;", t->qname, (char *) lfirst(lc)), NULL);
	foreach(lc, t->inherits)
		if (!list_has(f->inherits, lfirst(lc)))
		plan_step(a, psprintf("ALTER TABLE %s INHERIT %s;", t->qname, (char *) lfirst(lc)),
				  psprintf("ALTER TABLE %s NO INHERIT %s;", t->qname, (char *) lfirst(lc)), NULL);
	if (f->rls != t->rls)
		plan_step(a, psprintf("ALTER TABLE %s %s ROW LEVEL SECURITY;", t->qname, t->rls ? "ENABLE" : "DISABLE"),
				  psprintf("ALTER TABLE %s %s ROW LEVEL SECURITY;", t->qname, f->rls ? "ENABLE" : "DISABLE"),
				  "AUTHZ_UPDATE");
	if (f->forcerls != t->forcerls)
		plan_step(a, psprintf("ALTER TABLE %s %sFORCE ROW LEVEL SECURITY;", t->qname, t->forcerls ? "" : "NO "),
				  psprintf("ALTER TABLE %s %sFORCE ROW LEVEL SECURITY;", t->qname, f->forcerls ? "" : "NO "),
				  "AUTHZ_UPDATE");
	if (!streq(f->options, t->options))
	{
		StringInfoData up,
					down;

		initStringInfo(&up);
		initStringInfo(&down);
		if (f->options)
			diff_append_stmt(&up, psprintf("ALTER TABLE %s RESET (%s)", t->qname, option_names(f->options)));
		if (t->options)
			diff_append_stmt(&up, psprintf("ALTER TABLE %s SET (%s)", t->qname, t->options));
		if (t->options)
			diff_append_stmt(&down, psprintf("ALTER TABLE %s RESET (%s)", t->qname, option_names(t->options)));
		if (f->options)
			diff_append_stmt(&down, psprintf("ALTER TABLE %s SET (%s)", t->qname, f->options));
		plan_step(a, up.data, down.data, NULL);
	}
	if (f->replident != t->replident || !streq(f->replindex, t->replindex))
	{
		if (t->replident == 'i')
			plan_replident_step(p, e);
		else
			plan_step(a, psprintf("ALTER TABLE %s REPLICA IDENTITY %s;", t->qname, replident_sql(t)),
					  psprintf("ALTER TABLE %s REPLICA IDENTITY %s;", t->qname, replident_sql(f)),
					  "ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
	}
	attr_steps(a, f, t);
}

/*
 * plan_replident_step: REPLICA IDENTITY USING INDEX of table entry e (an
 * existing, a created or a rebuilt table), an action of its own that comes
 * after the index is built; its inverse restores the live setting (DEFAULT
 * for a new table, which its own drop follows).
 */
void
plan_replident_step(Planner *p, PEnt *e)
{
	DiffObj    *f = e->from && !e->rebuild ? e->from : NULL;

	e->replact = plan_new_action(p, e, 2);
	plan_step(e->replact, psprintf("ALTER TABLE %s REPLICA IDENTITY %s;", e->to->qname, replident_sql(e->to)),
			  psprintf("ALTER TABLE %s REPLICA IDENTITY %s;", e->to->qname, f ? replident_sql(f) : "DEFAULT"),
			  f ? "ACQUIRES_ACCESS_EXCLUSIVE_LOCK" : NULL);
}

/* USING expression converting column c to type "type" through text */
static char *
text_cast(DiffObj *c, const char *type)
{
	int			len = strlen(type);
	bool		isarray = len > 2 && strcmp(type + len - 2, "[]") == 0;

	return psprintf("%s::text%s::%s", quote_identifier(c->name), isarray ? "[]" : "", type);
}

/* a column's type with the type "from" replaced by "to" (arrays keep []) */
static char *
swap_type(const char *coltype, const char *from, const char *to)
{
	if (strncmp(coltype, from, strlen(from)) == 0)
		return psprintf("%s%s", to, coltype + strlen(from));
	return pstrdup(coltype);
}

/* ALTER TYPE/DOMAIN: a type renamed aside, recreated, its columns converted */
static void
type_dance(Planner *p, PEnt *e, Action *a)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;
	char	   *tmpname = psprintf("%.40s_schemamig_old", f->name);
	char	   *qtmp = psprintf("%s.%s", quote_identifier(f->schema), quote_identifier(tmpname));
	const char *word = f->subkind == 'd' ? "DOMAIN" : "TYPE";
	ListCell   *lc;
	StringInfoData h;

	(void) p;
	plan_step(a, psprintf("ALTER %s %s RENAME TO %s;", word, f->qname, quote_identifier(tmpname)),
			  psprintf("ALTER %s %s RENAME TO %s;", word, qtmp, quote_identifier(f->name)), NULL);
	plan_step(a, psprintf("%s;", diff_type_sql(t, t->qname)),
			  psprintf("DROP %s %s;", t->subkind == 'd' ? "DOMAIN" : "TYPE", t->qname), NULL);
	foreach(lc, e->dancecols)
	{
		PEnt	   *c = lfirst(lc);
		DiffObj    *cf = c->from;
		DiffObj    *ct = c->to;
		char	   *oldtype = swap_type(cf->type, f->qname, qtmp);

		initStringInfo(&h);
		hz(&h, "ACQUIRES_ACCESS_EXCLUSIVE_LOCK, REWRITES_TABLE");
		if (f->subkind == 'e')
		{
			StringInfoData labels;
			ListCell   *l2;
			bool		failed;
			int64		n;

			initStringInfo(&labels);
			foreach(l2, t->labels)
				appendStringInfo(&labels, "%s%s", labels.len ? ", " : "", quote_literal_cstr(lfirst(l2)));
			n = diff_count(psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s::text <> ALL (ARRAY[%s]::text[])",
									cf->table, quote_identifier(cf->name), labels.len ? labels.data : "NULL"), &failed);
			if (n > 0)
				hz(&h, psprintf("FAILS_ON_EXISTING_DATA (" INT64_FORMAT " rows with a dropped value)", n));
		}
		plan_step(a, psprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s;", ct->table,
							  quote_identifier(ct->name), ct->type, text_cast(ct, ct->type)),
				  psprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s;", cf->table,
						   quote_identifier(cf->name), oldtype, text_cast(cf, oldtype)),
				  h.data);
	}
	plan_step(a, psprintf("DROP %s %s;", word, qtmp),
			  psprintf("%s;", diff_type_sql(f, qtmp)), NULL);
	attr_steps(a, f, t);
}

/* enum values added in place; the inverse rebuilds the type without them */
static void
enum_add(Planner *p, PEnt *e, Action *a)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;
	StringInfoData up,
				down;
	List	   *cur = list_copy(f->labels);
	ListCell   *lc;
	char	   *tmpname = psprintf("%.40s_schemamig_old", f->name);
	char	   *qtmp = psprintf("%s.%s", quote_identifier(f->schema), quote_identifier(tmpname));

	(void) p;
	initStringInfo(&up);
	foreach(lc, t->labels)
	{
		char	   *l = lfirst(lc);
		ListCell   *nx;
		char	   *before = NULL;

		if (list_has(cur, l))
			continue;
		for (nx = lnext(t->labels, lc); nx; nx = lnext(t->labels, nx))
			if (list_has(cur, lfirst(nx)))
			{
				before = lfirst(nx);
				break;
			}
		diff_append_stmt(&up, psprintf("ALTER TYPE %s ADD VALUE %s%s%s", t->qname, quote_literal_cstr(l),
									   before ? " BEFORE " : "", before ? quote_literal_cstr(before) : ""));
		cur = lappend(cur, l);
	}
	initStringInfo(&down);
	diff_append_stmt(&down, psprintf("ALTER TYPE %s RENAME TO %s", t->qname, quote_identifier(tmpname)));
	diff_append_stmt(&down, diff_type_sql(f, f->qname));
	foreach(lc, e->dancecols)
	{
		PEnt	   *c = lfirst(lc);

		diff_append_stmt(&down, psprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s", c->from->table,
										 quote_identifier(c->from->name), c->from->type,
										 text_cast(c->from, c->from->type)));
	}
	diff_append_stmt(&down, psprintf("DROP TYPE %s", qtmp));
	plan_step(a, up.data, down.data, NULL);
	attr_steps(a, f, t);
}

static void
type_alter(Planner *p, PEnt *e, Action *a)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;
	ListCell   *lc;

	if (e->dance)
	{
		type_dance(p, e, a);
		return;
	}
	if (streq(f->def, t->def))
	{
		attr_steps(a, f, t);
		return;
	}
	if (f->subkind == 'e')
	{
		enum_add(p, e, a);
		return;
	}
	if (f->subkind == 'c')
	{
		for (lc = list_nth_cell(t->labels, list_length(f->labels)); lc; lc = lnext(t->labels, lc))
		{
			char	   *attr = lfirst(lc);
			char	   *sp = strchr(attr, ' ');

			plan_step(a, psprintf("ALTER TYPE %s ADD ATTRIBUTE %s;", t->qname, attr),
					  psprintf("ALTER TYPE %s DROP ATTRIBUTE %.*s;", t->qname, (int) (sp - attr), attr), NULL);
		}
		attr_steps(a, f, t);
		return;
	}
	/* domain over the same base type */
	if (!streq(f->defexpr, t->defexpr))
		plan_step(a, t->defexpr ? psprintf("ALTER DOMAIN %s SET DEFAULT %s;", t->qname, t->defexpr) :
				  psprintf("ALTER DOMAIN %s DROP DEFAULT;", t->qname),
				  f->defexpr ? psprintf("ALTER DOMAIN %s SET DEFAULT %s;", t->qname, f->defexpr) :
				  psprintf("ALTER DOMAIN %s DROP DEFAULT;", t->qname), NULL);
	if (f->notnull != t->notnull)
		plan_step(a, psprintf("ALTER DOMAIN %s %s NOT NULL;", t->qname, t->notnull ? "SET" : "DROP"),
				  psprintf("ALTER DOMAIN %s %s NOT NULL;", t->qname, f->notnull ? "SET" : "DROP"), NULL);
	foreach(lc, f->checks)
	{
		char	   *c = lfirst(lc);
		char	   *tab = strchr(c, '\t');

		if (!list_has(t->checks, c))
			plan_step(a, psprintf("ALTER DOMAIN %s DROP CONSTRAINT %.*s;", t->qname, (int) (tab - c), c),
					  psprintf("ALTER DOMAIN %s ADD CONSTRAINT %.*s %s;", t->qname, (int) (tab - c), c, tab + 1), NULL);
	}
	foreach(lc, t->checks)
	{
		char	   *c = lfirst(lc);
		char	   *tab = strchr(c, '\t');

		if (!list_has(f->checks, c))
			plan_step(a, psprintf("ALTER DOMAIN %s ADD CONSTRAINT %.*s %s;", t->qname, (int) (tab - c), c, tab + 1),
					  psprintf("ALTER DOMAIN %s DROP CONSTRAINT %.*s;", t->qname, (int) (tab - c), c),
					  "FAILS_ON_EXISTING_DATA (if stored values violate it)");
	}
	attr_steps(a, f, t);
}

/*
 * extension_update: ALTER EXTENSION ... UPDATE TO the desired version.  Its
 * inverse updates back when the extension ships an update path back (most
 * ship none: pg_trgm 1.4 cannot go to 1.3); otherwise it drops the extension
 * and creates it at the old version, which PostgreSQL refuses (no CASCADE)
 * while any object depends on the extension, rather than dropping them.
 */
static void
extension_update(Action *a, DiffObj *f, DiffObj *t)
{
	bool		failed;
	int64		back = diff_count(psprintf("SELECT pg_catalog.count(*) FROM pg_catalog.pg_extension_update_paths(%s)"
										   " WHERE source OPERATOR(pg_catalog.=) %s AND target OPERATOR(pg_catalog.=) %s"
										   " AND path IS NOT NULL",
										   quote_literal_cstr(t->name), quote_literal_cstr(t->version),
										   quote_literal_cstr(f->version)), &failed);
	char	   *up = psprintf("ALTER EXTENSION %s UPDATE TO %s;", t->qname, quote_literal_cstr(t->version));

	if (back > 0)
		plan_step(a, up, psprintf("ALTER EXTENSION %s UPDATE TO %s;", t->qname, quote_literal_cstr(f->version)),
				  "UPGRADING_EXTENSION_VERSION");
	else
	{
		StringInfoData down;

		/* recreated in the schema it has at this point of the downgrade */
		initStringInfo(&down);
		appendStringInfo(&down, "%s\n", diff_drop_sql(t));
		appendStringInfo(&down, "CREATE EXTENSION %s WITH SCHEMA %s VERSION %s;",
						 t->qname, quote_identifier(t->schema), quote_literal_cstr(f->version));
		plan_step(a, up, down.data,
				  psprintf("UPGRADING_EXTENSION_VERSION (no update path back to %s: the downgrade drops the extension"
						   " and creates it again, and fails while objects depend on it)", f->version));
	}
}

/* plan_alter_steps: the steps of an in-place change of entry e */
void
plan_alter_steps(Planner *p, PEnt *e, Action *a)
{
	DiffObj    *f = e->from;
	DiffObj    *t = e->to;

	switch (t->kind)
	{
		case DK_TABLE:
			table_alter(p, e, a);
			break;
		case DK_COLUMN:
			if (t->inherited)
				plan_partition_column(e, a);
			else
				column_alter(p, e, a);
			break;
		case DK_TYPE:
			type_alter(p, e, a);
			break;
		case DK_DEFAULT:
			plan_step(a, psprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", t->table, quote_identifier(t->name), t->def),
					  psprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;", f->table, quote_identifier(f->name), f->def),
					  NULL);
			break;
		case DK_SEQOWNER:
			plan_step(a, psprintf("ALTER SEQUENCE %s OWNED BY %s;", t->qname, t->def),
					  psprintf("ALTER SEQUENCE %s OWNED BY %s;", f->qname, f->def), NULL);
			break;
		case DK_SEQUENCE:
			if (!streq(f->seqopts, t->seqopts))
				plan_step(a, psprintf("ALTER SEQUENCE %s %s;", t->qname, diff_seq_opts(t->seqopts)),
						  psprintf("ALTER SEQUENCE %s %s;", f->qname, diff_seq_opts(f->seqopts)), NULL);
			attr_steps(a, f, t);
			break;
		case DK_CONSTRAINT:
			if (f->validated != t->validated)
				plan_step(a, psprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", t->table, quote_identifier(t->name)),
						  psprintf("ALTER TABLE %s DROP CONSTRAINT %s;\nALTER TABLE %s ADD CONSTRAINT %s %s NOT VALID;",
								   f->table, quote_identifier(f->name), f->table, quote_identifier(f->name), f->def),
						  "ACQUIRES_SHARE_UPDATE_EXCLUSIVE_LOCK");
			attr_steps(a, f, t);
			break;
		case DK_FUNCTION:
			if (!streq(f->def, t->def))
			{
				StringInfoData up,
							down;

				initStringInfo(&up);
				initStringInfo(&down);
				diff_function_sql(&up, t);
				diff_function_sql(&down, f);
				plan_step(a, up.data, down.data,
						  t->untracked || f->untracked ? "HAS_UNTRACKABLE_DEPENDENCIES" : NULL);
			}
			attr_steps(a, f, t);
			break;
		case DK_TRIGGER:
			if (f->subkind != t->subkind)
			{
				const char *ws = t->subkind == 'D' ? "DISABLE" : t->subkind == 'R' ? "ENABLE REPLICA" :
					t->subkind == 'A' ? "ENABLE ALWAYS" : "ENABLE";
				const char *wf = f->subkind == 'D' ? "DISABLE" : f->subkind == 'R' ? "ENABLE REPLICA" :
					f->subkind == 'A' ? "ENABLE ALWAYS" : "ENABLE";

				plan_step(a, psprintf("ALTER TABLE %s %s TRIGGER %s;", t->table, ws, quote_identifier(t->name)),
						  psprintf("ALTER TABLE %s %s TRIGGER %s;", t->table, wf, quote_identifier(t->name)), NULL);
			}
			attr_steps(a, f, t);
			break;
		case DK_EXTENSION:
			if (!streq(f->schema, t->schema))
				plan_step(a, psprintf("ALTER EXTENSION %s SET SCHEMA %s;", t->qname, quote_identifier(t->schema)),
						  psprintf("ALTER EXTENSION %s SET SCHEMA %s;", t->qname, quote_identifier(f->schema)), NULL);
			if (!streq(f->version, t->version))
				extension_update(a, f, t);
			attr_steps(a, f, t);
			break;
		default:
			attr_steps(a, f, t);
			break;
	}
}

static int
fold_rank(DiffObj *o)
{
	int			r = o->kind * 4;

	if (o->kind == DK_SEQUENCE)
		r = -1;					/* before the table whose default uses it */
	if (o->kind == DK_CONSTRAINT && o->subkind != 'p' && o->subkind != 'u')
		r += 1;
	if (o->kind == DK_CONSTRAINT && o->subkind == 'f')
		r += 2;
	return r;
}

static int
fold_cmp(const ListCell *a, const ListCell *b)
{
	DiffObj    *oa = lfirst(a);
	DiffObj    *ob = lfirst(b);
	int			ra = fold_rank(oa),
				rb = fold_rank(ob);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (oa->kind == DK_COLUMN && ob->kind == DK_COLUMN && strcmp(oa->table, ob->table) == 0)
		return oa->ord - ob->ord;
	return strcmp(oa->key, ob->key);
}

/* is o created inline by the creation of another object in "set"? */
static bool
inline_in(List *set, DiffObj *o, DiffModel *m)
{
	ListCell   *lc;

	if (o->kind != DK_COLUMN && o->kind != DK_DEFAULT)
		return false;
	foreach(lc, set)
	{
		DiffObj    *s = lfirst(lc);

		if (s == o)
			continue;
		if (s->kind == DK_TABLE && o->kind == DK_COLUMN && strcmp(o->parent, s->key) == 0)
			return true;
		if (s->kind == DK_TABLE && o->kind == DK_DEFAULT && strcmp(o->table, s->qname) == 0)
			return true;
		if (s->kind == DK_COLUMN && o->kind == DK_DEFAULT && strcmp(o->parent, s->key) == 0)
			return true;
	}
	(void) m;
	return false;
}

/* the statements creating every object of "set" (from model m) */
static char *
create_set(DiffModel *m, List *set)
{
	StringInfoData buf;
	ListCell   *lc;

	DiffObj    *owner = linitial(set);
	List	   *rest;
	int			pass;

	rest = list_copy_tail(set, 1);
	list_sort(rest, fold_cmp);
	initStringInfo(&buf);
	/* sequences first (a default uses them), then the owner, then the rest */
	for (pass = 0; pass < 3; pass++)
	foreach(lc, pass == 1 ? list_make1(owner) : rest)
	{
		DiffObj    *o = lfirst(lc);

		if ((pass == 0) != (o->kind == DK_SEQUENCE) && pass != 1)
			continue;
		if (inline_in(set, o, m))
			continue;
		if (buf.len)
			appendStringInfoChar(&buf, '\n');
		appendStringInfoString(&buf, diff_create_sql(m, o, true));
	}
	/* a table's replica identity index is among its folded indexes */
	if (owner->kind == DK_TABLE && owner->replident == 'i')
		appendStringInfo(&buf, "\nALTER TABLE %s REPLICA IDENTITY %s;", owner->qname, replident_sql(owner));
	return buf.data;
}

static char *
drop_hazard(Planner *p, DiffObj *f)
{
	StringInfoData h;

	initStringInfo(&h);
	switch (f->kind)
	{
		case DK_TABLE:
			hz(&h, "DELETES_DATA");
			if (diff_table_has_rows(f->qname))
				hz(&h, "IRREVERSIBLE");
			break;
		case DK_VIEW:
			if (f->subkind == 'm')
				hz(&h, "DELETES_DATA");
			break;
		case DK_COLUMN:
			hz(&h, "DELETES_DATA");
			if (existing_table(p, f->parent) && diff_table_has_rows(f->table))
				hz(&h, "IRREVERSIBLE");
			break;
		case DK_SEQUENCE:
			hz(&h, "DELETES_DATA");
			break;
		case DK_INDEX:
			hz(&h, "INDEX_DROPPED");
			break;
		case DK_CONSTRAINT:
			if (f->subkind == 'p' || f->subkind == 'u' || f->subkind == 'x')
				hz(&h, "INDEX_DROPPED");
			break;
		case DK_FUNCTION:
			if (f->untracked)
				hz(&h, "HAS_UNTRACKABLE_DEPENDENCIES");
			break;
		case DK_POLICY:
			hz(&h, "AUTHZ_UPDATE");
			break;
		case DK_TYPE:
		case DK_EXTENSION:
		case DK_SCHEMA:
			break;
		default:
			break;
	}
	return h.data;
}

/* constraint's column list "(a, b)" from its definition */
static char *
paren_cols(const char *def)
{
	const char *open = strchr(def, '(');
	const char *close = open ? strchr(open, ')') : NULL;

	return open && close ? pnstrdup(open, close - open + 1) : NULL;
}

static char *
create_hazard(Planner *p, DiffObj *t)
{
	StringInfoData h;
	bool		existing = t->parent && existing_table(p, t->parent);
	bool		failed = false;
	int64		n = 0;

	initStringInfo(&h);
	switch (t->kind)
	{
		case DK_INDEX:
			if (existing)
				hz(&h, "INDEX_BUILD, ACQUIRES_SHARE_LOCK");
			break;
		case DK_CONSTRAINT:
			if (!existing)
				break;
			if (t->subkind == 'p' || t->subkind == 'u' || t->subkind == 'x')
			{
				char	   *cols = paren_cols(t->def);

				hz(&h, "INDEX_BUILD, ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
				if (cols && t->subkind != 'x')
					n = diff_count(psprintf("SELECT pg_catalog.count(*) FROM (SELECT 1 FROM %s GROUP BY %s HAVING pg_catalog.count(*) > 1) d",
											t->table, cols), &failed);
				if (n > 0)
					hz(&h, psprintf("FAILS_ON_EXISTING_DATA (" INT64_FORMAT " duplicated keys)", n));
				if (t->subkind == 'p' && cols && !failed)
				{
					n = diff_count(psprintf("SELECT pg_catalog.count(*) FROM %s WHERE NOT (%s IS NOT NULL)", t->table, cols), &failed);
					if (n > 0)
						hz(&h, psprintf("FAILS_ON_EXISTING_DATA (" INT64_FORMAT " rows with NULL keys)", n));
				}
			}
			else if (t->subkind == 'c' && t->validated)
			{
				hz(&h, "ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
				if (strncmp(t->def, "CHECK ", 6) == 0)
					n = diff_count(psprintf("SELECT pg_catalog.count(*) FROM %s WHERE NOT %s", t->table, t->def + 6), &failed);
				if (n > 0)
					hz(&h, psprintf("FAILS_ON_EXISTING_DATA (" INT64_FORMAT " rows violate it)", n));
			}
			else if (t->subkind == 'f')
			{
				hz(&h, "ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK");
				if (t->validated)
				{
					const char *ref = strstr(t->def, " REFERENCES ");
					char	   *cols = paren_cols(t->def);

					if (ref && cols)
					{
						const char *rp = strchr(ref + 12, '(');
						char	   *reftab = rp ? pnstrdup(ref + 12, rp - ref - 12) : NULL;
						char	   *refcols = rp ? paren_cols(rp) : NULL;

						if (reftab && refcols)
							n = diff_count(psprintf("SELECT pg_catalog.count(*) FROM %s x WHERE ROW%s IS NOT NULL"
													" AND NOT EXISTS (SELECT 1 FROM %s r WHERE ROW%s = ROW%s)",
													t->table, cols, reftab, refcols, cols), &failed);
						if (n > 0)
							hz(&h, psprintf("FAILS_ON_EXISTING_DATA (" INT64_FORMAT " rows without a referenced row)", n));
					}
				}
			}
			break;
		case DK_COLUMN:
			if (existing)
			{
				PEnt	   *d = plan_entry(p, psprintf("d:%s.%s", t->table, quote_identifier(t->name)));

				if (t->notnull && !t->identity && !t->generated && d->to == NULL &&
					diff_table_has_rows(t->table))
				{
					n = diff_count(psprintf("SELECT pg_catalog.count(*) FROM %s", t->table), &failed);
					hz(&h, psprintf("FAILS_ON_EXISTING_DATA (" INT64_FORMAT " rows and no default)", n));
				}
				if (t->generated || t->identity)
					hz(&h, "ACQUIRES_ACCESS_EXCLUSIVE_LOCK, REWRITES_TABLE");
			}
			break;
		case DK_POLICY:
			hz(&h, "AUTHZ_UPDATE");
			break;
		case DK_FUNCTION:
			if (t->untracked)
				hz(&h, "HAS_UNTRACKABLE_DEPENDENCIES");
			break;
		default:
			break;
	}
	return h.data;
}

/*
 * A CHECK or FOREIGN KEY added, valid, to an existing plain table that is
 * not small: adding it scans the table under the ADD's lock (ACCESS
 * EXCLUSIVE for a CHECK), and inside one transaction that lock would be held
 * through the scan anyway, so it is added NOT VALID and validated by a step
 * that commits on its own (VALIDATE takes SHARE UPDATE EXCLUSIVE: reads and
 * writes go on).  A partitioned table cannot take a NOT VALID foreign key.
 */
static bool
validate_separately(Planner *p, DiffObj *k)
{
	DiffObj    *t;

	if (k->kind != DK_CONSTRAINT || (k->subkind != 'c' && k->subkind != 'f') || !k->validated)
		return false;
	t = diff_lookup(p->to, k->parent);
	if (t == NULL || t->subkind != RELKIND_RELATION || !existing_table(p, k->parent))
		return false;
	return diff_table_is_big(k->table);
}

/*
 * add_not_valid: the two steps of a separately validated constraint; the
 * second one's hazard starts with NON_TRANSACTIONAL, which autogenerate
 * reads to put it in a revision of its own, and carries the data check's
 * finding (the VALIDATE is what fails on violating rows).
 */
static void
add_not_valid(Action *a, DiffObj *k, const char *hazard)
{
	const char *fails = strstr(hazard, "FAILS_ON_EXISTING_DATA");
	char	   *add = psprintf("ALTER TABLE %s ADD CONSTRAINT %s %s NOT VALID;%s%s%s", k->table,
							   quote_identifier(k->name), k->def, k->comment ? "\n" : "",
							   k->comment ? diff_comment_sql(k, k->comment) : "", k->comment ? ";" : "");

	plan_step(a, add, diff_drop_sql(k),
			  k->subkind == 'f' ? "ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK" : "ACQUIRES_ACCESS_EXCLUSIVE_LOCK");
	/* no statement takes validation back: drop and add NOT VALID again */
	plan_step(a, psprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", k->table, quote_identifier(k->name)),
			  psprintf("%s\n%s", diff_drop_sql(k), add),
			  psprintf("NON_TRANSACTIONAL, ACQUIRES_SHARE_UPDATE_EXCLUSIVE_LOCK%s%s",
					   fails ? ", " : "", fails ? fails : ""));
}

/* plan_fill_steps: statements of every drop and create action */
void
plan_fill_steps(Planner *p)
{
	ListCell   *lc;

	foreach(lc, p->actions)
	{
		Action	   *a = lfirst(lc);
		PEnt	   *e = a->ent;

		if (a->phase == 0)
		{
			List	   *set = lcons(e->from, a->folded);
			char	   *h = drop_hazard(p, e->from);
			char	   *d = plan_partition_drop_table(p->from, e->from);

			if (!plan_partition_fill(p, a, h))
				plan_step(a, d ? d : diff_drop_sql(e->from), create_set(p->from, set), h);
		}
		else if (a->phase == 2 && a != e->replact)
		{
			char	   *h = create_hazard(p, e->to);
			char	   *d = plan_partition_drop_table(p->to, e->to);

			if (validate_separately(p, e->to))
				add_not_valid(a, e->to, h);
			else if (!plan_partition_fill(p, a, h))
				plan_step(a, diff_create_sql(p->to, e->to, true), d ? d : diff_drop_sql(e->to), h);
		}
	}
}
