/*-------------------------------------------------------------------------
 *
 * introspect_queries.c
 *	  The catalog queries of describe(): one set-based query per object
 *	  kind of a schema, each sorted by name with COLLATE "C", and the
 *	  schema lists.  introspect_int.h names their result columns.
 *
 * src/introspect/introspect_queries.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "introspect_int.h"
#include "pg_schemamig.h"

/* Common SQL fragments */

/* true when the pg_class row "c" is not an extension member */
#define NOT_EXT(classid, objid) \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e " \
	"WHERE e.classid OPERATOR(pg_catalog.=) '" classid "'::pg_catalog.regclass " \
	"AND e.objid = " objid " AND e.objsubid = 0 AND e.deptype = 'e')"

/*
 * Grants other than the owner's own, as sorted "grantee=PRIVILEGE" strings;
 * a NULL acl is the kind's default, so GRANT + REVOKE back to the default
 * describes like no grant at all.
 */
#define GRANTS(acl, kind, owner) \
	"(SELECT pg_catalog.array_agg(g.s ORDER BY g.s COLLATE \"C\") FROM (" \
	"SELECT CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' " \
	"ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::text) END " \
	"|| '=' || a.privilege_type " \
	"|| CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS s " \
	"FROM pg_catalog.aclexplode(COALESCE(" acl ", pg_catalog.acldefault('" kind "', " owner "))) a " \
	"WHERE a.grantee <> " owner ") g)"

#define DESCRIPTION_JOIN(alias, classid, objid, subid) \
	" LEFT JOIN pg_catalog.pg_description " alias " ON " alias ".classoid OPERATOR(pg_catalog.=) '" classid "'::pg_catalog.regclass" \
	" AND " alias ".objoid = " objid " AND " alias ".objsubid = " subid

/* Citus shards are never described, whatever Citus shows (citus.c) */
#define NOT_SHARD(relid) \
	" AND NOT " SM_SCHEMA "._citus_shard(" relid ")"

#define SORTED_ARRAY(arr) \
	"(SELECT pg_catalog.array_agg(o ORDER BY o COLLATE \"C\") FROM pg_catalog.unnest(" arr ") o)"

#define REL_FROM \
	" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"

/* schema: comment, grants */
const char *const sm_q_schema =
"SELECT d.description, " GRANTS("n.nspacl", "n", "n.nspowner")
" FROM pg_catalog.pg_namespace n"
DESCRIPTION_JOIN("d", "pg_catalog.pg_namespace", "n.oid", "0")
" WHERE n.nspname = $1";

/* relations: tables, partitioned and foreign tables, views, matviews */
const char *const sm_q_relations =
"SELECT c.relname::text, c.relkind::text, c.relpersistence::text,"
" CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,"
" CASE WHEN c.relispartition THEN (SELECT i.inhparent::pg_catalog.regclass::text"
"   FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) END,"
" CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid, true) END,"
" CASE WHEN NOT c.relispartition THEN (SELECT pg_catalog.array_agg(i.inhparent::pg_catalog.regclass::text ORDER BY i.inhseqno)"
"   FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) END,"
" c.relrowsecurity, c.relforcerowsecurity,"
" " SORTED_ARRAY("c.reloptions") ","
" c.relreplident::text,"
" CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END,"
" d.description,"
" " GRANTS("c.relacl", "r", "c.relowner")
REL_FROM
DESCRIPTION_JOIN("d", "pg_catalog.pg_class", "c.oid", "0")
" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid") NOT_SHARD("c.oid")
" ORDER BY c.relname COLLATE \"C\"";


/* columns of every relation above */
const char *const sm_q_columns =
"SELECT c.relname::text, a.attname::text,"
" pg_catalog.format_type(a.atttypid, a.atttypmod),"
" CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation::pg_catalog.regcollation::text END,"
" a.attnotnull,"
" pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true),"
" a.attgenerated::text, a.attidentity::text,"
" CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END,"
" CASE WHEN a.attcompression <> '' THEN a.attcompression::text END,"
" CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::text END,"
" s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text,"
" s.seqcache::text, s.seqcycle,"
" d.description,"
" " GRANTS("a.attacl", "c", "c.relowner")
REL_FROM
" JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
" JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
" LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
" LEFT JOIN pg_catalog.pg_depend dep ON a.attidentity <> ''"
"   AND dep.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
"   AND dep.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
"   AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i'"
" LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid"
DESCRIPTION_JOIN("d", "pg_catalog.pg_class", "a.attrelid", "a.attnum")
" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
" AND a.attnum > 0 AND NOT a.attisdropped"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid") NOT_SHARD("c.oid")
" ORDER BY c.relname COLLATE \"C\", a.attname COLLATE \"C\"";


/* table constraints (NOT NULL is a column property before PostgreSQL 17) */
const char *const sm_q_constraints =
"SELECT c.relname::text, co.conname::text, co.contype::text,"
" pg_catalog.pg_get_constraintdef(co.oid, true),"
" co.condeferrable, co.condeferred, co.convalidated,"
" CASE WHEN co.contype = 'f' THEN co.confrelid::pg_catalog.regclass::text END,"
" CASE WHEN co.contype = 'f' THEN co.confupdtype::text END,"
" CASE WHEN co.contype = 'f' THEN co.confdeltype::text END,"
" d.description"
REL_FROM
" JOIN pg_catalog.pg_constraint co ON co.conrelid = c.oid"
DESCRIPTION_JOIN("d", "pg_catalog.pg_constraint", "co.oid", "0")
" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid") NOT_SHARD("c.oid")
" ORDER BY c.relname COLLATE \"C\", co.conname COLLATE \"C\"";


/* indexes */
const char *const sm_q_indexes =
"SELECT c.relname::text, ic.relname::text,"
" pg_catalog.pg_get_indexdef(i.indexrelid, 0, true), am.amname::text,"
" i.indisunique, i.indisprimary,"
#if PG_VERSION_NUM >= 150000
" i.indnullsnotdistinct,"
#else
" false,"
#endif
" i.indisvalid, i.indisclustered,"
" pg_catalog.pg_get_expr(i.indpred, i.indrelid, true),"
" ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)"
"   FROM pg_catalog.generate_series(1, i.indnkeyatts::integer) k ORDER BY k),"
" ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)"
"   FROM pg_catalog.generate_series(i.indnkeyatts::integer + 1, i.indnatts::integer) k ORDER BY k),"
" con.conname::text,"
" " SORTED_ARRAY("ic.reloptions") ","
" d.description"
REL_FROM
" JOIN pg_catalog.pg_index i ON i.indrelid = c.oid"
" JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
" JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
" LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid"
"   AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')"
DESCRIPTION_JOIN("d", "pg_catalog.pg_class", "ic.oid", "0")
" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid") NOT_SHARD("c.oid")
" ORDER BY c.relname COLLATE \"C\", ic.relname COLLATE \"C\"";


/* user triggers (internal ones implement foreign keys and are described there) */
const char *const sm_q_triggers =
"SELECT c.relname::text, tg.tgname::text, pg_catalog.pg_get_triggerdef(tg.oid, true),"
" tg.tgenabled::text, d.description"
REL_FROM
" JOIN pg_catalog.pg_trigger tg ON tg.tgrelid = c.oid"
DESCRIPTION_JOIN("d", "pg_catalog.pg_trigger", "tg.oid", "0")
" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
" AND NOT tg.tgisinternal"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid") NOT_SHARD("c.oid")
" ORDER BY c.relname COLLATE \"C\", tg.tgname COLLATE \"C\"";


/* row-level security policies */
const char *const sm_q_policies =
"SELECT c.relname::text, p.polname::text, p.polcmd::text, p.polpermissive,"
" ARRAY(SELECT x.role FROM (SELECT CASE WHEN r.r OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'"
"   ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.r)::text) END AS role"
"   FROM pg_catalog.unnest(p.polroles) r(r)) x ORDER BY x.role COLLATE \"C\"),"
" pg_catalog.pg_get_expr(p.polqual, p.polrelid, true),"
" pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid, true),"
" d.description"
REL_FROM
" JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid"
DESCRIPTION_JOIN("d", "pg_catalog.pg_policy", "p.oid", "0")
" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid") NOT_SHARD("c.oid")
" ORDER BY c.relname COLLATE \"C\", p.polname COLLATE \"C\"";


/* rewrite rules other than a view's own _RETURN rule */
const char *const sm_q_rules =
"SELECT c.relname::text, r.rulename::text, pg_catalog.pg_get_ruledef(r.oid, true),"
" r.ev_enabled::text, d.description"
REL_FROM
" JOIN pg_catalog.pg_rewrite r ON r.ev_class = c.oid"
DESCRIPTION_JOIN("d", "pg_catalog.pg_rewrite", "r.oid", "0")
" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
" AND r.rulename <> '_RETURN'"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid") NOT_SHARD("c.oid")
" ORDER BY c.relname COLLATE \"C\", r.rulename COLLATE \"C\"";


/* sequences, except identity sequences (described with their column) */
const char *const sm_q_sequences =
"SELECT c.relname::text, pg_catalog.format_type(s.seqtypid, NULL),"
" s.seqstart::text, s.seqincrement::text, s.seqmin::text, s.seqmax::text,"
" s.seqcache::text, s.seqcycle,"
" (SELECT dep.refobjid::pg_catalog.regclass::text || '.' || pg_catalog.quote_ident(a.attname::text)"
"   FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_attribute a"
"     ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid"
"   WHERE dep.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid = c.oid"
"     AND dep.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
"     AND dep.deptype = 'a' AND dep.refobjsubid > 0),"
" c.relpersistence::text, d.description,"
" " GRANTS("c.relacl", "s", "c.relowner")
REL_FROM
" JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid"
DESCRIPTION_JOIN("d", "pg_catalog.pg_class", "c.oid", "0")
" WHERE n.nspname = $1 AND c.relkind = 'S'"
" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep"
"   WHERE dep.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid = c.oid"
"   AND dep.deptype = 'i')"
" AND " NOT_EXT("pg_catalog.pg_class", "c.oid") NOT_SHARD("c.oid")
" ORDER BY c.relname COLLATE \"C\"";


/* enum, domain, composite and range types */
const char *const sm_q_types =
"SELECT t.typname::text, t.typtype::text,"
" CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e"
"   WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END,"
" CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,"
" t.typnotnull,"
" CASE WHEN t.typtype = 'd' THEN pg_catalog.pg_get_expr(t.typdefaultbin, 0, true) END,"
" CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation"
"   THEN t.typcollation::pg_catalog.regcollation::text END,"
" CASE WHEN t.typtype = 'd' THEN ARRAY(SELECT co.conname::text FROM pg_catalog.pg_constraint co"
"   WHERE co.contypid = t.oid ORDER BY co.conname COLLATE \"C\") END,"
" CASE WHEN t.typtype = 'd' THEN ARRAY(SELECT pg_catalog.pg_get_constraintdef(co.oid, true)"
"   FROM pg_catalog.pg_constraint co WHERE co.contypid = t.oid ORDER BY co.conname COLLATE \"C\") END,"
" CASE WHEN t.typtype = 'c' THEN ARRAY(SELECT pg_catalog.quote_ident(a.attname::text) || ' '"
"   || pg_catalog.format_type(a.atttypid, a.atttypmod)"
"   || CASE WHEN a.attcollation <> aty.typcollation"
"      THEN ' COLLATE ' || a.attcollation::pg_catalog.regcollation::text ELSE '' END"
"   FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type aty ON aty.oid = a.atttypid"
"   WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) END,"
" CASE WHEN t.typtype = 'r' THEN pg_catalog.format_type(rg.rngsubtype, NULL) END,"
" CASE WHEN t.typtype = 'r' THEN rg.rngsubopc::pg_catalog.regclass::text END,"
" d.description,"
" " GRANTS("t.typacl", "T", "t.typowner")
" FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
" LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype"
" LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid"
" LEFT JOIN pg_catalog.pg_range rg ON rg.rngtypid = t.oid"
DESCRIPTION_JOIN("d", "pg_catalog.pg_type", "t.oid", "0")
" WHERE n.nspname = $1"
" AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND tc.relkind = 'c'))"
" AND " NOT_EXT("pg_catalog.pg_type", "t.oid")
" ORDER BY t.typname COLLATE \"C\"";


/*
 * functions, procedures, aggregates; keyed by name(identity arguments).  The
 * constructors a range type makes for itself are left out, like its
 * multirange type.
 */
const char *const sm_q_functions =
"SELECT f.* FROM ("
"SELECT p.proname::text || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS sig,"
" p.prokind::text, pg_catalog.pg_get_function_arguments(p.oid),"
" pg_catalog.pg_get_function_result(p.oid), l.lanname::text,"
" p.provolatile::text, p.proisstrict, p.prosecdef, p.proleakproof,"
" p.proparallel::text, p.procost::text, p.prorows::text,"
" " SORTED_ARRAY("p.proconfig") ","
" CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid)"
"   ELSE p.prosrc END,"
" p.probin, d.description,"
" " GRANTS("p.proacl", "f", "p.proowner")
" FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
" JOIN pg_catalog.pg_language l ON l.oid = p.prolang"
DESCRIPTION_JOIN("d", "pg_catalog.pg_proc", "p.oid", "0")
" WHERE n.nspname = $1"
" AND " NOT_EXT("pg_catalog.pg_proc", "p.oid")
" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i"
"   WHERE i.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objid = p.oid"
"   AND i.deptype = 'i')"
") f ORDER BY f.sig COLLATE \"C\"";


/* extended statistics */
const char *const sm_q_statistics =
"SELECT s.stxname::text, pg_catalog.pg_get_statisticsobjdef(s.oid), d.description"
" FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace"
DESCRIPTION_JOIN("d", "pg_catalog.pg_statistic_ext", "s.oid", "0")
" WHERE n.nspname = $1"
" AND " NOT_EXT("pg_catalog.pg_statistic_ext", "s.oid")
" ORDER BY s.stxname COLLATE \"C\"";

/* extensions whose objects live in the schema */
const char *const sm_q_extensions =
"SELECT x.extname::text, x.extversion"
" FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace"
" WHERE n.nspname = $1"
" ORDER BY x.extname COLLATE \"C\"";

/* every non-system schema: not pg_*, information_schema, ours or an extension's */
const char *const sm_q_all_schemas =
"SELECT n.nspname::text FROM pg_catalog.pg_namespace n"
" WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
" AND n.nspname <> '" SM_SCHEMA "'"
" AND " NOT_EXT("pg_catalog.pg_namespace", "n.oid")
" ORDER BY n.nspname COLLATE \"C\"";

/* the named schemas that exist, sorted and without duplicates */
const char *const sm_q_named_schemas =
"SELECT DISTINCT n.nspname::text COLLATE \"C\" FROM pg_catalog.pg_namespace n"
" WHERE n.nspname = ANY ($1)"
" ORDER BY 1";
