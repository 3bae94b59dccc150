/*-------------------------------------------------------------------------
 *
 * schemadiff.c
 *	  Names the differences between two describe() documents, for verify():
 *	  "sequence public.tasks_id_seq left behind", "column priority of table
 *	  public.tasks: default was 'medium'::text, now (none)".
 *
 * The document (introspect.c) is keyed by names: schema -> kind ("tables",
 * "views", "sequences", ...) -> object -> attributes, and a relation's
 * children ("columns", "indexes", ...) -> child -> attributes.  A level
 * keyed by names is a collection: a name on one side only is an object
 * added or removed, reported once (not attribute by attribute); anywhere
 * else a key on one side only is an attribute set or unset.  jsonb keeps
 * object keys sorted, so the order of the differences is stable.
 *
 * src/verify/schemadiff.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "verify.h"

typedef struct DiffCtx
{
	List	   *out;			/* char * */
	const char *extra;
	const char *missing;
} DiffCtx;

/* Kinds of schema-level collections and their singular names. */
static const char *const kinds[][2] = {
	{"tables", "table"}, {"views", "view"}, {"sequences", "sequence"},
	{"types", "type"}, {"functions", "function"}, {"statistics", "statistics"},
	{"extensions", "extension"}, {NULL, NULL}
};

/* Children of a relation. */
static const char *const children[][2] = {
	{"columns", "column"}, {"constraints", "constraint"}, {"indexes", "index"},
	{"triggers", "trigger"}, {"policies", "policy"}, {"rules", "rule"},
	{NULL, NULL}
};

static const char *
singular(const char *const table[][2], const char *key)
{
	int			i;

	for (i = 0; table[i][0] != NULL; i++)
		if (strcmp(table[i][0], key) == 0)
			return table[i][1];
	return NULL;
}

/* Is the container at "path" (List of char *) keyed by object names? */
static bool
is_collection(List *path)
{
	int			depth = list_length(path);

	if (depth == 0)
		return true;
	if (depth == 2)
		return singular(kinds, (char *) lsecond(path)) != NULL;
	if (depth == 4)
		return singular(kinds, (char *) lsecond(path)) != NULL &&
			singular(children, (char *) lfourth(path)) != NULL;
	return false;
}

/*
 * The object named by the first "depth" keys of "path" (1, 3 or 5):
 * "schema s", "table s.t", "column c of table s.t".
 */
static char *
object_name(List *path, int depth)
{
	const char *schema = linitial(path);
	const char *kind;
	char	   *obj;

	if (depth == 1)
		return psprintf("schema %s", quote_identifier(schema));
	kind = singular(kinds, (char *) lsecond(path));
	obj = psprintf("%s %s", kind ? kind : (char *) lsecond(path),
				   quote_qualified_identifier(schema, (char *) lthird(path)));
	if (depth == 3)
		return obj;
	kind = singular(children, (char *) lfourth(path));
	return psprintf("%s %s of %s", kind ? kind : (char *) lfourth(path),
					quote_identifier((char *) list_nth(path, 4)), obj);
}

/*
 * The object an attribute at "path" belongs to and the attribute's own
 * path: ("column c of table s.t", "default").
 */
static void
split_attribute(List *path, char **obj, char **attr)
{
	int			depth = list_length(path);
	int			objdepth;
	StringInfoData buf;
	ListCell   *lc;

	if (depth >= 6 && singular(children, (char *) lfourth(path)) != NULL)
		objdepth = 5;
	else if (depth >= 4 && singular(kinds, (char *) lsecond(path)) != NULL)
		objdepth = 3;
	else
		objdepth = 1;
	*obj = object_name(path, objdepth);
	initStringInfo(&buf);
	for_each_from(lc, path, objdepth)
	{
		if (buf.len > 0)
			appendStringInfoChar(&buf, '.');
		appendStringInfoString(&buf, (char *) lfirst(lc));
	}
	*attr = buf.data;
}

/* A value as text: strings bare, everything else as JSON; NULL: "(none)". */
static char *
value_text(JsonbValue *v, JsonbValue *other)
{
	if (v == NULL)
		return pstrdup(other != NULL && other->type == jbvBool ? "false" : "(none)");
	switch (v->type)
	{
		case jbvString:
			return pnstrdup(v->val.string.val, v->val.string.len);
		case jbvBool:
			return pstrdup(v->val.boolean ? "true" : "false");
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v->val.numeric)));
		case jbvNull:
			return pstrdup("null");
		case jbvBinary:
			return JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
		default:
			return pstrdup("?");
	}
}

static bool
values_equal(JsonbValue *a, JsonbValue *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type)
	{
		case jbvString:
			return a->val.string.len == b->val.string.len &&
				memcmp(a->val.string.val, b->val.string.val, a->val.string.len) == 0;
		case jbvBool:
			return a->val.boolean == b->val.boolean;
		case jbvNumeric:
			return DatumGetBool(DirectFunctionCall2(numeric_eq,
													NumericGetDatum(a->val.numeric),
													NumericGetDatum(b->val.numeric)));
		case jbvNull:
			return true;
		case jbvBinary:
			return compareJsonbContainers(a->val.binary.data, b->val.binary.data) == 0;
		default:
			return false;
	}
}

/* The keys of an object container, in jsonb order (List of char *). */
static List *
container_keys(JsonbContainer *c)
{
	List	   *keys = NIL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (c == NULL || !JsonContainerIsObject(c))
		return NIL;
	it = JsonbIteratorInit(c);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			keys = lappend(keys, pnstrdup(v.val.string.val, v.val.string.len));
	}
	return keys;
}

/* The value of "key" in object container "c", or NULL. */
static JsonbValue *
lookup(JsonbContainer *c, const char *key)
{
	JsonbValue *res;

	if (c == NULL || !JsonContainerIsObject(c))
		return NULL;
	res = palloc(sizeof(JsonbValue));
	if (getKeyJsonValueFromContainer(c, key, strlen(key), res) == NULL)
		return NULL;
	return res;
}

static JsonbContainer *
as_object(JsonbValue *v)
{
	if (v != NULL && v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data))
		return v->val.binary.data;
	return NULL;
}

/* the keys of "a" then those of "b" that "a" lacks */
static List *
key_union(JsonbContainer *a, JsonbContainer *b)
{
	List	   *ka = container_keys(a);
	List	   *kb = container_keys(b);
	ListCell   *lc;

	foreach(lc, kb)
	{
		if (lookup(a, (char *) lfirst(lc)) == NULL)
			ka = lappend(ka, lfirst(lc));
	}
	return ka;
}

static void diff_containers(DiffCtx *ctx, JsonbContainer *a, JsonbContainer *b, List *path);

static void
diff_attribute(DiffCtx *ctx, List *path, JsonbValue *va, JsonbValue *vb)
{
	char	   *obj;
	char	   *attr;

	if (va != NULL && vb != NULL && values_equal(va, vb))
		return;
	/* both objects (a nested attribute such as identity_sequence): recurse */
	if (as_object(va) != NULL && as_object(vb) != NULL)
	{
		diff_containers(ctx, as_object(va), as_object(vb), path);
		return;
	}
	split_attribute(path, &obj, &attr);
	ctx->out = lappend(ctx->out, psprintf("%s: %s was %s, now %s", obj, attr,
										  value_text(va, vb), value_text(vb, va)));
}

/*
 * diff_containers compares the objects at "path"; "a" or "b" may be NULL
 * (an empty collection on that side).
 */
static void
diff_containers(DiffCtx *ctx, JsonbContainer *a, JsonbContainer *b, List *path)
{
	bool		collection = is_collection(path);
	ListCell   *lc;

	foreach(lc, key_union(a, b))
	{
		char	   *key = lfirst(lc);
		List	   *sub = lappend(list_copy(path), key);
		JsonbValue *va = lookup(a, key);
		JsonbValue *vb = lookup(b, key);

		CHECK_FOR_INTERRUPTS();
		if (collection)
		{
			if (va == NULL || vb == NULL)
				ctx->out = lappend(ctx->out, psprintf("%s %s", object_name(sub, list_length(sub)),
													  va == NULL ? ctx->extra : ctx->missing));
			else
				diff_containers(ctx, as_object(va), as_object(vb), sub);
		}
		else if (is_collection(sub))
			diff_containers(ctx, as_object(va), as_object(vb), sub);
		else
			diff_attribute(ctx, sub, va, vb);
	}
}

List *
sm_schema_differences(Jsonb *before, Jsonb *after, const char *extra,
					  const char *missing)
{
	DiffCtx		ctx;

	ctx.out = NIL;
	ctx.extra = extra;
	ctx.missing = missing;
	diff_containers(&ctx, &before->root, &after->root, NIL);
	return ctx.out;
}

/* "a; b; c" with at most "max" of them, then "and N more". */
char *
sm_join_differences(List *diffs, int max)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, diffs)
	{
		if (foreach_current_index(lc) == max)
		{
			appendStringInfo(&buf, "; and %d more", list_length(diffs) - max);
			break;
		}
		if (buf.len > 0)
			appendStringInfoString(&buf, "; ");
		appendStringInfoString(&buf, (char *) lfirst(lc));
	}
	return buf.data;
}
