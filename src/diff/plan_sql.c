/*-------------------------------------------------------------------------
 *
 * plan_sql.c
 *	  The statements diff emits for one object: CREATE (with the children
 *	  that come with it), DROP, COMMENT, GRANT/REVOKE, column definitions.
 *
 * Every name is schema-qualified and every expression comes from
 * PostgreSQL's deparser with search_path = pg_catalog (model.c), so the
 * statements mean the same whatever search_path they later run with.
 *
 * src/diff/plan_sql.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "diff.h"
#include "plan_int.h"

/* appends "stmt;" on its own line */
void
diff_append_stmt(StringInfo buf, const char *stmt)
{
	if (buf->len > 0)
		appendStringInfoChar(buf, '\n');
	appendStringInfoString(buf, stmt);
	appendStringInfoChar(buf, ';');
}

/*
 * diff_function_sql appends the CREATE OR REPLACE of function o.  A LANGUAGE
 * sql function with a string body has its body checked against the catalogs
 * when it is created, but PostgreSQL records nothing of what the body uses,
 * so no order can be derived (a procedure inserting into a table that the
 * same migration creates, calling a function it creates): the statement runs
 * with check_function_bodies off, as pg_dump restores functions; the body is
 * checked when the function is first called.
 */
void
diff_function_sql(StringInfo buf, DiffObj *o)
{
	bool		unchecked = o->untracked && strstr(o->def, "\n LANGUAGE sql\n") != NULL;

	if (unchecked)
		diff_append_stmt(buf, "SET check_function_bodies = off");
	diff_append_stmt(buf, o->def);
	if (unchecked)
		diff_append_stmt(buf, "RESET check_function_bodies");
}

/* "a|b|c" -> "a b c" (prefix each part with "each") */
static char *
opts_join(const char *opts, const char *each)
{
	StringInfoData buf;
	const char *p = opts;

	initStringInfo(&buf);
	while (p && *p)
	{
		const char *bar = strchr(p, '|');
		int			len = bar ? bar - p : strlen(p);

		if (buf.len > 0)
			appendStringInfoChar(&buf, ' ');
		appendStringInfo(&buf, "%s%.*s", each, len, p);
		p = bar ? bar + 1 : NULL;
	}
	return buf.data;
}

char *
diff_identity_opts(const char *opts, bool alter)
{
	return opts_join(opts, alter ? "SET " : "");
}

char *
diff_seq_opts(const char *opts)
{
	return opts_join(opts, "");
}

/* the SQL keyword(s) naming the object's kind in COMMENT ON / DROP */
const char *
diff_object_word(DiffObj *o)
{
	switch (o->kind)
	{
		case DK_SCHEMA:
			return "SCHEMA";
		case DK_EXTENSION:
			return "EXTENSION";
		case DK_TYPE:
			return o->subkind == 'd' ? "DOMAIN" : "TYPE";
		case DK_SEQUENCE:
			return "SEQUENCE";
		case DK_FUNCTION:
			return o->subkind == 'p' ? "PROCEDURE" : "FUNCTION";
		case DK_TABLE:
			return o->subkind == 'f' ? "FOREIGN TABLE" : "TABLE";
		case DK_COLUMN:
			return "COLUMN";
		case DK_CONSTRAINT:
			return "CONSTRAINT";
		case DK_INDEX:
			return "INDEX";
		case DK_VIEW:
			return o->subkind == 'm' ? "MATERIALIZED VIEW" : "VIEW";
		case DK_TRIGGER:
			return "TRIGGER";
		case DK_POLICY:
			return "POLICY";
		default:
			return "";
	}
}

/* the object's name as COMMENT ON and GRANT take it */
static char *
object_target(DiffObj *o)
{
	switch (o->kind)
	{
		case DK_COLUMN:
			return psprintf("%s.%s", o->table, quote_identifier(o->name));
		case DK_CONSTRAINT:
		case DK_TRIGGER:
		case DK_POLICY:
			return psprintf("%s ON %s", quote_identifier(o->name), o->table);
		case DK_FUNCTION:
			return o->signature;
		default:
			return o->qname;
	}
}

char *
diff_comment_sql(DiffObj *o, const char *comment)
{
	return psprintf("COMMENT ON %s %s IS %s", diff_object_word(o), object_target(o),
					comment ? quote_literal_cstr(comment) : "NULL");
}

/* GRANT or REVOKE of one "grantee=PRIVILEGE[ WITH GRANT OPTION]" item */
char *
diff_grant_sql(DiffObj *o, const char *grant, bool revoke)
{
	const char *eq = strrchr(grant, '=');
	char	   *grantee = pnstrdup(grant, eq - grant);
	char	   *priv = pstrdup(eq + 1);
	char	   *wgo = strstr(priv, " WITH GRANT OPTION");
	const char *onword;
	char	   *target;

	if (wgo)
		*wgo = '\0';
	switch (o->kind)
	{
		case DK_COLUMN:
			priv = psprintf("%s (%s)", priv, quote_identifier(o->name));
			onword = "TABLE";
			target = o->table;
			break;
		case DK_TABLE:
		case DK_VIEW:
			onword = "TABLE";
			target = o->qname;
			break;
		case DK_FUNCTION:
			onword = o->subkind == 'p' ? "PROCEDURE" : "FUNCTION";
			target = o->signature;
			break;
		default:
			onword = diff_object_word(o);
			target = o->qname;
			break;
	}
	if (revoke)
		return psprintf("REVOKE %s ON %s %s FROM %s", priv, onword, target, grantee);
	return psprintf("GRANT %s ON %s %s TO %s%s", priv, onword, target, grantee,
					wgo ? " WITH GRANT OPTION" : "");
}

/* comment and grants of a freshly created object */
static void
append_attrs(StringInfo buf, DiffObj *o)
{
	ListCell   *lc;

	if (o->comment)
		diff_append_stmt(buf, diff_comment_sql(o, o->comment));
	foreach(lc, o->grants)
		diff_append_stmt(buf, diff_grant_sql(o, (char *) lfirst(lc), false));
}

/* grants a new object has without any GRANT: PUBLIC's defaults */
static bool
default_grant(DiffObj *o, const char *g)
{
	if (o->kind == DK_FUNCTION)
		return strcmp(g, "PUBLIC=EXECUTE") == 0;
	if (o->kind == DK_TYPE)
		return strcmp(g, "PUBLIC=USAGE") == 0;
	return false;
}

static void
append_create_attrs(StringInfo buf, DiffObj *o)
{
	ListCell   *lc;

	if (o->comment)
		diff_append_stmt(buf, diff_comment_sql(o, o->comment));
	foreach(lc, o->grants)
	{
		if (!default_grant(o, (char *) lfirst(lc)))
			diff_append_stmt(buf, diff_grant_sql(o, (char *) lfirst(lc), false));
	}
	/* defaults that were revoked */
	if (o->kind == DK_FUNCTION || o->kind == DK_TYPE)
	{
		const char *d = o->kind == DK_FUNCTION ? "PUBLIC=EXECUTE" : "PUBLIC=USAGE";
		bool		found = false;

		foreach(lc, o->grants)
			if (strcmp((char *) lfirst(lc), d) == 0)
				found = true;
		if (!found)
			diff_append_stmt(buf, diff_grant_sql(o, d, true));
	}
}

/* column definition; "def" is its default object or NULL */
static char *
column_def(DiffObj *c, DiffObj *def)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s %s", quote_identifier(c->name), c->type);
	if (c->collation)
		appendStringInfo(&buf, " COLLATE %s", c->collation);
	if (c->generated)
		appendStringInfo(&buf, " GENERATED ALWAYS AS (%s) STORED", c->genexpr);
	if (c->identity)
		appendStringInfo(&buf, " GENERATED %s AS IDENTITY (%s)",
						 c->identity == 'a' ? "ALWAYS" : "BY DEFAULT",
						 diff_identity_opts(c->idopts, false));
	if (def)
		appendStringInfo(&buf, " DEFAULT %s", def->def);
	if (c->notnull)
		appendStringInfoString(&buf, " NOT NULL");
	return buf.data;
}

static DiffObj *
default_of(DiffModel *m, DiffObj *col)
{
	return diff_lookup(m, psprintf("d:%s.%s", col->table, quote_identifier(col->name)));
}

/* ALTER TABLE ... ADD COLUMN with its default and attributes */
char *
diff_column_sql(DiffObj *col, bool with_default, DiffModel *m)
{
	StringInfoData buf;
	DiffObj    *def = with_default ? default_of(m, col) : NULL;

	initStringInfo(&buf);
	diff_append_stmt(&buf, psprintf("ALTER TABLE %s ADD COLUMN %s", col->table, column_def(col, def)));
	append_attrs(&buf, col);
	return buf.data;
}

static char *
constraint_sql(DiffObj *k)
{
	return psprintf("ALTER TABLE %s ADD CONSTRAINT %s %s%s", k->table,
					quote_identifier(k->name), k->def, k->validated ? "" : " NOT VALID");
}

/* CREATE TABLE with columns (and their defaults) read from m */
static char *
table_sql(DiffModel *m, DiffObj *t)
{
	StringInfoData buf;
	ListCell   *lc;
	bool		first = true;
	char	   *prefix = psprintf("c:%s.", t->qname);
	int			plen = strlen(prefix);
	List	   *cols = NIL;

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE %sTABLE %s", t->persistence == 'u' ? "UNLOGGED " : "", t->qname);
	if (t->partof)
		appendStringInfo(&buf, " PARTITION OF %s", t->partof);
	/* columns in attnum order */
	foreach(lc, t->rdeps)
	{
		DiffObj    *c = diff_lookup(m, (char *) lfirst(lc));

		if (c && c->kind == DK_COLUMN && strncmp(c->key, prefix, plen) == 0)
			cols = lappend(cols, c);
	}
	/* insertion sort by attnum (lists are short) */
	{
		int			n = list_length(cols);
		DiffObj   **arr = palloc(sizeof(DiffObj *) * (n + 1));
		int			i = 0,
					j;

		foreach(lc, cols)
			arr[i++] = lfirst(lc);
		for (i = 1; i < n; i++)
			for (j = i; j > 0 && arr[j - 1]->ord > arr[j]->ord; j--)
			{
				DiffObj    *tmp = arr[j];

				arr[j] = arr[j - 1];
				arr[j - 1] = tmp;
			}
		if (!t->partof)
		{
			appendStringInfoString(&buf, " (");
			for (i = 0; i < n; i++)
			{
				DiffObj    *c = arr[i];

				if (c->inherited)
					continue;
				appendStringInfo(&buf, "%s\n    %s", first ? "" : ",", column_def(c, default_of(m, c)));
				first = false;
			}
			appendStringInfoString(&buf, first ? ")" : "\n)");
		}
	}
	if (t->partof)
		appendStringInfo(&buf, " %s", t->bound);
	else if (t->inherits)
	{
		appendStringInfoString(&buf, " INHERITS (");
		foreach(lc, t->inherits)
			appendStringInfo(&buf, "%s%s", lc == list_head(t->inherits) ? "" : ", ", (char *) lfirst(lc));
		appendStringInfoChar(&buf, ')');
	}
	if (t->partkey)
		appendStringInfo(&buf, " PARTITION BY %s", t->partkey);
	if (t->options)
		appendStringInfo(&buf, " WITH (%s)", t->options);
	return buf.data;
}

static char *
type_sql(DiffObj *t, const char *qname)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	switch (t->subkind)
	{
		case 'e':
			appendStringInfo(&buf, "CREATE TYPE %s AS ENUM (", qname);
			foreach(lc, t->labels)
				appendStringInfo(&buf, "%s%s", lc == list_head(t->labels) ? "" : ", ",
								 quote_literal_cstr((char *) lfirst(lc)));
			appendStringInfoChar(&buf, ')');
			break;
		case 'c':
			appendStringInfo(&buf, "CREATE TYPE %s AS (", qname);
			foreach(lc, t->labels)
				appendStringInfo(&buf, "%s%s", lc == list_head(t->labels) ? "" : ", ", (char *) lfirst(lc));
			appendStringInfoChar(&buf, ')');
			break;
		case 'r':
			appendStringInfo(&buf, "CREATE TYPE %s AS RANGE (SUBTYPE = %s)", qname, t->base);
			break;
		case 'd':
			appendStringInfo(&buf, "CREATE DOMAIN %s AS %s", qname, t->base);
			if (t->collation)
				appendStringInfo(&buf, " COLLATE %s", t->collation);
			if (t->defexpr)
				appendStringInfo(&buf, " DEFAULT %s", t->defexpr);
			if (t->notnull)
				appendStringInfoString(&buf, " NOT NULL");
			foreach(lc, t->checks)
			{
				char	   *s = (char *) lfirst(lc);
				char	   *tab = strchr(s, '\t');

				appendStringInfo(&buf, " CONSTRAINT %.*s %s", (int) (tab - s), s, tab + 1);
			}
			break;
	}
	return buf.data;
}

char *
diff_type_sql(DiffObj *t, const char *qname)
{
	return type_sql(t, qname);
}

/*
 * diff_create_sql: the statements creating "o" as model m has it, with its
 * comment and grants; tables come with their columns and defaults.
 */
char *
diff_create_sql(DiffModel *m, DiffObj *o, bool with_children)
{
	StringInfoData buf;

	(void) with_children;
	initStringInfo(&buf);
	switch (o->kind)
	{
		case DK_SCHEMA:
			diff_append_stmt(&buf, psprintf("CREATE SCHEMA %s", o->qname));
			break;
		case DK_EXTENSION:
			diff_append_stmt(&buf, psprintf("CREATE EXTENSION %s WITH SCHEMA %s VERSION %s",
											o->qname, quote_identifier(o->schema),
											quote_literal_cstr(o->version)));
			break;
		case DK_TYPE:
			diff_append_stmt(&buf, type_sql(o, o->qname));
			break;
		case DK_SEQUENCE:
			diff_append_stmt(&buf, psprintf("CREATE %sSEQUENCE %s %s",
											o->persistence == 'u' ? "UNLOGGED " : "",
											o->qname, diff_seq_opts(o->seqopts)));
			break;
		case DK_SEQOWNER:
			diff_append_stmt(&buf, psprintf("ALTER SEQUENCE %s OWNED BY %s", o->qname, o->def));
			return buf.data;
		case DK_FUNCTION:
			diff_function_sql(&buf, o);
			break;
		case DK_TABLE:
			diff_append_stmt(&buf, table_sql(m, o));
			plan_partition_table_extras(&buf, m, o);
			if (o->rls)
				diff_append_stmt(&buf, psprintf("ALTER TABLE %s ENABLE ROW LEVEL SECURITY", o->qname));
			if (o->forcerls)
				diff_append_stmt(&buf, psprintf("ALTER TABLE %s FORCE ROW LEVEL SECURITY", o->qname));
			if (o->replident == 'f')
				diff_append_stmt(&buf, psprintf("ALTER TABLE %s REPLICA IDENTITY FULL", o->qname));
			else if (o->replident == 'n')
				diff_append_stmt(&buf, psprintf("ALTER TABLE %s REPLICA IDENTITY NOTHING", o->qname));
			append_create_attrs(&buf, o);
			{
				/* comments and grants of the columns created with it */
				ListCell   *lc;
				char	   *prefix = psprintf("c:%s.", o->qname);

				foreach(lc, o->rdeps)
				{
					DiffObj    *c = diff_lookup(m, (char *) lfirst(lc));

					if (c && c->kind == DK_COLUMN && strncmp(c->key, prefix, strlen(prefix)) == 0)
						append_attrs(&buf, c);
				}
			}
			return buf.data;
		case DK_COLUMN:
			return diff_column_sql(o, true, m);
		case DK_DEFAULT:
			diff_append_stmt(&buf, psprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s",
											o->table, quote_identifier(o->name), o->def));
			return buf.data;
		case DK_CONSTRAINT:
			diff_append_stmt(&buf, constraint_sql(o));
			plan_partition_validate_children(&buf, m, o);
			break;
		case DK_INDEX:
			diff_append_stmt(&buf, o->def);
			break;
		case DK_VIEW:
			diff_append_stmt(&buf, psprintf("CREATE %s %s%s%s AS\n%s", diff_object_word(o), o->qname,
											o->options ? " WITH (" : "",
											o->options ? psprintf("%s)", o->options) : "",
											pnstrdup(o->def, strlen(o->def) > 0 && o->def[strlen(o->def) - 1] == ';' ?
													 strlen(o->def) - 1 : strlen(o->def))));
			break;
		case DK_TRIGGER:
			diff_append_stmt(&buf, o->def);
			if (o->subkind && o->subkind != 'O')
				diff_append_stmt(&buf, psprintf("ALTER TABLE %s %s TRIGGER %s", o->table,
												o->subkind == 'D' ? "DISABLE" :
												o->subkind == 'R' ? "ENABLE REPLICA" : "ENABLE ALWAYS",
												quote_identifier(o->name)));
			break;
		case DK_POLICY:
			diff_append_stmt(&buf, psprintf("CREATE POLICY %s ON %s %s", quote_identifier(o->name),
											o->table, o->def));
			break;
		case DK_NKINDS:
			break;
	}
	append_create_attrs(&buf, o);
	return buf.data;
}

char *
diff_drop_sql(DiffObj *o)
{
	switch (o->kind)
	{
		case DK_COLUMN:
			return psprintf("ALTER TABLE %s DROP COLUMN %s;", o->table, quote_identifier(o->name));
		case DK_DEFAULT:
			return psprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;", o->table, quote_identifier(o->name));
		case DK_SEQOWNER:
			return psprintf("ALTER SEQUENCE %s OWNED BY NONE;", o->qname);
		case DK_CONSTRAINT:
			return psprintf("ALTER TABLE %s DROP CONSTRAINT %s;", o->table, quote_identifier(o->name));
		case DK_TRIGGER:
		case DK_POLICY:
			return psprintf("DROP %s %s ON %s;", diff_object_word(o), quote_identifier(o->name), o->table);
		case DK_FUNCTION:
			return psprintf("DROP %s %s;", diff_object_word(o), o->signature);
		default:
			return psprintf("DROP %s %s;", diff_object_word(o), o->qname);
	}
}
