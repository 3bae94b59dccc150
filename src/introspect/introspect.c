/*-------------------------------------------------------------------------
 *
 * introspect.c
 *	  describe() and fingerprint(): a canonical jsonb description of schemas,
 *	  read from the catalogs, and its SHA-256.
 *
 * For each schema we run one set-based query per object kind (relations,
 * columns, constraints, indexes, triggers, policies, rules, sequences, types,
 * functions, statistics, extensions), each sorted by name with COLLATE "C",
 * and build the document in C with pushJsonbValue.  The children of a
 * relation (columns, constraints, ...) come from their own queries sorted by
 * (relation, name) and are merged into the relation in one pass, so the cost
 * is linear in the number of objects whatever their count.
 *
 * Definitions are deparsed by PostgreSQL's own ruleutils (pg_get_indexdef,
 * pg_get_constraintdef, pg_get_viewdef, pg_get_expr, ...) in their "pretty"
 * form, with search_path pinned to "pg_catalog, <schema>, pg_temp" while the
 * schema is described: names in the described schema come out unqualified
 * and every other name qualified, whatever the caller's search_path.  That makes the
 * description independent of the session and of the schema's own name, so a
 * shadow copy of a schema describes like the original.  The same pinned path
 * makes the plain operators in the queries below resolve to pg_catalog's
 * where pg_catalog has one for the exact operand types; where an operand
 * needs a cast (oid against regclass or an integer) an exact-match operator
 * in the described schema would win, so those are OPERATOR(pg_catalog.=).
 *
 * Objects that belong to an extension are left out (the extension itself is
 * listed); so are identity sequences, described with their column.
 *
 * src/introspect/introspect.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/varlena.h"

#include "introspect.h"
#include "introspect_int.h"

PG_FUNCTION_INFO_V1(schemamig_describe);
PG_FUNCTION_INFO_V1(schemamig_fingerprint);

/* One query's result and a read position for the merge. */
typedef struct SmRows
{
	SPITupleTable *tt;
	uint64		n;
	uint64		pos;
} SmRows;

/* Builds one child item (a column, an index, ...) from row "row". */
typedef void (*SmItemBuilder) (JsonbParseState **ps, SmRows *rows, uint64 row);

/* ---------------------------------------------------------------------
 * Result access
 * ---------------------------------------------------------------------
 */

/* run_query runs "sql" with the schema name as $1 and keeps the result. */
static SmRows
run_query(const char *sql, const char *schema)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	SmRows		rows;

	values[0] = CStringGetTextDatum(schema);
	rows.n = sm_spi_exec(sql, SPI_OK_SELECT, 1, argtypes, values, NULL);
	rows.tt = SPI_tuptable;
	rows.pos = 0;
	return rows;
}

static bool
row_isnull(SmRows *rows, uint64 row, int col)
{
	bool		isnull;

	(void) SPI_getbinval(rows->tt->vals[row], rows->tt->tupdesc, col, &isnull);
	return isnull;
}

/* row_text returns a text column as a C string, or NULL. */
static char *
row_text(SmRows *rows, uint64 row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(rows->tt->vals[row], rows->tt->tupdesc, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

static bool
row_bool(SmRows *rows, uint64 row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(rows->tt->vals[row], rows->tt->tupdesc, col, &isnull);

	return isnull ? false : DatumGetBool(d);
}

/* row_array returns a text[] column's elements (NULL elements skipped). */
static List *
row_array(SmRows *rows, uint64 row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(rows->tt->vals[row], rows->tt->tupdesc, col, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	List	   *result = NIL;

	if (isnull)
		return NIL;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		if (!nulls[i])
			result = lappend(result, TextDatumGetCString(elems[i]));
	}
	return result;
}

/* ---------------------------------------------------------------------
 * jsonb construction
 * ---------------------------------------------------------------------
 */

static void
jb_string(JsonbParseState **ps, JsonbIteratorToken tok, const char *s)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = strlen(s);
	(void) pushJsonbValue(ps, tok, &v);
}

static void
jb_key(JsonbParseState **ps, const char *key)
{
	jb_string(ps, WJB_KEY, key);
}

/* jb_text adds key: "value", unless value is NULL. */
static void
jb_text(JsonbParseState **ps, const char *key, const char *value)
{
	if (value == NULL)
		return;
	jb_key(ps, key);
	jb_string(ps, WJB_VALUE, value);
}

static void
jb_bool(JsonbParseState **ps, const char *key, bool value)
{
	JsonbValue	v;

	jb_key(ps, key);
	v.type = jbvBool;
	v.val.boolean = value;
	(void) pushJsonbValue(ps, WJB_VALUE, &v);
}

/* jb_true adds key: true when value is true, and nothing otherwise. */
static void
jb_true(JsonbParseState **ps, const char *key, bool value)
{
	if (value)
		jb_bool(ps, key, true);
}

/* jb_number adds key: <number> from the number's text form, unless NULL. */
static void
jb_number(JsonbParseState **ps, const char *key, const char *value)
{
	JsonbValue	v;

	if (value == NULL)
		return;
	jb_key(ps, key);
	v.type = jbvNumeric;
	v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														CStringGetDatum(value),
														ObjectIdGetDatum(InvalidOid),
														Int32GetDatum(-1)));
	(void) pushJsonbValue(ps, WJB_VALUE, &v);
}

/* jb_array adds key: [strings...]; an empty list adds nothing unless "always". */
static void
jb_array(JsonbParseState **ps, const char *key, List *strings, bool always)
{
	ListCell   *lc;

	if (strings == NIL && !always)
		return;
	jb_key(ps, key);
	(void) pushJsonbValue(ps, WJB_BEGIN_ARRAY, NULL);
	foreach(lc, strings)
		jb_string(ps, WJB_ELEM, (const char *) lfirst(lc));
	(void) pushJsonbValue(ps, WJB_END_ARRAY, NULL);
}

static void
jb_begin(JsonbParseState **ps, const char *key)
{
	jb_key(ps, key);
	(void) pushJsonbValue(ps, WJB_BEGIN_OBJECT, NULL);
}

static void
jb_end(JsonbParseState **ps)
{
	(void) pushJsonbValue(ps, WJB_END_OBJECT, NULL);
}

/* ---------------------------------------------------------------------
 * Children of relations
 * ---------------------------------------------------------------------
 */

static const char *
fk_action(const char *code)
{
	switch (code[0])
	{
		case 'a':
			return "no action";
		case 'r':
			return "restrict";
		case 'c':
			return "cascade";
		case 'n':
			return "set null";
		case 'd':
			return "set default";
		default:
			return code;
	}
}

static void
build_column(JsonbParseState **ps, SmRows *r, uint64 i)
{
	char	   *generated = row_text(r, i, COL_GENERATED);
	char	   *identity = row_text(r, i, COL_IDENTITY);
	char	   *expr = row_text(r, i, COL_DEFAULT);

	jb_begin(ps, row_text(r, i, COL_NAME));
	jb_text(ps, "type", row_text(r, i, COL_TYPE));
	jb_bool(ps, "not_null", row_bool(r, i, COL_NOTNULL));
	jb_text(ps, "collation", row_text(r, i, COL_COLLATION));
	if (generated != NULL && generated[0] == 's')
		jb_text(ps, "generated", expr);
	else
		jb_text(ps, "default", expr);
	if (identity != NULL && identity[0] != '\0')
	{
		jb_text(ps, "identity", identity[0] == 'a' ? "always" : "by default");
		if (!row_isnull(r, i, COL_SEQSTART))
		{
			jb_begin(ps, "identity_sequence");
			jb_number(ps, "start", row_text(r, i, COL_SEQSTART));
			jb_number(ps, "increment", row_text(r, i, COL_SEQINCREMENT));
			jb_number(ps, "min", row_text(r, i, COL_SEQMIN));
			jb_number(ps, "max", row_text(r, i, COL_SEQMAX));
			jb_number(ps, "cache", row_text(r, i, COL_SEQCACHE));
			jb_bool(ps, "cycle", row_bool(r, i, COL_SEQCYCLE));
			jb_end(ps);
		}
	}
	jb_text(ps, "storage", row_text(r, i, COL_STORAGE));
	jb_text(ps, "compression", row_text(r, i, COL_COMPRESSION));
	jb_number(ps, "statistics", row_text(r, i, COL_STATS));
	jb_text(ps, "comment", row_text(r, i, COL_COMMENT));
	jb_array(ps, "grants", row_array(r, i, COL_GRANTS), false);
	jb_end(ps);
}

static void
build_constraint(JsonbParseState **ps, SmRows *r, uint64 i)
{
	char	   *type = row_text(r, i, CON_TYPE);
	const char *kind;

	switch (type[0])
	{
		case 'p':
			kind = "primary key";
			break;
		case 'u':
			kind = "unique";
			break;
		case 'c':
			kind = "check";
			break;
		case 'f':
			kind = "foreign key";
			break;
		case 'x':
			kind = "exclusion";
			break;
		case 't':
			kind = "trigger";
			break;
		default:
			kind = type;
			break;
	}
	jb_begin(ps, row_text(r, i, CON_NAME));
	jb_text(ps, "type", kind);
	jb_text(ps, "definition", row_text(r, i, CON_DEF));
	jb_true(ps, "deferrable", row_bool(r, i, CON_DEFERRABLE));
	jb_true(ps, "initially_deferred", row_bool(r, i, CON_DEFERRED));
	if (!row_bool(r, i, CON_VALIDATED))
		jb_bool(ps, "validated", false);
	if (type[0] == 'f')
	{
		jb_text(ps, "references", row_text(r, i, CON_REFERENCES));
		jb_text(ps, "on_update", fk_action(row_text(r, i, CON_ONUPDATE)));
		jb_text(ps, "on_delete", fk_action(row_text(r, i, CON_ONDELETE)));
	}
	jb_text(ps, "comment", row_text(r, i, CON_COMMENT));
	jb_end(ps);
}

static void
build_index(JsonbParseState **ps, SmRows *r, uint64 i)
{
	jb_begin(ps, row_text(r, i, IDX_NAME));
	jb_text(ps, "definition", row_text(r, i, IDX_DEF));
	jb_text(ps, "method", row_text(r, i, IDX_METHOD));
	jb_array(ps, "key", row_array(r, i, IDX_KEY), true);
	jb_array(ps, "include", row_array(r, i, IDX_INCLUDE), false);
	jb_text(ps, "predicate", row_text(r, i, IDX_PREDICATE));
	jb_true(ps, "unique", row_bool(r, i, IDX_UNIQUE));
	jb_true(ps, "primary", row_bool(r, i, IDX_PRIMARY));
	jb_true(ps, "nulls_not_distinct", row_bool(r, i, IDX_NULLS_NOT_DISTINCT));
	if (!row_bool(r, i, IDX_VALID))
		jb_bool(ps, "valid", false);
	jb_true(ps, "clustered", row_bool(r, i, IDX_CLUSTERED));
	jb_text(ps, "constraint", row_text(r, i, IDX_CONSTRAINT));
	jb_array(ps, "options", row_array(r, i, IDX_OPTIONS), false);
	jb_text(ps, "comment", row_text(r, i, IDX_COMMENT));
	jb_end(ps);
}

/* trigger and rule "enabled" codes, written only when not the default 'O' */
static const char *
enabled_state(const char *code)
{
	switch (code[0])
	{
		case 'D':
			return "disabled";
		case 'R':
			return "replica";
		case 'A':
			return "always";
		default:
			return NULL;
	}
}

static void
build_trigger(JsonbParseState **ps, SmRows *r, uint64 i)
{
	jb_begin(ps, row_text(r, i, TRG_NAME));
	jb_text(ps, "definition", row_text(r, i, TRG_DEF));
	jb_text(ps, "enabled", enabled_state(row_text(r, i, TRG_ENABLED)));
	jb_text(ps, "comment", row_text(r, i, TRG_COMMENT));
	jb_end(ps);
}

static void
build_policy(JsonbParseState **ps, SmRows *r, uint64 i)
{
	char	   *cmd = row_text(r, i, POL_CMD);
	const char *command;

	switch (cmd[0])
	{
		case 'r':
			command = "select";
			break;
		case 'a':
			command = "insert";
			break;
		case 'w':
			command = "update";
			break;
		case 'd':
			command = "delete";
			break;
		default:
			command = "all";
			break;
	}
	jb_begin(ps, row_text(r, i, POL_NAME));
	jb_text(ps, "command", command);
	jb_bool(ps, "permissive", row_bool(r, i, POL_PERMISSIVE));
	jb_array(ps, "roles", row_array(r, i, POL_ROLES), true);
	jb_text(ps, "using", row_text(r, i, POL_USING));
	jb_text(ps, "with_check", row_text(r, i, POL_CHECK));
	jb_text(ps, "comment", row_text(r, i, POL_COMMENT));
	jb_end(ps);
}

static void
build_rule(JsonbParseState **ps, SmRows *r, uint64 i)
{
	jb_begin(ps, row_text(r, i, RUL_NAME));
	jb_text(ps, "definition", row_text(r, i, RUL_DEF));
	jb_text(ps, "enabled", enabled_state(row_text(r, i, RUL_ENABLED)));
	jb_text(ps, "comment", row_text(r, i, RUL_COMMENT));
	jb_end(ps);
}

/*
 * emit_children adds key: {items} with the rows of "rows" that belong to
 * relation "relname".  Rows are sorted by (relation, item) in byte order, as
 * the relations are, so a forward-only position suffices; rows of relations
 * not emitted in this pass are skipped.  With "always", an empty object is
 * written when the relation has no such children.
 */
static void
emit_children(JsonbParseState **ps, const char *key, SmRows *rows,
			  const char *relname, SmItemBuilder build, bool always)
{
	bool		started = false;

	while (rows->pos < rows->n)
	{
		char	   *rel = row_text(rows, rows->pos, 1);
		int			cmp = strcmp(rel, relname);

		if (cmp > 0)
			break;
		if (cmp == 0)
		{
			if (!started)
			{
				jb_begin(ps, key);
				started = true;
			}
			build(ps, rows, rows->pos);
		}
		rows->pos++;
	}
	if (!started && always)
	{
		jb_begin(ps, key);
		started = true;
	}
	if (started)
		jb_end(ps);
}

/* The child queries of a relation, in the order their keys are written. */
typedef struct SmChildren
{
	SmRows		columns;
	SmRows		constraints;
	SmRows		indexes;
	SmRows		triggers;
	SmRows		policies;
	SmRows		rules;
} SmChildren;

static void
children_rewind(SmChildren *ch)
{
	ch->columns.pos = 0;
	ch->constraints.pos = 0;
	ch->indexes.pos = 0;
	ch->triggers.pos = 0;
	ch->policies.pos = 0;
	ch->rules.pos = 0;
}

static const char *
relkind_name(char kind)
{
	switch (kind)
	{
		case 'r':
			return "table";
		case 'p':
			return "partitioned table";
		case 'f':
			return "foreign table";
		case 'v':
			return "view";
		case 'm':
			return "materialized view";
		default:
			return "relation";
	}
}

/*
 * emit_relations adds key: {relation: {...}} for the relations of "rels"
 * whose kind is in "kinds" ("rpf" for tables, "vm" for views).
 */
static void
emit_relations(JsonbParseState **ps, const char *key, const char *kinds,
			   SmRows *rels, SmChildren *ch)
{
	uint64		i;
	bool		started = false;

	children_rewind(ch);
	for (i = 0; i < rels->n; i++)
	{
		char	   *name = row_text(rels, i, REL_NAME);
		char		kind = row_text(rels, i, REL_KIND)[0];
		char	   *replident;

		CHECK_FOR_INTERRUPTS();
		if (strchr(kinds, kind) == NULL)
			continue;
		if (!started)
		{
			jb_begin(ps, key);
			started = true;
		}
		jb_begin(ps, name);
		jb_text(ps, "kind", relkind_name(kind));
		jb_true(ps, "unlogged", row_text(rels, i, REL_PERSISTENCE)[0] == 'u');
		jb_text(ps, "partition_key", row_text(rels, i, REL_PARTKEY));
		jb_text(ps, "partition_of", row_text(rels, i, REL_PARTITION_OF));
		jb_text(ps, "partition_bound", row_text(rels, i, REL_PARTITION_BOUND));
		jb_array(ps, "inherits", row_array(rels, i, REL_INHERITS), false);
		jb_true(ps, "row_security", row_bool(rels, i, REL_RLS));
		jb_true(ps, "force_row_security", row_bool(rels, i, REL_FORCE_RLS));
		jb_array(ps, "options", row_array(rels, i, REL_OPTIONS), false);
		replident = row_text(rels, i, REL_REPLIDENT);
		if (kind == 'r' || kind == 'p')
		{
			if (replident[0] == 'f')
				jb_text(ps, "replica_identity", "full");
			else if (replident[0] == 'n')
				jb_text(ps, "replica_identity", "nothing");
			else if (replident[0] == 'i')
				jb_text(ps, "replica_identity", "index");
		}
		jb_text(ps, "definition", row_text(rels, i, REL_VIEWDEF));
		jb_text(ps, "comment", row_text(rels, i, REL_COMMENT));
		jb_array(ps, "grants", row_array(rels, i, REL_GRANTS), false);

		emit_children(ps, "columns", &ch->columns, name, build_column, true);
		emit_children(ps, "constraints", &ch->constraints, name, build_constraint, false);
		emit_children(ps, "indexes", &ch->indexes, name, build_index, false);
		emit_children(ps, "triggers", &ch->triggers, name, build_trigger, false);
		emit_children(ps, "policies", &ch->policies, name, build_policy, false);
		emit_children(ps, "rules", &ch->rules, name, build_rule, false);
		jb_end(ps);
	}
	if (started)
		jb_end(ps);
}

/* ---------------------------------------------------------------------
 * Schema-level objects
 * ---------------------------------------------------------------------
 */

static void
emit_sequences(JsonbParseState **ps, SmRows *r)
{
	uint64		i;

	if (r->n == 0)
		return;
	jb_begin(ps, "sequences");
	for (i = 0; i < r->n; i++)
	{
		jb_begin(ps, row_text(r, i, SEQ_NAME));
		jb_text(ps, "type", row_text(r, i, SEQ_TYPE));
		jb_number(ps, "start", row_text(r, i, SEQ_START));
		jb_number(ps, "increment", row_text(r, i, SEQ_INCREMENT));
		jb_number(ps, "min", row_text(r, i, SEQ_MIN));
		jb_number(ps, "max", row_text(r, i, SEQ_MAX));
		jb_number(ps, "cache", row_text(r, i, SEQ_CACHE));
		jb_bool(ps, "cycle", row_bool(r, i, SEQ_CYCLE));
		jb_text(ps, "owned_by", row_text(r, i, SEQ_OWNED_BY));
		jb_true(ps, "unlogged", row_text(r, i, SEQ_PERSISTENCE)[0] == 'u');
		jb_text(ps, "comment", row_text(r, i, SEQ_COMMENT));
		jb_array(ps, "grants", row_array(r, i, SEQ_GRANTS), false);
		jb_end(ps);
	}
	jb_end(ps);
}

static void
emit_types(JsonbParseState **ps, SmRows *r)
{
	uint64		i;

	if (r->n == 0)
		return;
	jb_begin(ps, "types");
	for (i = 0; i < r->n; i++)
	{
		char		typtype = row_text(r, i, TYP_TYPE)[0];

		jb_begin(ps, row_text(r, i, TYP_NAME));
		switch (typtype)
		{
			case 'e':
				jb_text(ps, "kind", "enum");
				jb_array(ps, "labels", row_array(r, i, TYP_LABELS), true);
				break;
			case 'd':
				{
					List	   *names = row_array(r, i, TYP_CONNAMES);
					List	   *defs = row_array(r, i, TYP_CONDEFS);
					ListCell   *ln;
					ListCell   *ld;

					jb_text(ps, "kind", "domain");
					jb_text(ps, "base_type", row_text(r, i, TYP_BASE));
					jb_bool(ps, "not_null", row_bool(r, i, TYP_NOTNULL));
					jb_text(ps, "default", row_text(r, i, TYP_DEFAULT));
					jb_text(ps, "collation", row_text(r, i, TYP_COLLATION));
					if (names != NIL && list_length(names) == list_length(defs))
					{
						jb_begin(ps, "constraints");
						forboth(ln, names, ld, defs)
						{
							jb_text(ps, (const char *) lfirst(ln),
									(const char *) lfirst(ld));
						}
						jb_end(ps);
					}
					break;
				}
			case 'c':
				jb_text(ps, "kind", "composite");
				jb_array(ps, "attributes", row_array(r, i, TYP_ATTRIBUTES), true);
				break;
			case 'r':
				jb_text(ps, "kind", "range");
				jb_text(ps, "subtype", row_text(r, i, TYP_SUBTYPE));
				jb_text(ps, "subtype_opclass", row_text(r, i, TYP_SUBOPCLASS));
				break;
			default:
				break;
		}
		jb_text(ps, "comment", row_text(r, i, TYP_COMMENT));
		jb_array(ps, "grants", row_array(r, i, TYP_GRANTS), false);
		jb_end(ps);
	}
	jb_end(ps);
}

static void
emit_functions(JsonbParseState **ps, SmRows *r)
{
	uint64		i;

	if (r->n == 0)
		return;
	jb_begin(ps, "functions");
	for (i = 0; i < r->n; i++)
	{
		char	   *sig = row_text(r, i, FN_SIG);
		char		kind = row_text(r, i, FN_KIND)[0];
		char		vol = row_text(r, i, FN_VOLATILITY)[0];
		char		par = row_text(r, i, FN_PARALLEL)[0];

		CHECK_FOR_INTERRUPTS();
		/* NULL when the function was dropped since the catalog snapshot */
		if (sig == NULL)
			continue;
		jb_begin(ps, sig);
		jb_text(ps, "kind", kind == 'p' ? "procedure" :
				kind == 'a' ? "aggregate" :
				kind == 'w' ? "window" : "function");
		jb_text(ps, "arguments", row_text(r, i, FN_ARGS));
		jb_text(ps, "returns", row_text(r, i, FN_RESULT));
		jb_text(ps, "language", row_text(r, i, FN_LANGUAGE));
		jb_text(ps, "volatility", vol == 'i' ? "immutable" :
				vol == 's' ? "stable" : "volatile");
		jb_bool(ps, "strict", row_bool(r, i, FN_STRICT));
		jb_bool(ps, "security_definer", row_bool(r, i, FN_SECDEF));
		jb_true(ps, "leakproof", row_bool(r, i, FN_LEAKPROOF));
		jb_text(ps, "parallel", par == 's' ? "safe" :
				par == 'r' ? "restricted" : "unsafe");
		jb_number(ps, "cost", row_text(r, i, FN_COST));
		if (strcmp(row_text(r, i, FN_ROWS), "0") != 0)
			jb_number(ps, "rows", row_text(r, i, FN_ROWS));
		jb_array(ps, "config", row_array(r, i, FN_CONFIG), false);
		jb_text(ps, "body", row_text(r, i, FN_BODY));
		jb_text(ps, "library", row_text(r, i, FN_BIN));
		jb_text(ps, "comment", row_text(r, i, FN_COMMENT));
		jb_array(ps, "grants", row_array(r, i, FN_GRANTS), false);
		jb_end(ps);
	}
	jb_end(ps);
}

static void
emit_statistics(JsonbParseState **ps, SmRows *r)
{
	uint64		i;

	if (r->n == 0)
		return;
	jb_begin(ps, "statistics");
	for (i = 0; i < r->n; i++)
	{
		jb_begin(ps, row_text(r, i, 1));
		jb_text(ps, "definition", row_text(r, i, 2));
		jb_text(ps, "comment", row_text(r, i, 3));
		jb_end(ps);
	}
	jb_end(ps);
}

static void
emit_extensions(JsonbParseState **ps, SmRows *r)
{
	uint64		i;

	if (r->n == 0)
		return;
	jb_begin(ps, "extensions");
	for (i = 0; i < r->n; i++)
	{
		jb_begin(ps, row_text(r, i, 1));
		jb_text(ps, "version", row_text(r, i, 2));
		jb_end(ps);
	}
	jb_end(ps);
}

/*
 * describe_schema adds schema: {...} for one existing schema.  The caller
 * has pinned search_path to "pg_catalog, <schema>, pg_temp".  Every string taken
 * from the results is a copy in the current memory context, so the results
 * are freed before returning.
 */
static void
describe_schema(JsonbParseState **ps, const char *schema)
{
	SmRows		info;
	SmRows		rels;
	SmChildren	ch;
	SmRows		seqs;
	SmRows		types;
	SmRows		funcs;
	SmRows		stats;
	SmRows		exts;

	info = run_query(sm_q_schema, schema);
	if (info.n == 0)
	{
		SPI_freetuptable(info.tt);
		return;					/* dropped since we listed it */
	}
	rels = run_query(sm_q_relations, schema);
	ch.columns = run_query(sm_q_columns, schema);
	ch.constraints = run_query(sm_q_constraints, schema);
	ch.indexes = run_query(sm_q_indexes, schema);
	ch.triggers = run_query(sm_q_triggers, schema);
	ch.policies = run_query(sm_q_policies, schema);
	ch.rules = run_query(sm_q_rules, schema);
	seqs = run_query(sm_q_sequences, schema);
	types = run_query(sm_q_types, schema);
	funcs = run_query(sm_q_functions, schema);
	stats = run_query(sm_q_statistics, schema);
	exts = run_query(sm_q_extensions, schema);

	jb_begin(ps, schema);
	jb_text(ps, "comment", row_text(&info, 0, 1));
	jb_array(ps, "grants", row_array(&info, 0, 2), false);
	emit_relations(ps, "tables", "rpf", &rels, &ch);
	emit_relations(ps, "views", "vm", &rels, &ch);
	emit_sequences(ps, &seqs);
	emit_types(ps, &types);
	emit_functions(ps, &funcs);
	emit_statistics(ps, &stats);
	emit_extensions(ps, &exts);
	jb_end(ps);

	SPI_freetuptable(info.tt);
	SPI_freetuptable(rels.tt);
	SPI_freetuptable(ch.columns.tt);
	SPI_freetuptable(ch.constraints.tt);
	SPI_freetuptable(ch.indexes.tt);
	SPI_freetuptable(ch.triggers.tt);
	SPI_freetuptable(ch.policies.tt);
	SPI_freetuptable(ch.rules.tt);
	SPI_freetuptable(seqs.tt);
	SPI_freetuptable(types.tt);
	SPI_freetuptable(funcs.tt);
	SPI_freetuptable(stats.tt);
	SPI_freetuptable(exts.tt);
}

/* list_schemas returns the schemas to describe, sorted by name. */
static List *
list_schemas(List *schemas, bool all)
{
	uint64		n;
	uint64		i;
	List	   *result = NIL;

	if (all)
		n = sm_spi_exec(sm_q_all_schemas, SPI_OK_SELECT, 0, NULL, NULL, NULL);
	else
	{
		Oid			argtypes[1] = {TEXTARRAYOID};
		Datum		values[1];

		if (schemas == NIL)
			return NIL;
		values[0] = sm_text_array_datum(schemas);
		n = sm_spi_exec(sm_q_named_schemas, SPI_OK_SELECT, 1, argtypes, values, NULL);
	}
	for (i = 0; i < n; i++)
		result = lappend(result, sm_spi_getstr(i, 1));
	return result;
}

Jsonb *
sm_describe(List *schemas, bool all)
{
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext work;
	JsonbParseState *ps = NULL;
	JsonbValue *root;
	Jsonb	   *result;
	List	   *names;
	ListCell   *lc;
	int			save_nestlevel;

	/*
	 * Strings pushed into the parse state are referenced, not copied, so
	 * everything read from the catalogs stays in "work" until the document
	 * has been converted; the query results themselves are freed schema by
	 * schema.
	 */
	work = AllocSetContextCreate(CurrentMemoryContext, "schemamig describe",
								 ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(work);

	/* undone by AtEOXact_GUC below, or by (sub)transaction abort on error */
	save_nestlevel = NewGUCNestLevel();

	/* the schema list's operators must be pg_catalog's, whatever the caller's path */
	(void) set_config_option("search_path", "pg_catalog",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	/*
	 * Deparsing an expression (a column default, a partition bound, an index
	 * predicate, a policy) locks its table: never wait for another
	 * session's lock longer than schemamig.lock_timeout.  A caller that
	 * holds a migration's locks has set a shorter limit already
	 * (sm_snapshot_record).
	 */
	if (sm_lock_timeout > 0 && (LockTimeout == 0 || LockTimeout > sm_lock_timeout))
	{
		char		buf[32];

		snprintf(buf, sizeof(buf), "%d", sm_lock_timeout);
		(void) set_config_option("lock_timeout", buf, PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	}
	names = list_schemas(schemas, all);
	SPI_freetuptable(SPI_tuptable);

	(void) pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	foreach(lc, names)
	{
		const char *schema = (const char *) lfirst(lc);
		char	   *path;

		CHECK_FOR_INTERRUPTS();
		/* pg_temp last, so the session's temporary objects shadow nothing */
		path = psprintf("pg_catalog, %s, pg_temp", quote_identifier(schema));
		(void) set_config_option("search_path", path,
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		describe_schema(&ps, schema);
	}
	root = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);

	AtEOXact_GUC(true, save_nestlevel);

	MemoryContextSwitchTo(caller);
	result = JsonbValueToJsonb(root);
	MemoryContextDelete(work);
	return result;
}

/*
 * sm_describe_is_blocked: would describing these schemas wait for another
 * session's lock?  Deparsing a table's expressions takes ACCESS SHARE on it,
 * so each table is probed with a lock that is released at once; returns the
 * first table another session holds in a conflicting mode (qualified name),
 * or NULL.  A migration calls this before its snapshot, so that it never
 * waits while holding its own locks.
 */
char *
sm_describe_is_blocked(List *schemas, bool all)
{
	List	   *names = list_schemas(schemas, all);
	Oid			argtypes[1] = {TEXTARRAYOID};
	Datum		values[1];
	uint64		n;
	uint64		i;

	if (names == NIL)
		return NULL;
	values[0] = sm_text_array_datum(names);
	n = sm_spi_exec("SELECT c.oid, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)"
					" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
					" WHERE n.nspname OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.name[])"
					" AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p', 'f', 'v', 'm']::pg_catalog.\"char\"[])",
					SPI_OK_SELECT, 1, argtypes, values, NULL);
	for (i = 0; i < n; i++)
	{
		bool		isnull;
		Oid			relid = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
														   SPI_tuptable->tupdesc, 1, &isnull));

		CHECK_FOR_INTERRUPTS();
		if (!ConditionalLockRelationOid(relid, AccessShareLock))
			return sm_spi_getstr(i, 2);
		UnlockRelationOid(relid, AccessShareLock);
	}
	return NULL;
}

char *
sm_fingerprint_of(Jsonb *description)
{
	pg_cryptohash_ctx *ctx;
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	char	   *text;
	char	   *hex;
	int			i;

	text = JsonbToCString(NULL, &description->root, VARSIZE(description));
	ctx = pg_cryptohash_create(PG_SHA256);
	if (ctx == NULL || pg_cryptohash_init(ctx) < 0)
		elog(ERROR, "could not initialize SHA-256 context");
	PG_TRY();
	{
		if (pg_cryptohash_update(ctx, (const uint8 *) text, strlen(text)) < 0 ||
			pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
			elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	}
	PG_FINALLY();
	{
		pg_cryptohash_free(ctx);
	}
	PG_END_TRY();
	pfree(text);

	hex = palloc(PG_SHA256_DIGEST_LENGTH * 2 + 1);
	for (i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
		snprintf(hex + i * 2, 3, "%02x", digest[i]);
	return hex;
}

char *
sm_fingerprint(List *schemas, bool all)
{
	Jsonb	   *description = sm_describe(schemas, all);
	char	   *fingerprint = sm_fingerprint_of(description);

	pfree(description);
	return fingerprint;
}

List *
sm_tracked_schema_list(bool *all)
{
	char	   *raw;
	List	   *names = NIL;

	*all = true;
	if (sm_tracked_schemas == NULL || sm_tracked_schemas[0] == '\0')
		return NIL;
	raw = pstrdup(sm_tracked_schemas);
	if (!SplitIdentifierString(raw, ',', &names))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid list syntax in parameter \"schemamig.tracked_schemas\"")));
	*all = (names == NIL);
	return names;
}

/*
 * sm_check_tracked_schemas refuses a schemamig.tracked_schemas value that is
 * not a list of identifiers, so the drift triggers never meet one.
 */
bool
sm_check_tracked_schemas(char **newval, void **extra, GucSource source)
{
	char	   *raw = pstrdup(*newval);
	List	   *names = NIL;
	bool		ok = SplitIdentifierString(raw, ',', &names);

	list_free(names);
	pfree(raw);
	if (!ok)
		GUC_check_errdetail("List syntax is invalid.");
	return ok;
}

/*
 * schemas_arg reads the optional "schemas text[]" argument: NULL means every
 * non-system schema.
 */
static List *
schemas_arg(FunctionCallInfo fcinfo, bool *all)
{
	*all = PG_ARGISNULL(0);
	if (*all)
		return NIL;
	return sm_text_array_to_list(PG_GETARG_ARRAYTYPE_P(0), "schemas");
}

/*
 * schemamig.describe(schemas text[] DEFAULT NULL) → jsonb
 */
Datum
schemamig_describe(PG_FUNCTION_ARGS)
{
	bool		all;
	List	   *schemas = schemas_arg(fcinfo, &all);
	Jsonb	   *result;
	Jsonb	   *copy;
	MemoryContext outer = CurrentMemoryContext;

	sm_spi_connect();
	result = sm_describe(schemas, all);
	/* SPI calls leave SPI's memory current: copy out before SPI_finish */
	MemoryContextSwitchTo(outer);
	copy = palloc(VARSIZE(result));
	memcpy(copy, result, VARSIZE(result));
	sm_spi_finish();
	PG_RETURN_JSONB_P(copy);
}

/*
 * schemamig.fingerprint(schemas text[] DEFAULT NULL) → text
 */
Datum
schemamig_fingerprint(PG_FUNCTION_ARGS)
{
	bool		all;
	List	   *schemas = schemas_arg(fcinfo, &all);
	char	   *fingerprint;
	text	   *result;
	MemoryContext outer = CurrentMemoryContext;

	sm_spi_connect();
	fingerprint = sm_fingerprint(schemas, all);
	/* SPI calls leave SPI's memory current: copy out before SPI_finish */
	MemoryContextSwitchTo(outer);
	result = cstring_to_text(fingerprint);
	sm_spi_finish();
	PG_RETURN_TEXT_P(result);
}
