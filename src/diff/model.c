/*-------------------------------------------------------------------------
 *
 * model.c
 *	  The object model diff compares: every table, column, default,
 *	  constraint, index, sequence, type, view, function, trigger, policy,
 *	  extension and schema of the given schemas, with their dependencies.
 *
 * One set-based query per kind over all schemas at once ($1 = text[]; run,
 * and its rows held, by model_rows.c), with search_path pinned to
 * pg_catalog so that PostgreSQL's own deparsers
 * (pg_get_indexdef, pg_get_constraintdef, pg_get_viewdef, pg_get_expr,
 * pg_get_functiondef, pg_get_triggerdef) qualify every name: the texts are
 * both the comparison and the statements diff emits, so they run whatever
 * search_path the migration later runs with.  Each query also returns the
 * catalog addresses (class, OID, sub-id) that stand for its objects; the
 * dependencies are pg_depend's rows with both ends mapped through them
 * (objects outside the model are left out; an extension's member stands for
 * the extension).
 * Objects that belong to an extension, identity sequences and cloned
 * partition triggers are not modelled: they come with their owner.  A
 * partition's index or key attached to its parent's index is modelled as
 * inherited, with the parent index it is attached to (plan_partition.c).
 *
 * src/diff/model.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_attrdef.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_policy.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "diff.h"
#include "model_rows.h"

#define QI(x) "pg_catalog.quote_ident(" x ")"
#define QN(nsp, name) "(" QI(nsp "::text") " || '.' || " QI(name "::text") ")"

#define NOT_EXT(classid, objid) \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e " \
	"WHERE e.classid OPERATOR(pg_catalog.=) '" classid "'::pg_catalog.regclass " \
	"AND e.objid OPERATOR(pg_catalog.=) " objid " AND e.deptype OPERATOR(pg_catalog.=) 'e' " \
	"AND e.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass)"

#define GRANTS(acl, kind, owner) \
	"(SELECT pg_catalog.array_agg(g.s ORDER BY g.s COLLATE \"C\") FROM (" \
	"SELECT CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' " \
	"ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::text) END " \
	"|| '=' || a.privilege_type " \
	"|| CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS s " \
	"FROM pg_catalog.aclexplode(COALESCE(" acl ", pg_catalog.acldefault('" kind "', " owner "))) a " \
	"WHERE a.grantee OPERATOR(pg_catalog.<>) " owner ") g)"

/*
 * GRANTS of a kind whose default privileges are the owner's only (schemas,
 * relations, columns): a NULL acl has none, without exploding the default.
 */
#define OWNER_GRANTS(acl, kind, owner) \
	"CASE WHEN " acl " IS NOT NULL THEN " GRANTS(acl, kind, owner) " END"

#define DESCR(classid, objid, subid) \
	"(SELECT d.description FROM pg_catalog.pg_description d WHERE d.classoid OPERATOR(pg_catalog.=) '" classid \
	"'::pg_catalog.regclass AND d.objoid OPERATOR(pg_catalog.=) " objid " AND d.objsubid OPERATOR(pg_catalog.=) " subid ")"

#define IN_SCHEMAS " n.nspname OPERATOR(pg_catalog.=) ANY ($1)"

/* the qualified parent index an index (of a partition) is attached to */
#define ATTACHED_TO(indexoid) \
	"(SELECT " QN("pn.nspname", "pi.relname") " FROM pg_catalog.pg_inherits h" \
	" JOIN pg_catalog.pg_class pi ON pi.oid OPERATOR(pg_catalog.=) h.inhparent" \
	" JOIN pg_catalog.pg_namespace pn ON pn.oid OPERATOR(pg_catalog.=) pi.relnamespace" \
	" WHERE h.inhrelid OPERATOR(pg_catalog.=) " indexoid ")"

static const char *const q_schemas =
"SELECT n.nspname::text, " DESCR("pg_catalog.pg_namespace", "n.oid", "0") ", "
OWNER_GRANTS("n.nspacl", "n", "n.nspowner")
" FROM pg_catalog.pg_namespace n WHERE" IN_SCHEMAS;

static const char *const q_extensions =
"SELECT x.extname::text, n.nspname::text, x.extversion, "
DESCR("pg_catalog.pg_extension", "x.oid", "0") ", x.oid"
" FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) x.extnamespace"
" WHERE" IN_SCHEMAS;

/* relations: tables, partitioned and foreign tables, views, matviews, sequences */
static const char *const q_relations =
"SELECT n.nspname::text, c.relname::text, c.relkind::text, c.relpersistence::text,"
" CASE WHEN c.relkind OPERATOR(pg_catalog.=) 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,"
" CASE WHEN c.relispartition THEN (SELECT i.inhparent::pg_catalog.regclass::text"
"   FROM pg_catalog.pg_inherits i WHERE i.inhrelid OPERATOR(pg_catalog.=) c.oid) END,"
" CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,"
" CASE WHEN NOT c.relispartition THEN (SELECT pg_catalog.array_agg(i.inhparent::pg_catalog.regclass::text ORDER BY i.inhseqno)"
"   FROM pg_catalog.pg_inherits i WHERE i.inhrelid OPERATOR(pg_catalog.=) c.oid) END,"
" c.relrowsecurity, c.relforcerowsecurity,"
" pg_catalog.array_to_string(c.reloptions, ', '),"
" c.relreplident::text,"
" (SELECT ic.relname::text FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid"
"   WHERE i.indrelid OPERATOR(pg_catalog.=) c.oid AND i.indisreplident),"
" CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END,"
" " DESCR("pg_catalog.pg_class", "c.oid", "0") ","
" " OWNER_GRANTS("c.relacl", "r", "c.relowner") ","
" c.reltuples::float8,"
" CASE WHEN c.relkind OPERATOR(pg_catalog.=) 'S' THEN (SELECT 'AS ' || pg_catalog.format_type(s.seqtypid, NULL)"
"   || '|INCREMENT BY ' || s.seqincrement || '|MINVALUE ' || s.seqmin || '|MAXVALUE ' || s.seqmax"
"   || '|START WITH ' || s.seqstart || '|CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN '|CYCLE' ELSE '|NO CYCLE' END"
"   FROM pg_catalog.pg_sequence s WHERE s.seqrelid OPERATOR(pg_catalog.=) c.oid) END,"
" CASE WHEN c.relkind OPERATOR(pg_catalog.=) 'S' THEN (SELECT pg_catalog.quote_ident(dc.relname::text) || '.' || pg_catalog.quote_ident(a.attname::text)"
"   FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_class dc ON dc.oid OPERATOR(pg_catalog.=) dep.refobjid"
"   JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) dep.refobjid AND a.attnum OPERATOR(pg_catalog.=) dep.refobjsubid"
"   WHERE dep.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid OPERATOR(pg_catalog.=) c.oid"
"     AND dep.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
"     AND dep.deptype OPERATOR(pg_catalog.=) 'a' AND dep.refobjsubid OPERATOR(pg_catalog.>) 0) END,"
" (SELECT " QI("dn.nspname::text") " FROM pg_catalog.pg_class dc JOIN pg_catalog.pg_namespace dn ON dn.oid OPERATOR(pg_catalog.=) dc.relnamespace"
"   JOIN pg_catalog.pg_depend dep ON dep.refobjid OPERATOR(pg_catalog.=) dc.oid"
"   WHERE c.relkind OPERATOR(pg_catalog.=) 'S' AND dep.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid OPERATOR(pg_catalog.=) c.oid"
"     AND dep.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
"     AND dep.deptype OPERATOR(pg_catalog.=) 'a' AND dep.refobjsubid OPERATOR(pg_catalog.>) 0),"
/* what stands for the relation in pg_depend: its row type and that type's array, a view's rule */
" c.oid, c.reltype, (SELECT rt.typarray FROM pg_catalog.pg_type rt WHERE rt.oid OPERATOR(pg_catalog.=) c.reltype),"
" CASE WHEN c.relkind IN ('v', 'm') THEN (SELECT r.oid FROM pg_catalog.pg_rewrite r"
"   WHERE r.ev_class OPERATOR(pg_catalog.=) c.oid AND r.rulename OPERATOR(pg_catalog.=) '_RETURN') END"
" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
" WHERE" IN_SCHEMAS " AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid")
" AND (c.relkind OPERATOR(pg_catalog.<>) 'S' OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep"
"   WHERE dep.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid OPERATOR(pg_catalog.=) c.oid"
"   AND dep.deptype OPERATOR(pg_catalog.=) 'i'))";

enum
{
	R_NSP = 1, R_NAME, R_KIND, R_PERSIST, R_PARTKEY, R_PARTOF, R_BOUND,
	R_INHERITS, R_RLS, R_FORCE, R_OPTIONS, R_REPLIDENT, R_REPLINDEX,
	R_VIEWDEF, R_COMMENT, R_GRANTS, R_TUPLES, R_SEQOPTS, R_SEQOWNER,
	R_SEQOWNERNSP, R_OID, R_ROWTYPE, R_ROWARRAY, R_RULE
};

static const char *const q_columns =
"SELECT n.nspname::text, c.relname::text, a.attname::text, a.attnum::int4,"
" pg_catalog.format_type(a.atttypid, a.atttypmod),"
" CASE WHEN a.attcollation OPERATOR(pg_catalog.<>) t.typcollation THEN a.attcollation::pg_catalog.regcollation::text END,"
" a.attnotnull, a.attgenerated::text,"
/*
 * a default cannot name a column, so it is deparsed without the table
 * (which pg_get_expr would open for each one); a generated column's
 * expression can
 */
" CASE WHEN a.attgenerated OPERATOR(pg_catalog.=) '' THEN pg_catalog.pg_get_expr(ad.adbin, 0)"
"   ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END,"
" a.attidentity::text,"
" (SELECT 'START WITH ' || s.seqstart || '|INCREMENT BY ' || s.seqincrement || '|MINVALUE ' || s.seqmin"
"   || '|MAXVALUE ' || s.seqmax || '|CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN '|CYCLE' ELSE '|NO CYCLE' END"
"   FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_sequence s ON s.seqrelid OPERATOR(pg_catalog.=) dep.objid"
"   WHERE a.attidentity OPERATOR(pg_catalog.<>) '' AND dep.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
"   AND dep.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
"   AND dep.refobjid OPERATOR(pg_catalog.=) a.attrelid AND dep.refobjsubid OPERATOR(pg_catalog.=) a.attnum AND dep.deptype OPERATOR(pg_catalog.=) 'i'),"
" a.attinhcount OPERATOR(pg_catalog.>) 0 AND NOT a.attislocal,"
" ds.description,"
" " OWNER_GRANTS("a.attacl", "c", "c.relowner") ","
" a.attrelid, ad.oid"
" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
" JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid"
" JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid"
" LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid OPERATOR(pg_catalog.=) a.attrelid AND ad.adnum OPERATOR(pg_catalog.=) a.attnum"
/* joined rather than a subquery per column (the key is unique) */
" LEFT JOIN pg_catalog.pg_description ds ON ds.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
"   AND ds.objoid OPERATOR(pg_catalog.=) a.attrelid AND ds.objsubid OPERATOR(pg_catalog.=) a.attnum"
" WHERE" IN_SCHEMAS " AND c.relkind IN ('r', 'p', 'f')"
" AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid");

enum
{
	C_NSP = 1, C_REL, C_NAME, C_NUM, C_TYPE, C_COLL, C_NOTNULL, C_GENERATED,
	C_DEFAULT, C_IDENTITY, C_IDOPTS, C_INHERITED, C_COMMENT, C_GRANTS,
	C_RELID, C_ADOID
};

static const char *const q_constraints =
"SELECT n.nspname::text, c.relname::text, co.conname::text, co.contype::text,"
" pg_catalog.pg_get_constraintdef(co.oid), co.convalidated,"
" co.coninhcount OPERATOR(pg_catalog.>) 0 AND NOT co.conislocal,"
" " DESCR("pg_catalog.pg_constraint", "co.oid", "0") ","
" CASE WHEN co.contype IN ('p', 'u', 'x') THEN " ATTACHED_TO("co.conindid") " END,"
" co.oid, CASE WHEN co.contype IN ('p', 'u', 'x') THEN co.conindid END"
" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
" JOIN pg_catalog.pg_constraint co ON co.conrelid OPERATOR(pg_catalog.=) c.oid"
" WHERE" IN_SCHEMAS " AND c.relkind IN ('r', 'p', 'f')"
" AND co.contype OPERATOR(pg_catalog.<>) 't'"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid");

static const char *const q_indexes =
"SELECT n.nspname::text, c.relname::text, ic.relname::text,"
" ic.relkind::text || '|' || ic.relam::text || '|' || i.indisunique::text || '|'"
" || i.indnullsnotdistinct::text || '|' || i.indnkeyatts::text || '|' || i.indclass::text"
" || '|' || i.indcollation::text || '|' || i.indoption::text || '|' || COALESCE(ic.reloptions::text, ''),"
" " DESCR("pg_catalog.pg_class", "ic.oid", "0") ","
" " ATTACHED_TO("i.indexrelid") ", i.indexrelid,"
" c.oid, i.indkey::text, i.indexprs IS NULL AND i.indpred IS NULL"
" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
" JOIN pg_catalog.pg_index i ON i.indrelid OPERATOR(pg_catalog.=) c.oid"
" JOIN pg_catalog.pg_class ic ON ic.oid OPERATOR(pg_catalog.=) i.indexrelid"
" WHERE" IN_SCHEMAS " AND c.relkind IN ('r', 'p', 'm')"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid")
" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid OPERATOR(pg_catalog.=) i.indexrelid"
"   AND con.conrelid OPERATOR(pg_catalog.=) i.indrelid AND con.contype IN ('p', 'u', 'x'))";

static const char *const q_types =
"SELECT n.nspname::text, t.typname::text, t.typtype::text,"
" CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e"
"   WHERE e.enumtypid OPERATOR(pg_catalog.=) t.oid ORDER BY e.enumsortorder) END,"
" CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod)"
"   WHEN t.typtype OPERATOR(pg_catalog.=) 'r' THEN pg_catalog.format_type(rg.rngsubtype, NULL) END,"
" t.typnotnull,"
" CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN pg_catalog.pg_get_expr(t.typdefaultbin, 0) END,"
" CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' AND t.typcollation OPERATOR(pg_catalog.<>) bt.typcollation"
"   THEN t.typcollation::pg_catalog.regcollation::text END,"
" CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN ARRAY(SELECT pg_catalog.quote_ident(co.conname::text) || E'\\t' || pg_catalog.pg_get_constraintdef(co.oid)"
"   FROM pg_catalog.pg_constraint co WHERE co.contypid OPERATOR(pg_catalog.=) t.oid ORDER BY co.conname COLLATE \"C\") END,"
" CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'c' THEN ARRAY(SELECT pg_catalog.quote_ident(a.attname::text) || ' '"
"   || pg_catalog.format_type(a.atttypid, a.atttypmod)"
"   || CASE WHEN a.attcollation OPERATOR(pg_catalog.<>) aty.typcollation"
"      THEN ' COLLATE ' || a.attcollation::pg_catalog.regcollation::text ELSE '' END"
"   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type aty ON aty.oid OPERATOR(pg_catalog.=) a.atttypid"
"   WHERE a.attrelid OPERATOR(pg_catalog.=) t.typrelid AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped ORDER BY a.attnum) END,"
" " DESCR("pg_catalog.pg_type", "t.oid", "0") ","
" " GRANTS("t.typacl", "T", "t.typowner") ","
" t.oid, t.typarray, CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'c' THEN t.typrelid END,"
" CASE WHEN t.typtype OPERATOR(pg_catalog.=) 'd' THEN ARRAY(SELECT co.oid FROM pg_catalog.pg_constraint co"
"   WHERE co.contypid OPERATOR(pg_catalog.=) t.oid) END"
" FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.typnamespace"
" LEFT JOIN pg_catalog.pg_type bt ON bt.oid OPERATOR(pg_catalog.=) t.typbasetype"
" LEFT JOIN pg_catalog.pg_class tc ON tc.oid OPERATOR(pg_catalog.=) t.typrelid"
" LEFT JOIN pg_catalog.pg_range rg ON rg.rngtypid OPERATOR(pg_catalog.=) t.oid"
" WHERE" IN_SCHEMAS
" AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype OPERATOR(pg_catalog.=) 'c' AND tc.relkind OPERATOR(pg_catalog.=) 'c'))"
" AND " NOT_EXT("pg_catalog.pg_type", "t.oid")
" ORDER BY 1, 2";

static const char *const q_functions =
"SELECT n.nspname::text, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid),"
" p.prokind::text, pg_catalog.pg_get_functiondef(p.oid),"
" pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.pg_get_function_result(p.oid),"
" p.prosqlbody IS NULL AND l.lanname OPERATOR(pg_catalog.<>) 'internal' AND l.lanname OPERATOR(pg_catalog.<>) 'c',"
" " DESCR("pg_catalog.pg_proc", "p.oid", "0") ","
" " GRANTS("p.proacl", "f", "p.proowner") ", p.oid"
" FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace"
" JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang"
" WHERE" IN_SCHEMAS " AND p.prokind IN ('f', 'p', 'w')"
" AND " NOT_EXT("pg_catalog.pg_proc", "p.oid")
" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i"
"   WHERE i.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid OPERATOR(pg_catalog.=) p.oid"
"   AND i.deptype OPERATOR(pg_catalog.=) 'i')"
" ORDER BY 1, 2, 3";

static const char *const q_triggers =
"SELECT n.nspname::text, c.relname::text, tg.tgname::text, pg_catalog.pg_get_triggerdef(tg.oid),"
" tg.tgenabled::text, " DESCR("pg_catalog.pg_trigger", "tg.oid", "0") ", tg.oid"
" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
" JOIN pg_catalog.pg_trigger tg ON tg.tgrelid OPERATOR(pg_catalog.=) c.oid"
" WHERE" IN_SCHEMAS " AND NOT tg.tgisinternal AND tg.tgparentid OPERATOR(pg_catalog.=) 0"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid")
" ORDER BY 1, 2, 3";

static const char *const q_policies =
"SELECT n.nspname::text, c.relname::text, p.polname::text,"
" 'AS ' || CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END"
" || ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'"
"   WHEN 'd' THEN 'DELETE' ELSE 'ALL' END"
" || ' TO ' || pg_catalog.array_to_string(ARRAY(SELECT x.role FROM (SELECT CASE WHEN r.r OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'"
"   ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.r)::text) END AS role"
"   FROM pg_catalog.unnest(p.polroles) r(r)) x ORDER BY x.role COLLATE \"C\"), ', ')"
" || COALESCE(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '')"
" || COALESCE(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', ''),"
" " DESCR("pg_catalog.pg_policy", "p.oid", "0") ", p.oid"
" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
" JOIN pg_catalog.pg_policy p ON p.polrelid OPERATOR(pg_catalog.=) c.oid"
" WHERE" IN_SCHEMAS
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid")
" ORDER BY 1, 2, 3";

/*
 * Dependencies: pg_depend's rows, both ends mapped in C through the
 * addresses the queries above returned.  Built-in objects (OID below 16384)
 * are never model objects.
 */
static const char *const q_deps =
"SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid, d.deptype::text"
" FROM pg_catalog.pg_depend d"
" WHERE d.deptype IN ('n', 'a') AND d.refobjid OPERATOR(pg_catalog.>=) 16384::pg_catalog.oid"
" AND d.objid OPERATOR(pg_catalog.>=) 16384::pg_catalog.oid";

/*
 * Extension members (of the classes the model has): each stands for its
 * extension, whatever its sub-id.
 */
static const char *const q_members =
"SELECT e.classid, e.objid, e.refobjid FROM pg_catalog.pg_depend e"
" WHERE e.deptype OPERATOR(pg_catalog.=) 'e'"
" AND e.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass"
" AND e.classid IN ('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass,"
"   'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass,"
"   'pg_catalog.pg_attrdef'::pg_catalog.regclass, 'pg_catalog.pg_rewrite'::pg_catalog.regclass,"
"   'pg_catalog.pg_trigger'::pg_catalog.regclass, 'pg_catalog.pg_policy'::pg_catalog.regclass)";

/* ---------------------------------------------------------------------
 * catalog addresses: what stands for a model object in pg_depend
 * ---------------------------------------------------------------------
 */

/* the sub-id under which an extension member's address is kept */
#define MEMBER_SUB (-1)

typedef struct DiffAddr
{
	Oid			cls;
	Oid			oid;
	int32		sub;
} DiffAddr;

typedef struct DiffAddrEntry
{
	DiffAddr	addr;
	DiffObj    *obj;			/* NULL: stands for nothing in the model */
} DiffAddrEntry;

/* the entry of address (cls, oid, sub): HASH_FIND or HASH_ENTER */
static DiffAddrEntry *
addr_entry(DiffModel *m, Oid cls, Oid oid, int32 sub, HASHACTION action, bool *found)
{
	DiffAddr	a;

	memset(&a, 0, sizeof(a));	/* the key is hashed as bytes */
	a.cls = cls;
	a.oid = oid;
	a.sub = sub;
	return hash_search(m->byAddr, &a, action, found);
}

static void
add_addr(DiffModel *m, Oid cls, Oid oid, int32 sub, DiffObj *o)
{
	DiffAddrEntry *e;
	bool		found;

	if (!OidIsValid(oid))
		return;
	e = addr_entry(m, cls, oid, sub, HASH_ENTER, &found);
	if (!found)
		e->obj = o;
}

static DiffAddrEntry *
find_addr(DiffModel *m, Oid cls, Oid oid, int32 sub)
{
	return addr_entry(m, cls, oid, sub, HASH_FIND, NULL);
}

/*
 * resolve_addr: the model object a pg_depend end stands for, or NULL.  An
 * extension member stands for its extension; a column of a view or of a
 * composite type for the view or the type.
 */
static DiffObj *
resolve_addr(DiffModel *m, Oid cls, Oid oid, int32 sub)
{
	DiffAddrEntry *e = find_addr(m, cls, oid, MEMBER_SUB);

	if (e == NULL)
		e = find_addr(m, cls, oid, sub);
	if (e == NULL && cls == RelationRelationId && sub > 0)
	{
		e = find_addr(m, cls, oid, 0);
		if (e && e->obj && e->obj->kind != DK_VIEW && e->obj->kind != DK_TYPE)
			return NULL;
	}
	return e ? e->obj : NULL;
}

static char *
quote_qualified(const char *nsp, const char *name)
{
	return psprintf("%s.%s", quote_identifier(nsp), quote_identifier(name));
}

/* hash tables keyed by a string pointer hash and compare the strings */
uint32
diff_key_hash(const void *key, Size keysize)
{
	const char *s = *(const char *const *) key;

	return hash_bytes((const unsigned char *) s, strlen(s));
}

int
diff_key_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(const char *const *) key1, *(const char *const *) key2);
}

/* add_obj: the object of "key", a palloc'd string it keeps */
static DiffObj *
add_obj(DiffModel *m, DiffKind kind, char *key)
{
	DiffModelEntry *e;
	bool		found;
	DiffObj    *o;

	e = hash_search(m->byKey, &key, HASH_ENTER, &found);
	if (found)
		return e->obj;			/* cannot happen: keys are unique */
	/* 26,000 objects in a 1,000-table schema: allocated 128 at a time */
	if (m->nspare == 0)
	{
		m->nspare = 128;
		m->spare = palloc0(sizeof(DiffObj) * m->nspare);
	}
	o = m->spare++;
	m->nspare--;
	o->kind = kind;
	o->key = key;
	o->ord = list_length(m->objs);
	e->obj = o;
	m->objs = lappend(m->objs, o);
	return o;
}

DiffObj *
diff_lookup(DiffModel *m, const char *key)
{
	DiffModelEntry *e = hash_search(m->byKey, &key, HASH_FIND, NULL);

	return e ? e->obj : NULL;
}

/*
 * The table of the previous child: the queries return children by table,
 * so its quoted names are built once per table (20,000 columns read in
 * 1,000 tables), and shared, read-only, by its children.
 */
typedef struct ChildTable
{
	char	   *nsp;
	char	   *rel;
	char	   *qt;				/* nsp.rel, quoted */
	char	   *parent;			/* "r:" qt */
} ChildTable;

/* child of table nsp.rel: key prefix "X:nsp.rel.name" */
static DiffObj *
add_child(DiffModel *m, ChildTable *t, DiffKind kind, char letter,
		  char *nsp, char *rel, const char *name)
{
	DiffObj    *o;

	if (t->nsp == NULL || strcmp(t->nsp, nsp) != 0 || strcmp(t->rel, rel) != 0)
	{
		t->nsp = nsp;
		t->rel = rel;
		t->qt = quote_qualified(nsp, rel);
		t->parent = psprintf("r:%s", t->qt);
	}
	o = add_obj(m, kind, psprintf("%c:%s.%s", letter, t->qt, quote_identifier(name)));
	o->schema = t->nsp;
	o->name = pstrdup(name);
	o->table = t->qt;
	o->qname = quote_qualified(nsp, name);
	o->parent = t->parent;
	return o;
}

static void
read_relations(DiffModel *m, Datum schemas)
{
	uint64		n = diff_rows_run(q_relations, schemas);
	uint64		i;
	static const int order[] = {2, 1, 2};

	diff_rows_sort(order);
	for (i = 0; i < n; i++)
	{
		char	   *nsp = col_text(i, R_NSP);
		char	   *name = col_text(i, R_NAME);
		char		kind = col_char(i, R_KIND);
		char	   *qn = quote_qualified(nsp, name);
		DiffObj    *o;

		o = add_obj(m, kind == 'S' ? DK_SEQUENCE : (kind == 'v' || kind == 'm') ? DK_VIEW : DK_TABLE,
					psprintf("r:%s", qn));
		o->schema = nsp;
		o->name = name;
		o->qname = qn;
		o->subkind = kind;
		o->persistence = col_char(i, R_PERSIST);
		o->partkey = col_text(i, R_PARTKEY);
		o->partof = col_text(i, R_PARTOF);
		o->bound = col_text(i, R_BOUND);
		o->inherits = col_array(i, R_INHERITS);
		o->rls = col_bool(i, R_RLS);
		o->forcerls = col_bool(i, R_FORCE);
		o->options = col_text(i, R_OPTIONS);
		if (o->options && o->options[0] == '\0')
			o->options = NULL;
		o->replident = col_char(i, R_REPLIDENT);
		o->replindex = col_text(i, R_REPLINDEX);
		o->def = col_text(i, R_VIEWDEF);
		o->comment = col_text(i, R_COMMENT);
		o->grants = col_array(i, R_GRANTS);
		add_addr(m, RelationRelationId, col_oid(i, R_OID), 0, o);
		add_addr(m, TypeRelationId, col_oid(i, R_ROWTYPE), 0, o);
		add_addr(m, TypeRelationId, col_oid(i, R_ROWARRAY), 0, o);
		add_addr(m, RewriteRelationId, col_oid(i, R_RULE), 0, o);
		o->reltuples = col_isnull(i, R_TUPLES) ? -1 : DatumGetFloat8(col_datum(i, R_TUPLES));
		if (kind == 'S')
		{
			char	   *owner = col_text(i, R_SEQOWNER);

			o->seqopts = col_text(i, R_SEQOPTS);
			o->def = o->seqopts;
			if (owner)
			{
				DiffObj    *ow = add_obj(m, DK_SEQOWNER, psprintf("o:%s", qn));
				char	   *onsp = col_text(i, R_SEQOWNERNSP);

				ow->schema = nsp;
				ow->name = name;
				ow->qname = qn;
				ow->parent = psprintf("r:%s", qn);
				ow->def = psprintf("%s.%s", onsp, owner);
			}
		}
	}
}

static void
read_columns(DiffModel *m, Datum schemas)
{
	uint64		n = diff_rows_run(q_columns, schemas);
	uint64		i;
	ChildTable	t = {0};
	static const int order[] = {3, 1, 2, 4};

	diff_rows_sort(order);
	for (i = 0; i < n; i++)
	{
		char	   *nsp = col_text(i, C_NSP);
		char	   *rel = col_text(i, C_REL);
		char	   *name = col_text(i, C_NAME);
		DiffObj    *o = add_child(m, &t, DK_COLUMN, 'c', nsp, rel, name);
		char	   *defexpr = col_text(i, C_DEFAULT);

		o->ord = col_int4(i, C_NUM);
		o->type = col_text(i, C_TYPE);
		o->collation = col_text(i, C_COLL);
		o->notnull = col_bool(i, C_NOTNULL);
		o->generated = col_char(i, C_GENERATED);
		o->identity = col_char(i, C_IDENTITY);
		o->idopts = col_text(i, C_IDOPTS);
		o->inherited = col_bool(i, C_INHERITED);
		o->comment = col_text(i, C_COMMENT);
		o->grants = col_array(i, C_GRANTS);
		add_addr(m, RelationRelationId, col_oid(i, C_RELID), o->ord, o);
		if (o->generated)
		{
			o->genexpr = defexpr;
			add_addr(m, AttrDefaultRelationId, col_oid(i, C_ADOID), 0, o);
		}
		else if (defexpr)
		{
			DiffObj    *d = add_obj(m, DK_DEFAULT, psprintf("d:%s.%s", o->table, quote_identifier(name)));

			d->schema = nsp;
			d->name = name;
			d->table = o->table;
			d->qname = o->qname;
			d->parent = o->key;
			d->def = defexpr;
			d->inherited = o->inherited;
			add_addr(m, AttrDefaultRelationId, col_oid(i, C_ADOID), 0, d);
		}
	}
}

static void
read_constraints(DiffModel *m, Datum schemas)
{
	uint64		n = diff_rows_run(q_constraints, schemas);
	uint64		i;
	ChildTable	t = {0};
	static const int order[] = {3, 1, 2, 3};

	diff_rows_sort(order);
	for (i = 0; i < n; i++)
	{
		DiffObj    *o = add_child(m, &t, DK_CONSTRAINT, 'k', col_text(i, 1), col_text(i, 2), col_text(i, 3));
		char	   *def = col_text(i, 5);
		int			len = strlen(def);

		o->subkind = col_char(i, 4);
		o->validated = col_bool(i, 6);
		o->inherited = col_bool(i, 7);
		o->comment = col_text(i, 8);
		o->attachto = col_text(i, 9);
		add_addr(m, ConstraintRelationId, col_oid(i, 10), 0, o);
		/* the index of a key stands for the key */
		add_addr(m, RelationRelationId, col_oid(i, 11), 0, o);
		/* NOT VALID is compared on its own */
		if (len > 10 && strcmp(def + len - 10, " NOT VALID") == 0)
			def[len - 10] = '\0';
		o->def = def;
	}
}

/*
 * index_signature is all that pg_get_indexdef prints of the index in row
 * "row" of the index query: its table, catalog row, and key columns by
 * name, type and collation.  Operator classes, collations and access
 * methods are compared by OID, which the live schema and the shadow share
 * unless the diffed schemas define them (then the signatures differ and
 * both are deparsed).  NULL for an index with expressions or a predicate,
 * or on a column the model lacks: always deparsed.
 */
static char *
index_signature(DiffModel *m, uint64 row, const char *table)
{
	StringInfoData sig;
	char	   *keys = col_text(row, 9);
	char	   *p = keys;
	Oid			rel = col_oid(row, 8);

	if (!col_bool(row, 10))
		return NULL;
	initStringInfo(&sig);
	appendStringInfo(&sig, "%s|%s", table, col_text(row, 4));
	while (*p)
	{
		char	   *end;
		long		attnum = strtol(p, &end, 10);
		DiffAddrEntry *c;

		if (end == p)
			break;
		c = attnum > 0 ? find_addr(m, RelationRelationId, rel, (int32) attnum) : NULL;
		if (c == NULL || c->obj == NULL || c->obj->kind != DK_COLUMN)
			return NULL;
		appendStringInfo(&sig, "|%s %s %s", c->obj->name, c->obj->type,
						 c->obj->collation ? c->obj->collation : "");
		p = end;
	}
	return sig.data;
}

/*
 * read_indexes: an index of the shadow whose signature is that of the live
 * index of its name ("ref") has that one's definition; every other index is
 * deparsed (pg_get_indexdef is most of a model read's time otherwise).
 */
static void
read_indexes(DiffModel *m, DiffModel *ref, Datum schemas)
{
	uint64		n = diff_rows_run(q_indexes, schemas);
	uint64		i;
	static const int order[] = {2, 1, 3};
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext, "schemamig diff deparse",
												  ALLOCSET_DEFAULT_SIZES);

	diff_rows_sort(order);
	for (i = 0; i < n; i++)
	{
		char	   *nsp = col_text(i, 1);
		char	   *name = col_text(i, 3);
		char	   *qn = quote_qualified(nsp, name);
		DiffObj    *o = add_obj(m, DK_INDEX, psprintf("i:%s", qn));
		DiffObj    *r;

		o->schema = nsp;
		o->name = name;
		o->qname = qn;
		o->table = quote_qualified(nsp, col_text(i, 2));
		o->parent = psprintf("r:%s", o->table);
		o->comment = col_text(i, 5);
		/* a partition's index attached to its parent's comes with that one */
		o->attachto = col_text(i, 6);
		o->inherited = o->attachto != NULL;
		add_addr(m, RelationRelationId, col_oid(i, 7), 0, o);
		o->catsig = index_signature(m, i, o->table);
		r = ref && o->catsig ? diff_lookup(ref, o->key) : NULL;
		if (r && r->kind == DK_INDEX && r->catsig && strcmp(r->catsig, o->catsig) == 0)
			o->def = pstrdup(r->def);
		else
		{
			char	   *only;
			MemoryContext old = MemoryContextSwitchTo(scratch);
			Datum		def = DirectFunctionCall1(pg_get_indexdef, ObjectIdGetDatum(col_oid(i, 7)));

			/* the deparser's working memory goes with each index */
			MemoryContextSwitchTo(old);
			o->def = TextDatumGetCString(def);
			MemoryContextReset(scratch);
			/* an index on a partitioned table is created on its partitions too */
			only = strstr(o->def, " ON ONLY ");
			if (only)
				memmove(only + 3, only + 8, strlen(only + 8) + 1);
		}
	}
	MemoryContextDelete(scratch);
}

static void
read_types(DiffModel *m, Datum schemas)
{
	uint64		n = diff_rows_run(q_types, schemas);
	uint64		i;

	for (i = 0; i < n; i++)
	{
		char	   *nsp = col_text(i, 1);
		char	   *name = col_text(i, 2);
		char	   *qn = quote_qualified(nsp, name);
		DiffObj    *o = add_obj(m, DK_TYPE, psprintf("T:%s", qn));
		StringInfoData def;
		ListCell   *lc;

		o->schema = nsp;
		o->name = name;
		o->qname = qn;
		o->subkind = col_char(i, 3);
		o->base = col_text(i, 5);
		o->notnull = col_bool(i, 6);
		o->defexpr = col_text(i, 7);
		o->collation = col_text(i, 8);
		o->checks = col_array(i, 9);
		o->labels = o->subkind == 'e' ? col_array(i, 4) : col_array(i, 10);
		o->comment = col_text(i, 11);
		o->grants = col_array(i, 12);
		/* the type, its array, a composite's relation, a domain's constraints */
		add_addr(m, TypeRelationId, col_oid(i, 13), 0, o);
		add_addr(m, TypeRelationId, col_oid(i, 14), 0, o);
		add_addr(m, RelationRelationId, col_oid(i, 15), 0, o);
		if (!col_isnull(i, 16))
		{
			Datum	   *oids;
			int			k,
						noids;

			deconstruct_array(DatumGetArrayTypeP(col_datum(i, 16)), OIDOID, sizeof(Oid), true,
							  TYPALIGN_INT, &oids, NULL, &noids);
			for (k = 0; k < noids; k++)
				add_addr(m, ConstraintRelationId, DatumGetObjectId(oids[k]), 0, o);
		}
		initStringInfo(&def);
		appendStringInfo(&def, "%c|%s|%d|%s|%s|", o->subkind, o->base ? o->base : "",
						 o->notnull, o->defexpr ? o->defexpr : "", o->collation ? o->collation : "");
		foreach(lc, o->labels)
			appendStringInfo(&def, "%s\n", (char *) lfirst(lc));
		appendStringInfoChar(&def, '|');
		foreach(lc, o->checks)
			appendStringInfo(&def, "%s\n", (char *) lfirst(lc));
		o->def = def.data;
	}
}

static void
read_functions(DiffModel *m, Datum schemas)
{
	uint64		n = diff_rows_run(q_functions, schemas);
	uint64		i;

	for (i = 0; i < n; i++)
	{
		char	   *nsp = col_text(i, 1);
		char	   *name = col_text(i, 2);
		char	   *qn = quote_qualified(nsp, name);
		char	   *sig = psprintf("%s(%s)", qn, col_text(i, 3));
		DiffObj    *o = add_obj(m, DK_FUNCTION, psprintf("f:%s", sig));

		o->schema = nsp;
		o->name = name;
		o->qname = qn;
		o->signature = sig;
		o->subkind = col_char(i, 4);
		o->def = col_text(i, 5);
		o->args = col_text(i, 6);
		o->result = col_text(i, 7);
		o->untracked = col_bool(i, 8);
		o->comment = col_text(i, 9);
		o->grants = col_array(i, 10);
		add_addr(m, ProcedureRelationId, col_oid(i, 11), 0, o);
	}
}

static void
read_triggers(DiffModel *m, Datum schemas)
{
	uint64		n = diff_rows_run(q_triggers, schemas);
	uint64		i;
	ChildTable	t = {0};

	for (i = 0; i < n; i++)
	{
		DiffObj    *o = add_child(m, &t, DK_TRIGGER, 'g', col_text(i, 1), col_text(i, 2), col_text(i, 3));

		o->def = col_text(i, 4);
		o->subkind = col_char(i, 5);
		o->comment = col_text(i, 6);
		add_addr(m, TriggerRelationId, col_oid(i, 7), 0, o);
	}
}

static void
read_policies(DiffModel *m, Datum schemas)
{
	uint64		n = diff_rows_run(q_policies, schemas);
	uint64		i;
	ChildTable	t = {0};

	for (i = 0; i < n; i++)
	{
		DiffObj    *o = add_child(m, &t, DK_POLICY, 'p', col_text(i, 1), col_text(i, 2), col_text(i, 3));

		o->def = col_text(i, 4);
		o->comment = col_text(i, 5);
		add_addr(m, PolicyRelationId, col_oid(i, 6), 0, o);
	}
}

static void
add_dep_obj(DiffObj *o, DiffObj *r)
{
	if (r == NULL || r == o)
		return;
	o->deps = lappend(o->deps, r->key);
	r->rdeps = lappend(r->rdeps, o->key);
}

static void
add_dep(DiffModel *m, DiffObj *o, const char *refkey)
{
	add_dep_obj(o, diff_lookup(m, refkey));
}

typedef struct DiffDepRow
{
	DiffObj    *from;
	DiffObj    *to;
	char		deptype;
} DiffDepRow;

/* by the keys of both ends (bytewise), then the type */
static int
dep_row_cmp(const void *a, const void *b)
{
	const DiffDepRow *x = a;
	const DiffDepRow *y = b;
	int			c = strcmp(x->from->key, y->from->key);

	if (c == 0)
		c = strcmp(x->to->key, y->to->key);
	return c != 0 ? c : (int) x->deptype - (int) y->deptype;
}

/*
 * read_deps: pg_depend's rows between model objects, each pair once, in the
 * order of their keys (which the plan's order of equals follows).
 */
static void
read_deps(DiffModel *m, Datum schemas)
{
	uint64		n = diff_rows_run(q_members, schemas);
	uint64		i,
				nrows = 0;
	DiffDepRow *rows;
	ListCell   *lc;
	const char *lastnsp = NULL;
	DiffObj    *nspobj = NULL;

	for (i = 0; i < n; i++)
	{
		DiffAddrEntry *x = find_addr(m, ExtensionRelationId, col_oid(i, 3), 0);

		add_addr(m, col_oid(i, 1), col_oid(i, 2), MEMBER_SUB, x ? x->obj : NULL);
	}
	n = diff_rows_run(q_deps, schemas);
	rows = palloc(Max(n, 1) * sizeof(DiffDepRow));
	for (i = 0; i < n; i++)
	{
		DiffObj    *from = resolve_addr(m, col_oid(i, 1), col_oid(i, 2), col_int4(i, 3));
		DiffObj    *to;

		if (from == NULL)
			continue;
		to = resolve_addr(m, col_oid(i, 4), col_oid(i, 5), col_int4(i, 6));
		if (to == NULL || to == from)
			continue;
		rows[nrows].from = from;
		rows[nrows].to = to;
		rows[nrows].deptype = col_char(i, 7);
		nrows++;
	}
	if (nrows > 1)
		qsort(rows, nrows, sizeof(DiffDepRow), dep_row_cmp);
	for (i = 0; i < nrows; i++)
	{
		DiffObj    *o = rows[i].from;

		if (i > 0 && dep_row_cmp(&rows[i - 1], &rows[i]) == 0)
			continue;
		/* a sequence's OWNED BY is its own object */
		if (o->kind == DK_SEQUENCE && rows[i].deptype == 'a' && rows[i].to->kind == DK_COLUMN)
		{
			o = diff_lookup(m, psprintf("o:%s", o->qname));
			if (o == NULL)
				continue;
		}
		add_dep_obj(o, rows[i].to);
	}
	/* children depend on their parent; the schema looked up once per run */
	foreach(lc, m->objs)
	{
		DiffObj    *o = (DiffObj *) lfirst(lc);

		if (o->parent)
			add_dep(m, o, o->parent);
		if (o->schema && o->kind != DK_SCHEMA)
		{
			if (lastnsp == NULL || strcmp(lastnsp, o->schema) != 0)
			{
				lastnsp = o->schema;
				nspobj = diff_lookup(m, psprintf("s:%s", quote_identifier(o->schema)));
			}
			add_dep_obj(o, nspobj);
		}
		if (o->kind == DK_TABLE && o->partof)
			add_dep(m, o, psprintf("r:%s", o->partof));
	}
}

/*
 * diff_read_model reads the model of "schemas" (List of char *); "ref", if
 * not NULL, is the live model when the shadow's is read (read_indexes).
 * Requires a connected SPI; the result lives in the caller's memory context.
 */
DiffModel *
diff_read_model(List *schemas, DiffModel *ref)
{
	DiffModel  *m = palloc0(sizeof(DiffModel));
	HASHCTL		ctl;
	Datum		arr = sm_text_array_datum(schemas);
	int			save_nestlevel;
	ListCell   *lc;

	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(DiffModelEntry);
	ctl.hash = diff_key_hash;
	ctl.match = diff_key_match;
	ctl.hcxt = CurrentMemoryContext;
	m->byKey = hash_create("schemamig diff model", 1024, &ctl,
						   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	ctl.keysize = sizeof(DiffAddr);
	ctl.entrysize = sizeof(DiffAddrEntry);
	m->byAddr = hash_create("schemamig diff addresses", 1024, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	diff_rows_begin();
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	/*
	 * JIT never pays for these catalog queries, whose estimates (of a
	 * shadow's catalogs especially) can be far off: compiling them took
	 * longer than running them (as pg_dump, which turns it off too).
	 */
	(void) set_config_option("jit", "off",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	{
		uint64		n = diff_rows_run(q_schemas, arr);
		uint64		i;

		for (i = 0; i < n; i++)
		{
			char	   *name = col_text(i, 1);
			DiffObj    *o = add_obj(m, DK_SCHEMA, psprintf("s:%s", quote_identifier(name)));

			o->schema = name;
			o->name = name;
			o->qname = pstrdup(quote_identifier(name));
			o->comment = col_text(i, 2);
			o->grants = col_array(i, 3);
			o->def = "";
		}
		n = diff_rows_run(q_extensions, arr);
		for (i = 0; i < n; i++)
		{
			char	   *name = col_text(i, 1);
			DiffObj    *o = add_obj(m, DK_EXTENSION, psprintf("x:%s", quote_identifier(name)));

			o->name = name;
			o->qname = pstrdup(quote_identifier(name));
			o->schema = col_text(i, 2);
			o->version = col_text(i, 3);
			add_addr(m, ExtensionRelationId, col_oid(i, 5), 0, o);
			/* an extension's comment is its script's: not compared */
			o->def = psprintf("%s|%s", o->schema, o->version);
		}
	}
	read_relations(m, arr);
	read_columns(m, arr);
	read_constraints(m, arr);
	read_indexes(m, ref, arr);
	read_types(m, arr);
	read_functions(m, arr);
	read_triggers(m, arr);
	read_policies(m, arr);
	read_deps(m, arr);
	AtEOXact_GUC(true, save_nestlevel);

	/* a partition's inherited columns and constraints come with it */
	foreach(lc, m->objs)
	{
		DiffObj    *o = (DiffObj *) lfirst(lc);

		if (o->def == NULL)
			o->def = "";
	}
	diff_rows_end();
	return m;
}
