/*-------------------------------------------------------------------------
 *
 * lint_stmt.c
 *	  lint() rules for every statement other than CREATE/ALTER TABLE
 *	  (indexes, DROP, RENAME, TRUNCATE, DML backfills, enums, transactions,
 *	  timeouts, REINDEX, VACUUM FULL, CLUSTER, domains, privileges) and the
 *	  switch that sends each statement to its rules.
 *
 * raw_expression_tree_walker does not descend into DDL nodes, so every
 * utility statement is handled by an explicit case.
 *
 * src/lint/lint_stmt.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "lint_int.h"

/* ------------------------------------------------------------------------
 * Other statements
 * ------------------------------------------------------------------------
 */

/*
 * CREATE INDEX: concurrency, robustness, width; a unique index over plain
 * columns gets a duplicate check in review().
 */
static void
lint_index(LintState *st, IndexStmt *is)
{
	LintRel		r;

	if (is->relation == NULL)
		return;
	lint_rel(st, is->relation, &r);
	if (is->idxname != NULL)
		st->created = lappend(st->created,
							  makeRangeVar(is->relation->schemaname, is->idxname, -1));
	if (is->concurrent)
	{
		if (st->xact_depth > 0)
			lint_report(st, "ban-concurrent-index-creation-in-transaction", -1,
						pstrdup("CREATE INDEX CONCURRENTLY cannot run inside a transaction block"),
						"Put the statement in its own revision with transactional = false (run by the CLI or plan() \\gexec).");
		if (!is->if_not_exists && is->idxname != NULL)
			lint_report(st, "prefer-robust-stmts", -1,
						psprintf("a failed CREATE INDEX CONCURRENTLY leaves an INVALID index %s behind, and a retry then fails", is->idxname),
						"Use CREATE INDEX CONCURRENTLY IF NOT EXISTS, after DROP INDEX CONCURRENTLY IF EXISTS of an invalid leftover.");
	}
	else
	{
		lint_need_timeout(st, &r);
		lint_report_sized(st, "require-concurrent-index-creation", &r, -1,
						  psprintf("CREATE INDEX without CONCURRENTLY blocks writes to %s while it builds", r.name),
						  "CREATE INDEX CONCURRENTLY in a revision with transactional = false.");
	}
	if (!is->unique && list_length(is->indexParams) > 3)
		lint_report(st, "index-too-many-columns", -1,
					psprintf("non-unique index on %d columns", list_length(is->indexParams)),
					"Indexes with more than three columns rarely help more than a narrower one, and cost every write.");
	if (is->unique && st->checks && OidIsValid(r.relid) && is->whereClause == NULL)
	{
		List	   *cols = NIL;
		ListCell   *lc;

		foreach(lc, is->indexParams)
		{
			IndexElem  *ie = (IndexElem *) lfirst(lc);

			if (!IsA(ie, IndexElem) || ie->name == NULL)
			{
				cols = NIL;
				break;
			}
			cols = lappend(cols, ie->name);
		}
		if (cols != NIL)
		{
			LintDataCheck *dc = lint_new_check(st, LINT_CHECK_UNIQUE,
											   is->relation, r.relid, -1);

			dc->columns = cols;
			dc->nulls_distinct = !is->nulls_not_distinct;
		}
	}
}

/* The table an existing index belongs to, as a RangeVar, or NULL. */
static RangeVar *
lint_index_table(RangeVar *idx)
{
	Oid			idxoid = lint_rv_relid(idx);
	Oid			tab;

	if (!OidIsValid(idxoid) || get_rel_relkind(idxoid) != RELKIND_INDEX)
		return NULL;
	tab = IndexGetRelation(idxoid, true);
	if (!OidIsValid(tab))
		return NULL;
	return makeRangeVar(get_namespace_name(get_rel_namespace(tab)),
						get_rel_name(tab), -1);
}

/* DROP of indexes, tables, schemas and other objects. */
static void
lint_drop(LintState *st, DropStmt *ds)
{
	ListCell   *lc;

	if (ds->removeType == OBJECT_INDEX)
	{
		if (ds->concurrent)
		{
			if (st->xact_depth > 0)
				lint_report(st, "ban-concurrent-index-creation-in-transaction", -1,
							pstrdup("DROP INDEX CONCURRENTLY cannot run inside a transaction block"),
							"Put the statement in its own revision with transactional = false.");
			if (!ds->missing_ok)
				lint_report(st, "prefer-robust-stmts", -1,
							pstrdup("DROP INDEX CONCURRENTLY without IF EXISTS cannot be re-run after a partial failure"),
							"Use DROP INDEX CONCURRENTLY IF EXISTS.");
			return;
		}
		foreach(lc, ds->objects)
		{
			RangeVar   *idx;
			RangeVar   *tab;
			LintRel		r;

			if (list_length((List *) lfirst(lc)) > 3)
				continue;		/* DROP fails on it anyway */
			idx = makeRangeVarFromNameList((List *) lfirst(lc));
			tab = lint_index_table(idx);

			if (tab != NULL)
			{
				lint_rel(st, tab, &r);
				if (r.exists && r.bytes == 0)
					continue;
				lint_need_timeout(st, &r);
			}
			if (lint_rv_in(st->created, idx))
				continue;
			lint_report(st, "require-concurrent-index-deletion", -1,
						psprintf("DROP INDEX %s takes an ACCESS EXCLUSIVE lock on %s", idx->relname,
								 tab ? lint_rv_name(tab) : "its table"),
						"DROP INDEX CONCURRENTLY IF EXISTS in a revision with transactional = false.");
		}
		return;
	}
	foreach(lc, ds->objects)
	{
		switch (ds->removeType)
		{
			case OBJECT_TABLE:
				{
					RangeVar   *rv;
					LintRel		r;

					if (list_length((List *) lfirst(lc)) > 3)
						break;	/* DROP fails on it anyway */
					rv = makeRangeVarFromNameList((List *) lfirst(lc));

					lint_rel(st, rv, &r);
					if (r.created)
						break;
					lint_need_timeout(st, &r);
					lint_report(st, "ban-drop-table", -1,
								psprintf("dropping table %s loses its data (%s)%s", r.name,
										 lint_size_text(&r),
										 ds->behavior == DROP_CASCADE ? ", and CASCADE drops dependent views and foreign keys" : ""),
								"Stop using the table in the application first, keep a backup (or rename it away), and drop it in a later revision.");
					break;
				}
			case OBJECT_SCHEMA:
				lint_add(st, "ban-drop-schema",
						 ds->behavior == DROP_CASCADE ? LINT_ERROR : LINT_WARNING, -1,
						 psprintf("dropping schema %s%s", strVal(lfirst(lc)),
								  ds->behavior == DROP_CASCADE ? " CASCADE drops every object in it, with their data" : " fails unless it is empty"),
						 "Drop the schema's objects one by one in reviewed revisions instead.");
				break;
			case OBJECT_VIEW:
			case OBJECT_MATVIEW:
			case OBJECT_SEQUENCE:
			case OBJECT_TYPE:
			case OBJECT_DOMAIN:
			case OBJECT_FUNCTION:
			case OBJECT_PROCEDURE:
			case OBJECT_ROUTINE:
			case OBJECT_TRIGGER:
			case OBJECT_EXTENSION:
			case OBJECT_FOREIGN_TABLE:
				lint_add(st, "dropping-object",
						 ds->behavior == DROP_CASCADE ? LINT_WARNING : LINT_INFO, -1,
						 psprintf("DROP %s%s: code that uses it breaks%s",
								  ds->removeType == OBJECT_VIEW ? "VIEW" :
								  ds->removeType == OBJECT_MATVIEW ? "MATERIALIZED VIEW" :
								  ds->removeType == OBJECT_SEQUENCE ? "SEQUENCE" :
								  ds->removeType == OBJECT_TYPE ? "TYPE" :
								  ds->removeType == OBJECT_DOMAIN ? "DOMAIN" :
								  ds->removeType == OBJECT_TRIGGER ? "TRIGGER" :
								  ds->removeType == OBJECT_EXTENSION ? "EXTENSION" :
								  ds->removeType == OBJECT_FOREIGN_TABLE ? "FOREIGN TABLE" : "FUNCTION",
								  ds->behavior == DROP_CASCADE ? " CASCADE" : "",
								  ds->behavior == DROP_CASCADE ? ", and CASCADE also drops what depends on it (columns of a dropped type lose their data)" :
								  " (function bodies are not dependency-tracked)"),
						 "List what depends on the object first; drop dependents explicitly instead of CASCADE.");
				break;
			default:
				break;
		}
		if (ds->removeType != OBJECT_TABLE)
			break;				/* one finding per statement is enough */
	}
}

/* RENAME of a column or a table that clients already use. */
static void
lint_rename(LintState *st, RenameStmt *rs)
{
	LintRel		r;

	if (rs->relation == NULL)
		return;
	if (rs->renameType == OBJECT_COLUMN && rs->relationType == OBJECT_TABLE)
	{
		lint_rel(st, rs->relation, &r);
		if (r.created)
			return;
		lint_need_timeout(st, &r);
		lint_report(st, "renaming-column", -1,
					psprintf("renaming column %s.%s to %s breaks clients that still use the old name",
							 r.name, rs->subname ? rs->subname : "?", rs->newname),
					"Add the new column, write both, backfill, move readers, then drop the old one; or rename behind a view.");
	}
	else if (rs->renameType == OBJECT_TABLE)
	{
		lint_rel(st, rs->relation, &r);
		if (r.created)
			return;
		lint_need_timeout(st, &r);
		lint_report(st, "renaming-table", -1,
					psprintf("renaming table %s to %s breaks clients that still use the old name",
							 r.name, rs->newname),
					"Create a view with the old name over the renamed table for the transition, or move clients first.");
	}
}

/* TRUNCATE, with or without CASCADE. */
static void
lint_truncate(LintState *st, TruncateStmt *ts)
{
	ListCell   *lc;

	foreach(lc, ts->relations)
	{
		RangeVar   *rv = (RangeVar *) lfirst(lc);
		LintRel		r;

		lint_rel(st, rv, &r);
		if (r.created)
			continue;
		lint_need_timeout(st, &r);
		if (ts->behavior == DROP_CASCADE)
			lint_report(st, "ban-truncate-cascade", rv->location,
						psprintf("TRUNCATE %s CASCADE also empties every table that references it, recursively", r.name),
						"TRUNCATE the tables you mean by name, without CASCADE.");
		else if (!(r.exists && r.bytes == 0))
			lint_report(st, "ban-truncate", rv->location,
						psprintf("TRUNCATE deletes every row (%s)", lint_size_text(&r)),
						"Make sure the data is disposable; keep a copy if not.");
	}
}

/* UPDATE / DELETE of existing rows inside the migration. */
static void
lint_backfill(LintState *st, RangeVar *rv, const char *verb)
{
	LintRel		r;

	if (rv == NULL)
		return;
	lint_rel(st, rv, &r);
	st->changed = lappend(st->changed, rv);
	if (!r.exists)
		return;					/* nothing to go on: DML is normal in migrations */
	lint_report_sized(st, "backfilling-data", &r, rv->location,
					  psprintf("%s of %s inside the migration keeps every touched row locked until the transaction ends", verb, r.name),
					  "Backfill in batches in separate transactions (CALL upgrade_each, or a script outside the schema migration).");
}

/* Statement-level rules for every statement kind. */
void
lint_statement(LintState *st, Node *stmt)
{
	check_stack_depth();
	CHECK_FOR_INTERRUPTS();
	switch (nodeTag(stmt))
	{
		case T_CreateStmt:
			lint_create_table(st, (CreateStmt *) stmt);
			break;
		case T_CreateTableAsStmt:
			{
				CreateTableAsStmt *cta = (CreateTableAsStmt *) stmt;

				if (cta->into && cta->into->rel)
				{
					if (cta->objtype == OBJECT_TABLE)
						lint_table_schema(st, cta->into->rel);
					st->created = lappend(st->created, cta->into->rel);
				}
				break;
			}
		case T_CreateSchemaStmt:
			{
				ListCell   *lc;

				foreach(lc, ((CreateSchemaStmt *) stmt)->schemaElts)
					lint_statement(st, (Node *) lfirst(lc));
				break;
			}
		case T_AlterTableStmt:
			lint_alter_table(st, (AlterTableStmt *) stmt);
			break;
		case T_IndexStmt:
			lint_index(st, (IndexStmt *) stmt);
			break;
		case T_DropStmt:
			lint_drop(st, (DropStmt *) stmt);
			break;
		case T_DropdbStmt:
			lint_report(st, "ban-drop-database", -1,
						psprintf("DROP DATABASE %s", ((DropdbStmt *) stmt)->dbname),
						"Never drop a database from a schema migration.");
			break;
		case T_TruncateStmt:
			lint_truncate(st, (TruncateStmt *) stmt);
			break;
		case T_RenameStmt:
			lint_rename(st, (RenameStmt *) stmt);
			break;
		case T_AlterEnumStmt:
			{
				AlterEnumStmt *aes = (AlterEnumStmt *) stmt;

				if (aes->oldVal != NULL)
					lint_report(st, "renaming-enum-value", -1,
								psprintf("renaming enum label %s to %s breaks clients that still write the old label",
										 aes->oldVal, aes->newVal),
								"Add the new label, migrate rows and clients, and keep the old label until nothing uses it.");
				else if (aes->newValNeighbor == NULL)
					lint_report(st, "require-enum-value-ordering", -1,
								psprintf("label %s is appended at the end of the enum", aes->newVal),
								"Say BEFORE or AFTER an existing label if the enum's order (used by ORDER BY and comparisons) matters.");
				if (aes->oldVal == NULL && aes->newVal != NULL && aes->typeName != NIL &&
					IsA(llast(aes->typeName), String) &&
					!lint_list_member_str(st->created_types, strVal(llast(aes->typeName))))
					st->new_labels = lappend(st->new_labels,
											 psprintf("'%s'", aes->newVal));
				break;
			}
		case T_CreateEnumStmt:
			if (((CreateEnumStmt *) stmt)->typeName != NIL &&
				IsA(llast(((CreateEnumStmt *) stmt)->typeName), String))
				st->created_types = lappend(st->created_types,
											strVal(llast(((CreateEnumStmt *) stmt)->typeName)));
			break;
		case T_TransactionStmt:
			{
				TransactionStmt *ts = (TransactionStmt *) stmt;

				lint_report(st, "transaction-nesting", -1,
							pstrdup("transaction control statement in migration SQL: upgrade() runs each revision in its own transaction, where it fails"),
							"Remove BEGIN/COMMIT/ROLLBACK; use transactional = false for statements that must run outside a transaction.");
				if (ts->kind == TRANS_STMT_BEGIN || ts->kind == TRANS_STMT_START)
				{
					if (st->xact_depth++ == 0)
					{
						st->xact_location = st->stmt_start;
						st->xact_stmtno = st->stmtno;
					}
				}
				else if (ts->kind == TRANS_STMT_COMMIT || ts->kind == TRANS_STMT_ROLLBACK ||
						 ts->kind == TRANS_STMT_PREPARE)
					st->xact_depth = 0;
				break;
			}
		case T_VariableSetStmt:
			{
				VariableSetStmt *vs = (VariableSetStmt *) stmt;

				A_Const    *v;
				bool		on;

				if (vs->name == NULL || (strcmp(vs->name, "lock_timeout") != 0 &&
										 strcmp(vs->name, "statement_timeout") != 0))
					break;
				/* SET x = 0, SET x TO DEFAULT and RESET x turn the timeout off */
				v = vs->args ? (A_Const *) linitial(vs->args) : NULL;
				on = vs->kind == VAR_SET_VALUE &&
					!(v != NULL && IsA(v, A_Const) && !v->isnull &&
					  ((IsA(&v->val, Integer) && intVal(&v->val) == 0) ||
					   (IsA(&v->val, String) && strcmp(strVal(&v->val), "0") == 0)));
				if (strcmp(vs->name, "lock_timeout") == 0)
					st->lock_timeout_set = on;
				else
					st->statement_timeout_set = on;
				break;
			}
		case T_ReindexStmt:
			{
				ReindexStmt *rs = (ReindexStmt *) stmt;
				ListCell   *lc;
				RangeVar   *tab = NULL;
				LintRel		r;

				/* system catalogs cannot be reindexed CONCURRENTLY */
				if (rs->kind == REINDEX_OBJECT_SYSTEM)
					break;
				foreach(lc, rs->params)
				{
					DefElem    *opt = (DefElem *) lfirst(lc);

					if (strcmp(opt->defname, "concurrently") == 0 && defGetBoolean(opt))
						return;
				}
				if (rs->kind == REINDEX_OBJECT_TABLE)
					tab = rs->relation;
				else if (rs->kind == REINDEX_OBJECT_INDEX && rs->relation)
					tab = lint_index_table(rs->relation);
				if (tab == NULL)
				{
					lint_report(st, "require-concurrent-reindex", -1,
								pstrdup("REINDEX without CONCURRENTLY blocks writes while it rebuilds"),
								"REINDEX ... CONCURRENTLY in a revision with transactional = false.");
					break;
				}
				lint_rel(st, tab, &r);
				/* PostgreSQL refuses REINDEX CONCURRENTLY of system catalogs */
				if (OidIsValid(r.relid) &&
					get_rel_namespace(r.relid) == PG_CATALOG_NAMESPACE)
					break;
				lint_need_timeout(st, &r);
				lint_report_sized(st, "require-concurrent-reindex", &r, -1,
								  psprintf("REINDEX without CONCURRENTLY blocks writes to %s while it rebuilds", r.name),
								  "REINDEX ... CONCURRENTLY in a revision with transactional = false.");
				break;
			}
		case T_CreateDomainStmt:
			if (((CreateDomainStmt *) stmt)->constraints != NIL)
				lint_report(st, "ban-create-domain-with-constraint", -1,
							pstrdup("domain with a constraint: changing it later checks every column of the domain under lock, and the constraint is invisible to table definitions"),
							"Put the CHECK on the table columns instead (it can be added NOT VALID).");
			break;
		case T_AlterDomainStmt:
			{
				AlterDomainStmt *ads = (AlterDomainStmt *) stmt;

				if (ads->subtype == 'C' && ads->def && IsA(ads->def, Constraint) &&
					!((Constraint *) ads->def)->skip_validation)
					lint_report(st, "ban-alter-domain-with-add-constraint", -1,
								pstrdup("ALTER DOMAIN ADD CONSTRAINT checks every column using the domain while holding locks"),
								"ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT later; or put the CHECK on table columns.");
				break;
			}
		case T_VacuumStmt:
			{
				VacuumStmt *vs = (VacuumStmt *) stmt;
				bool		full = false;
				ListCell   *lc;

				foreach(lc, vs->options)
				{
					DefElem    *opt = (DefElem *) lfirst(lc);

					if (vs->is_vacuumcmd && strcmp(opt->defname, "full") == 0 &&
						(opt->arg == NULL || defGetBoolean(opt)))
						full = true;
				}
				if (!full)
					break;
				if (vs->rels == NIL)
					lint_report(st, "prefer-repack", -1,
								pstrdup("VACUUM FULL of the whole database rewrites every table under an ACCESS EXCLUSIVE lock"),
								"Use pg_repack (or pg_squeeze), which rewrites online.");
				foreach(lc, vs->rels)
				{
					VacuumRelation *vr = (VacuumRelation *) lfirst(lc);
					LintRel		r;

					if (!IsA(vr, VacuumRelation) || vr->relation == NULL)
						continue;
					lint_rel(st, vr->relation, &r);
					lint_need_timeout(st, &r);
					lint_report_sized(st, "prefer-repack", &r, vr->relation->location,
									  pstrdup("VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock"),
									  "Use pg_repack (or pg_squeeze), which rewrites online.");
				}
				break;
			}
		case T_ClusterStmt:
			{
				ClusterStmt *cs = (ClusterStmt *) stmt;
				LintRel		r;

				if (cs->relation == NULL)
				{
					lint_report(st, "prefer-repack", -1,
								pstrdup("CLUSTER of every clustered table rewrites them under ACCESS EXCLUSIVE locks"),
								"Use pg_repack --order-by, which rewrites online.");
					break;
				}
				lint_rel(st, cs->relation, &r);
				lint_need_timeout(st, &r);
				lint_report_sized(st, "prefer-repack", &r, cs->relation->location,
								  pstrdup("CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock"),
								  "Use pg_repack --order-by, which rewrites online.");
				break;
			}
		case T_LockStmt:
			{
				LockStmt   *ls = (LockStmt *) stmt;
				ListCell   *lc;

				/* weaker modes queue no read or write behind them */
				if (ls->mode < ShareLock)
					break;
				foreach(lc, ls->relations)
				{
					LintRel		r;

					lint_rel(st, (RangeVar *) lfirst(lc), &r);
					lint_need_timeout(st, &r);
				}
				break;
			}
		case T_CreateTrigStmt:
			{
				LintRel		r;

				/* CREATE TRIGGER takes SHARE ROW EXCLUSIVE on the table */
				if (((CreateTrigStmt *) stmt)->relation == NULL)
					break;
				lint_rel(st, ((CreateTrigStmt *) stmt)->relation, &r);
				lint_need_timeout(st, &r);
				break;
			}
		case T_UpdateStmt:
			lint_backfill(st, ((UpdateStmt *) stmt)->relation, "UPDATE");
			break;
		case T_DeleteStmt:
			lint_backfill(st, ((DeleteStmt *) stmt)->relation, "DELETE");
			break;
		case T_InsertStmt:
			if (((InsertStmt *) stmt)->relation)
				st->changed = lappend(st->changed, ((InsertStmt *) stmt)->relation);
			break;
		case T_DoStmt:
			st->opaque_changes = true;
			lint_report(st, "opaque-code", -1,
						pstrdup("lint cannot see the statements inside a DO block"),
						"Write the DDL as plain statements so that it can be reviewed.");
			break;
		case T_SelectStmt:
			/* SELECT ... INTO creates a table */
			if (((SelectStmt *) stmt)->intoClause != NULL &&
				((SelectStmt *) stmt)->intoClause->rel != NULL)
			{
				lint_table_schema(st, ((SelectStmt *) stmt)->intoClause->rel);
				st->created = lappend(st->created, ((SelectStmt *) stmt)->intoClause->rel);
			}
			/* SELECT f() may change anything: review()'s counts become unreliable */
			if (st->checks != NULL && ((SelectStmt *) stmt)->targetList != NIL)
				st->opaque_changes = st->opaque_changes ||
					raw_expression_tree_walker((Node *) ((SelectStmt *) stmt)->targetList,
											   lint_volatile_walker, NULL);
			break;
		case T_GrantStmt:
		case T_GrantRoleStmt:
		case T_AlterOwnerStmt:
		case T_CreatePolicyStmt:
		case T_AlterPolicyStmt:
		case T_AlterDefaultPrivilegesStmt:
			lint_report(st, "authz-update", -1,
						pstrdup("privileges change: what each role may do changes with this statement"),
						"Review the grants with the application roles in mind; pg_schemamig's drift check will not flag them later.");
			break;
		default:
			break;
	}
}
