/*-------------------------------------------------------------------------
 *
 * diff.h
 *	  Schema diff: the object model read from the catalogs (model.c), the
 *	  desired-schema shadow (shadow.c), the planner that turns two models
 *	  into ordered, reversible steps (plan.c, plan_sql.c, plan_order.c) and
 *	  the data checks behind the hazards (hazard.c).
 *
 * An object is identified by a key "<kind letter>:<qualified identity>",
 * e.g. "r:public.t", "c:public.t.id", "k:public.t.t_pkey",
 * "f:public.add(integer, integer)".  Keys never contain OIDs, so the live
 * schema and the shadow built from the desired DDL (under the same schema
 * names) compare key by key.
 *
 * src/diff/diff.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_DIFF_H
#define SM_DIFF_H

#include "pg_schemamig.h"
#include "lib/stringinfo.h"
#include "utils/hsearch.h"

/* Object kinds, in creation order (drops go the other way). */
typedef enum DiffKind
{
	DK_SCHEMA,
	DK_EXTENSION,
	DK_TYPE,					/* enum, domain, composite, range */
	DK_SEQUENCE,
	DK_FUNCTION,				/* functions and procedures */
	DK_TABLE,					/* tables, partitioned tables, partitions */
	DK_COLUMN,
	DK_DEFAULT,					/* a column's default expression */
	DK_SEQOWNER,				/* ALTER SEQUENCE ... OWNED BY */
	DK_CONSTRAINT,
	DK_INDEX,
	DK_VIEW,					/* views and materialized views */
	DK_TRIGGER,
	DK_POLICY,
	DK_NKINDS
} DiffKind;

typedef struct DiffObj
{
	DiffKind	kind;
	char	   *key;
	char	   *parent;			/* key of the owning table/column/sequence */
	char	   *schema;			/* schema name, unquoted */
	char	   *name;			/* own name, unquoted */
	char	   *qname;			/* quoted, schema-qualified name */
	char	   *table;			/* children: quoted qualified table */
	char		subkind;		/* relkind, contype, typtype, prokind */
	char	   *def;			/* what is compared (besides comment/grants) */
	char	   *comment;
	List	   *grants;			/* sorted "grantee=PRIVILEGE[ WITH GRANT OPTION]" */
	List	   *deps;			/* keys this object depends on */
	List	   *rdeps;			/* keys depending on this object */
	int			ord;			/* position in read order (attnum for columns) */

	/* tables */
	char		persistence;
	char	   *partkey;
	char	   *partof;			/* qualified parent of a partition */
	char	   *bound;
	List	   *inherits;
	bool		rls;
	bool		forcerls;
	char	   *options;		/* reloptions, comma-separated, or NULL */
	char		replident;
	char	   *replindex;
	double		reltuples;

	/* columns */
	char	   *type;
	char	   *collation;
	bool		notnull;
	char		generated;
	char	   *genexpr;
	char		identity;
	char	   *idopts;
	bool		inherited;		/* column/constraint inherited from a parent */

	/* sequences: type and options; seqowner: owner column */
	char	   *seqopts;

	/* types */
	List	   *labels;			/* enum labels; composite attributes */
	char	   *base;			/* domain base type, range subtype */
	char	   *defexpr;		/* domain default */
	List	   *checks;			/* domain constraints "name\tdef" */

	/* constraints */
	bool		validated;
	char	   *altdef;			/* a CHECK's form once its def is read again */

	/* indexes and keys of partitions: the parent index it is attached to */
	char	   *attachto;
	char	   *catsig;			/* indexes: catalog row the def follows from */

	/* functions */
	char	   *signature;		/* qname(identity arguments) */
	char	   *args;
	char	   *result;
	bool		untracked;		/* body's dependencies unknown to PostgreSQL */

	/* extensions */
	char	   *version;
} DiffObj;

typedef struct DiffModel
{
	HTAB	   *byKey;			/* key -> DiffModelEntry */
	HTAB	   *byAddr;			/* catalog address -> object (model.c) */
	List	   *objs;			/* DiffObj *, in read order */
	DiffObj    *spare;			/* objects allocated, not yet used */
	int			nspare;
} DiffModel;

/* byKey's entry: the key is the object's own string */
typedef struct DiffModelEntry
{
	const char *key;
	DiffObj    *obj;
} DiffModelEntry;

/* one output row of diff() */
typedef struct DiffStep
{
	char	   *upgrade;
	char	   *downgrade;
	char	   *hazard;			/* NULL: none */
} DiffStep;

/* a rename hint from the desired DDL */
typedef struct DiffRename
{
	char	   *kind;			/* table, column, index, constraint, type, view, sequence */
	List	   *old;			/* qualified name parts of the old object */
	char	   *newname;
} DiffRename;

/* model.c */
extern DiffModel *diff_read_model(List *schemas, DiffModel *ref);
extern DiffObj *diff_lookup(DiffModel *m, const char *key);
extern uint32 diff_key_hash(const void *key, Size keysize);
extern int	diff_key_match(const void *key1, const void *key2, Size keysize);

/* shadow.c */
extern DiffModel *diff_build_desired(const char *ddl, List *schemas, bool single,
									  DiffModel *live);
extern List *diff_parse_renames(const char *ddl, const char *defschema);
extern List *diff_apply_renames(List *renames);

/* plan.c */
extern List *diff_plan(DiffModel *from, DiffModel *to);

/* plan_sql.c: statements for one object */
extern char *diff_create_sql(DiffModel *m, DiffObj *o, bool with_children);
extern char *diff_drop_sql(DiffObj *o);
extern char *diff_comment_sql(DiffObj *o, const char *comment);
extern char *diff_grant_sql(DiffObj *o, const char *grant, bool revoke);
extern const char *diff_object_word(DiffObj *o);
extern char *diff_column_sql(DiffObj *col, bool with_default_of, DiffModel *m);
extern void diff_append_stmt(StringInfo buf, const char *stmt);
extern void diff_function_sql(StringInfo buf, DiffObj *o);

/* hazard.c: data checks on the live rows (run them in the live state) */
extern int64 diff_count(const char *query, bool *failed);
extern bool diff_table_has_rows(const char *qtable);
extern bool diff_table_is_big(const char *qtable);

/* diff_sql.c */
extern List *diff_compute(const char *ddl, List *schemas, bool single);

#endif							/* SM_DIFF_H */
