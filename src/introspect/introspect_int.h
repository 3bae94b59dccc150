/*-------------------------------------------------------------------------
 *
 * introspect_int.h
 *	  Internals of describe() shared by introspect.c and
 *	  introspect_queries.c: the queries and their result columns (1-based).
 *
 * src/introspect/introspect_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_INTROSPECT_INT_H
#define SM_INTROSPECT_INT_H

extern const char *const sm_q_schema;
extern const char *const sm_q_relations;
extern const char *const sm_q_columns;
extern const char *const sm_q_constraints;
extern const char *const sm_q_indexes;
extern const char *const sm_q_triggers;
extern const char *const sm_q_policies;
extern const char *const sm_q_rules;
extern const char *const sm_q_sequences;
extern const char *const sm_q_types;
extern const char *const sm_q_functions;
extern const char *const sm_q_statistics;
extern const char *const sm_q_extensions;
extern const char *const sm_q_all_schemas;
extern const char *const sm_q_named_schemas;

enum
{
	REL_NAME = 1, REL_KIND, REL_PERSISTENCE, REL_PARTKEY, REL_PARTITION_OF,
	REL_PARTITION_BOUND, REL_INHERITS, REL_RLS, REL_FORCE_RLS, REL_OPTIONS,
	REL_REPLIDENT, REL_VIEWDEF, REL_COMMENT, REL_GRANTS
};

enum
{
	COL_REL = 1, COL_NAME, COL_TYPE, COL_COLLATION, COL_NOTNULL, COL_DEFAULT,
	COL_GENERATED, COL_IDENTITY, COL_STORAGE, COL_COMPRESSION, COL_STATS,
	COL_SEQSTART, COL_SEQINCREMENT, COL_SEQMIN, COL_SEQMAX, COL_SEQCACHE,
	COL_SEQCYCLE, COL_COMMENT, COL_GRANTS
};

enum
{
	CON_REL = 1, CON_NAME, CON_TYPE, CON_DEF, CON_DEFERRABLE, CON_DEFERRED,
	CON_VALIDATED, CON_REFERENCES, CON_ONUPDATE, CON_ONDELETE, CON_COMMENT
};

enum
{
	IDX_REL = 1, IDX_NAME, IDX_DEF, IDX_METHOD, IDX_UNIQUE, IDX_PRIMARY,
	IDX_NULLS_NOT_DISTINCT, IDX_VALID, IDX_CLUSTERED, IDX_PREDICATE, IDX_KEY,
	IDX_INCLUDE, IDX_CONSTRAINT, IDX_OPTIONS, IDX_COMMENT
};

enum
{
	TRG_REL = 1, TRG_NAME, TRG_DEF, TRG_ENABLED, TRG_COMMENT
};

enum
{
	POL_REL = 1, POL_NAME, POL_CMD, POL_PERMISSIVE, POL_ROLES, POL_USING,
	POL_CHECK, POL_COMMENT
};

enum
{
	RUL_REL = 1, RUL_NAME, RUL_DEF, RUL_ENABLED, RUL_COMMENT
};

enum
{
	SEQ_NAME = 1, SEQ_TYPE, SEQ_START, SEQ_INCREMENT, SEQ_MIN, SEQ_MAX,
	SEQ_CACHE, SEQ_CYCLE, SEQ_OWNED_BY, SEQ_PERSISTENCE, SEQ_COMMENT, SEQ_GRANTS
};

enum
{
	TYP_NAME = 1, TYP_TYPE, TYP_LABELS, TYP_BASE, TYP_NOTNULL, TYP_DEFAULT,
	TYP_COLLATION, TYP_CONNAMES, TYP_CONDEFS, TYP_ATTRIBUTES, TYP_SUBTYPE,
	TYP_SUBOPCLASS, TYP_COMMENT, TYP_GRANTS
};

enum
{
	FN_SIG = 1, FN_KIND, FN_ARGS, FN_RESULT, FN_LANGUAGE, FN_VOLATILITY,
	FN_STRICT, FN_SECDEF, FN_LEAKPROOF, FN_PARALLEL, FN_COST, FN_ROWS,
	FN_CONFIG, FN_BODY, FN_BIN, FN_COMMENT, FN_GRANTS
};

#endif							/* SM_INTROSPECT_INT_H */
