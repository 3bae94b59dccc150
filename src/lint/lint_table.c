/*-------------------------------------------------------------------------
 *
 * lint_table.c
 *	  lint() rules for CREATE TABLE and ALTER TABLE: new columns, new and
 *	  validated constraints, SET/DROP NOT NULL, type changes, rewrites,
 *	  partition detach, row level security.
 *
 * src/lint/lint_table.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "lint_int.h"

/* ------------------------------------------------------------------------
 * Rules for CREATE TABLE, ADD COLUMN and constraints
 * ------------------------------------------------------------------------
 */

/* Is colname among the String nodes of keys? */
static bool
lint_name_in(List *keys, const char *colname)
{
	ListCell   *lc;

	foreach(lc, keys)
	{
		if (IsA(lfirst(lc), String) && strcmp(strVal(lfirst(lc)), colname) == 0)
			return true;
	}
	return false;
}

/* Column constraints say: primary key or identity. */
static bool
lint_column_is_key(ColumnDef *cd)
{
	ListCell   *lc;

	foreach(lc, cd->constraints)
	{
		Constraint *c = (Constraint *) lfirst(lc);

		if (IsA(c, Constraint) &&
			(c->contype == CONSTR_PRIMARY || c->contype == CONSTR_IDENTITY))
			return true;
	}
	return false;
}

/*
 * lint_table_schema: require-table-schema for a table created (CREATE
 * TABLE, CREATE TABLE AS, SELECT INTO) without a schema name; temporary
 * tables live in their own schema.
 */
void
lint_table_schema(LintState *st, RangeVar *rel)
{
	if (rel->schemaname == NULL && rel->relpersistence != RELPERSISTENCE_TEMP)
		lint_report(st, "require-table-schema", rel->location,
					psprintf("table %s is created in the first schema of the caller's search_path",
							 rel->relname),
					"Qualify the name (CREATE TABLE app.tasks ...) if the migration must not depend on search_path.");
}

/*
 * lint_create_table: type smells of the new columns (with the table's
 * primary key columns as keys); remembers the table as created.
 */
void
lint_create_table(LintState *st, CreateStmt *cs)
{
	List	   *pkeys = NIL;
	ListCell   *lc;

	if (cs->relation == NULL)
		return;
	lint_table_schema(st, cs->relation);
	foreach(lc, cs->tableElts)
	{
		Constraint *c = (Constraint *) lfirst(lc);

		if (IsA(c, Constraint) && c->contype == CONSTR_PRIMARY)
			pkeys = list_concat(pkeys, c->keys);
	}
	foreach(lc, cs->tableElts)
	{
		ColumnDef  *cd = (ColumnDef *) lfirst(lc);

		if (IsA(cd, ColumnDef) && cd->colname != NULL)
			lint_column_type(st, cd, lint_column_is_key(cd) ||
							 lint_name_in(pkeys, cd->colname));
	}
	st->created = lappend(st->created, cs->relation);
}

/*
 * lint_add_column: ALTER TABLE ... ADD COLUMN on an existing table: the
 * rewrite cases, NOT NULL without default, and inline constraints.
 */
static void
lint_add_column(LintState *st, LintRel *r, ColumnDef *cd)
{
	Constraint *def = NULL;
	bool		notnull = false;
	bool		generated_values = false;	/* identity, serial, stored */
	const char *tname = lint_type_name(cd->typeName);
	ListCell   *lc;

	if (cd->colname == NULL)
		return;
	lint_column_type(st, cd, lint_column_is_key(cd));
	if (tname != NULL && (strcmp(tname, "serial") == 0 ||
						  strcmp(tname, "bigserial") == 0 ||
						  strcmp(tname, "smallserial") == 0))
		generated_values = true;
	foreach(lc, cd->constraints)
	{
		Constraint *c = (Constraint *) lfirst(lc);

		if (!IsA(c, Constraint))
			continue;
		switch (c->contype)
		{
			case CONSTR_DEFAULT:
				def = c;
				break;
			case CONSTR_NOTNULL:
				notnull = true;
				break;
			case CONSTR_IDENTITY:
			case CONSTR_GENERATED:
				generated_values = true;
				break;
			default:
				break;
		}
	}
	if (generated_values)
		lint_report_sized(st, "adding-field-with-default", r, cd->location,
						  psprintf("adding column %s fills every existing row with generated values, which rewrites the table under an ACCESS EXCLUSIVE lock",
								   cd->colname),
						  "Add the column without a default, attach the sequence or expression with SET DEFAULT, and backfill existing rows in batches.");
	else if (def != NULL && def->raw_expr != NULL &&
			 lint_volatile_walker(def->raw_expr, NULL))
		lint_report_sized(st, "adding-field-with-default", r, def->location,
						  psprintf("adding column %s with a volatile default rewrites the table under an ACCESS EXCLUSIVE lock",
								   cd->colname),
						  "Add the column without a default, then SET DEFAULT for new rows and backfill existing rows in batches.");
	if (notnull && def == NULL && !generated_values)
	{
		if (r->exists && r->bytes > 0)
			lint_add(st, "adding-required-field", LINT_ERROR, cd->location,
					 psprintf("would fail: column %s is NOT NULL without a default, and %s has rows (%s)",
							  cd->colname, r->name, lint_size_text(r)),
					 "Add the column nullable, backfill it, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL; or give it a non-volatile DEFAULT.");
		else if (!r->created && !r->exists)
			lint_report(st, "adding-required-field", cd->location,
						psprintf("column %s is NOT NULL without a default: this fails if %s has rows (the table is not in the database)",
								 cd->colname, r->name),
						"Add the column nullable, backfill it, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL; or give it a non-volatile DEFAULT.");
	}
	foreach(lc, cd->constraints)
	{
		Constraint *c = (Constraint *) lfirst(lc);

		if (!IsA(c, Constraint))
			continue;
		switch (c->contype)
		{
			case CONSTR_PRIMARY:
				lint_report_sized(st, "adding-serial-primary-key-field", r, c->location,
								  psprintf("adding primary key column %s builds its index under an ACCESS EXCLUSIVE lock",
										   cd->colname),
								  "Add the column, backfill it, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX.");
				break;
			case CONSTR_UNIQUE:
				lint_report_sized(st, "disallowed-unique-constraint", r, c->location,
								  psprintf("adding unique column %s builds its index under an ACCESS EXCLUSIVE lock",
										   cd->colname),
								  "Add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX.");
				break;
			case CONSTR_CHECK:
				lint_report_sized(st, "constraint-missing-not-valid", r, c->location,
								  psprintf("adding column %s with a CHECK constraint checks every row under an ACCESS EXCLUSIVE lock",
										   cd->colname),
								  "Add the column, then ADD CONSTRAINT ... CHECK (...) NOT VALID and VALIDATE CONSTRAINT in a later transaction.");
				break;
			case CONSTR_FOREIGN:
				if (def != NULL)
					lint_report_sized(st, "adding-foreign-key-constraint", r, c->location,
									  psprintf("adding column %s with a default and a foreign key validates every row while both tables are locked",
											   cd->colname),
									  "Add the column, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and VALIDATE CONSTRAINT in a later transaction.");
				else if (!r->created)
					lint_add(st, "adding-foreign-key-constraint", LINT_INFO, c->location,
							 psprintf("adding column %s with a foreign key takes a SHARE ROW EXCLUSIVE lock on the referenced table %s",
									  cd->colname, c->pktable ? lint_rv_name(c->pktable) : "?"),
							 "The new column is NULL everywhere, so validation is cheap; keep the migration short so the lock is brief.");
				break;
			default:
				break;
		}
	}
}

/* ALTER TABLE ... ADD CONSTRAINT on an existing table. */
static void
lint_add_constraint(LintState *st, RangeVar *rv, LintRel *r, Constraint *c)
{
	switch (c->contype)
	{
		case CONSTR_CHECK:
			{
				char	   *col = lint_notnull_test_column(c->raw_expr);

				if (c->skip_validation)
				{
					LintNotValid *nv = palloc0(sizeof(LintNotValid));

					nv->rel = rv;
					nv->conname = c->conname;
					nv->notnull_col = col;
					nv->expr = lint_paren_text(st->sql, c->location);
					st->not_valid = lappend(st->not_valid, nv);
					break;
				}
				if (col != NULL)
					st->notnull_checked = lappend(st->notnull_checked,
												  psprintf("%s.%s", rv->relname, col));
				lint_report_sized(st, "constraint-missing-not-valid", r, c->location,
								  pstrdup("adding a CHECK constraint checks every row under an ACCESS EXCLUSIVE lock"),
								  "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later transaction (it takes only a SHARE UPDATE EXCLUSIVE lock).");
				if (st->checks && OidIsValid(r->relid))
				{
					char	   *expr = lint_paren_text(st->sql, c->location);

					if (expr != NULL)
						lint_new_check(st, LINT_CHECK_CHECK, rv, r->relid, c->location)->expr = expr;
				}
				break;
			}
		case CONSTR_FOREIGN:
			if (c->skip_validation)
			{
				LintNotValid *nv = palloc0(sizeof(LintNotValid));

				nv->rel = rv;
				nv->conname = c->conname;
				st->not_valid = lappend(st->not_valid, nv);
				break;
			}
			lint_report_sized(st, "adding-foreign-key-constraint", r, c->location,
							  psprintf("adding a foreign key validates every row while %s and %s are locked (SHARE ROW EXCLUSIVE)",
									   r->name, c->pktable ? lint_rv_name(c->pktable) : "?"),
							  "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction.");
			if (st->checks && OidIsValid(r->relid) && c->pktable != NULL)
			{
				Oid			ref = lint_rv_relid(c->pktable);

				if (OidIsValid(ref) && !lint_rv_in(st->created, c->pktable))
				{
					LintDataCheck *dc = lint_new_check(st, LINT_CHECK_FOREIGN_KEY,
													   rv, r->relid, c->location);

					dc->columns = lint_names(c->fk_attrs);
					dc->refrelid = ref;
					dc->refcolumns = lint_names(c->pk_attrs);
					dc->rows_changed = dc->rows_changed || lint_rv_in(st->changed, c->pktable);
				}
			}
			break;
		case CONSTR_UNIQUE:
		case CONSTR_PRIMARY:
			{
				bool		pk = c->contype == CONSTR_PRIMARY;

				if (c->indexname != NULL)
					break;		/* USING INDEX: the safe recipe */
				lint_report_sized(st, pk ? "adding-serial-primary-key-field" : "disallowed-unique-constraint",
								  r, c->location,
								  psprintf("adding a %s constraint builds its index under an ACCESS EXCLUSIVE lock",
										   pk ? "PRIMARY KEY" : "UNIQUE"),
								  pk ? "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX."
								  : "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX.");
				if (st->checks && OidIsValid(r->relid) && c->keys != NIL)
				{
					LintDataCheck *dc = lint_new_check(st, LINT_CHECK_UNIQUE,
													   rv, r->relid, c->location);

					dc->columns = lint_names(c->keys);
					dc->nulls_distinct = !c->nulls_not_distinct;
					if (pk)
					{
						ListCell   *lc;

						foreach(lc, dc->columns)
							lint_new_check(st, LINT_CHECK_NOT_NULL, rv,
										   r->relid, c->location)->columns =
								list_make1(lfirst(lc));
					}
				}
				break;
			}
		case CONSTR_EXCLUSION:
			lint_report_sized(st, "adding-exclusion-constraint", r, c->location,
							  pstrdup("adding an EXCLUDE constraint builds its index and checks every row under an ACCESS EXCLUSIVE lock"),
							  "There is no NOT VALID form: add it while the table is small, or enforce the rule in the application and add the constraint in a maintenance window.");
			break;
		default:
			break;
	}
}

/* ALTER TABLE ... VALIDATE CONSTRAINT */
static void
lint_validate_constraint(LintState *st, RangeVar *rv, LintRel *r, const char *conname)
{
	ListCell   *lc;

	foreach(lc, st->not_valid)
	{
		LintNotValid *nv = (LintNotValid *) lfirst(lc);

		if (nv->conname == NULL || strcmp(nv->conname, conname) != 0 ||
			strcmp(nv->rel->relname, rv->relname) != 0)
			continue;
		if (nv->notnull_col != NULL)
			st->notnull_checked = lappend(st->notnull_checked,
										  psprintf("%s.%s", rv->relname, nv->notnull_col));
		if (!r->created && !(r->exists && r->bytes == 0))
			lint_report(st, "constraint-missing-not-valid", -1,
						psprintf("constraint %s is added NOT VALID and validated in the same SQL: the lock taken by the ADD is still held while VALIDATE scans %s",
								 conname, r->name),
						"Run VALIDATE CONSTRAINT in a separate revision (its own transaction) after the NOT VALID one.");
		if (st->checks && OidIsValid(r->relid) && nv->expr != NULL)
			lint_new_check(st, LINT_CHECK_CHECK, rv, r->relid, -1)->expr = nv->expr;
		return;
	}
	/*
	 * A constraint added NOT VALID by an earlier revision: once validated, a
	 * CHECK (col IS NOT NULL) lets a later SET NOT NULL skip its scan.
	 */
	if (OidIsValid(r->relid))
	{
		foreach(lc, lint_constraint_notnull_columns(r->relid, conname))
			st->notnull_checked = lappend(st->notnull_checked,
										  psprintf("%s.%s", rv->relname, (char *) lfirst(lc)));
	}
	if (st->checks && OidIsValid(r->relid))
		lint_new_check(st, LINT_CHECK_VALIDATE, rv, r->relid, -1)->conname =
			pstrdup(conname);
}

/* ALTER TABLE ... ALTER COLUMN ... SET NOT NULL */
static void
lint_set_not_null(LintState *st, RangeVar *rv, LintRel *r, const char *colname)
{
	char	   *key = psprintf("%s.%s", rv->relname, colname);
	ListCell   *lc;

	foreach(lc, st->notnull_checked)
	{
		if (strcmp((char *) lfirst(lc), key) == 0)
			return;
	}
	if (OidIsValid(r->relid) && lint_has_notnull_check(r->relid, colname))
		return;
	lint_report_sized(st, "adding-not-nullable-field", r, -1,
					  psprintf("SET NOT NULL on %s scans the table under an ACCESS EXCLUSIVE lock", colname),
					  "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a later transaction; then SET NOT NULL skips the scan, and the CHECK can be dropped.");
	if (st->checks && OidIsValid(r->relid) && !r->created &&
		get_attnum(r->relid, colname) != InvalidAttrNumber)
		lint_new_check(st, LINT_CHECK_NOT_NULL, rv, r->relid, -1)->columns = list_make1(pstrdup(colname));
}

/* ALTER TABLE: one branch per subcommand kind that lint has a rule for. */
void
lint_alter_table(LintState *st, AlterTableStmt *ats)
{
	LintRel		r;
	ListCell   *lc;

	if (ats->relation == NULL)
		return;
	if (ats->objtype != OBJECT_TABLE && ats->objtype != OBJECT_FOREIGN_TABLE &&
		ats->objtype != OBJECT_MATVIEW)
		return;
	lint_rel(st, ats->relation, &r);
	lint_need_timeout(st, &r);
	foreach(lc, ats->cmds)
	{
		AlterTableCmd *cmd = (AlterTableCmd *) lfirst(lc);

		if (!IsA(cmd, AlterTableCmd))
			continue;
		CHECK_FOR_INTERRUPTS();
		switch (cmd->subtype)
		{
			case AT_AddColumn:
				if (cmd->def && IsA(cmd->def, ColumnDef))
					lint_add_column(st, &r, (ColumnDef *) cmd->def);
				break;
			case AT_AddConstraint:
				if (cmd->def && IsA(cmd->def, Constraint))
					lint_add_constraint(st, ats->relation, &r, (Constraint *) cmd->def);
				break;
			case AT_ValidateConstraint:
				if (cmd->name)
					lint_validate_constraint(st, ats->relation, &r, cmd->name);
				break;
			case AT_SetNotNull:
				if (cmd->name)
					lint_set_not_null(st, ats->relation, &r, cmd->name);
				break;
			case AT_DropNotNull:
				if (!r.created)
					lint_report(st, "ban-drop-not-null", -1,
								psprintf("DROP NOT NULL on %s.%s: readers that assume a value will meet NULLs",
										 r.name, cmd->name ? cmd->name : "?"),
								"Make sure every client handles NULL first; keep the constraint if in doubt.");
				break;
			case AT_DropColumn:
				if (!r.created)
					lint_report(st, "ban-drop-column", -1,
								psprintf("dropping column %s of %s loses its data, and clients that still select it fail",
										 cmd->name ? cmd->name : "?", r.name),
								"Stop reading and writing the column in the application first (deploy), then drop it in a later revision.");
				break;
			case AT_DropConstraint:
				if (!r.created)
					lint_report(st, "dropping-constraint", -1,
								psprintf("dropping constraint %s of %s removes a guarantee clients may rely on",
										 cmd->name ? cmd->name : "?", r.name),
								"Make sure nothing depends on the constraint (foreign keys, ON CONFLICT targets, the planner).");
				break;
			case AT_AlterColumnType:
				{
					ColumnDef  *cd = (ColumnDef *) cmd->def;

					if (cd == NULL || !IsA(cd, ColumnDef) || cmd->name == NULL)
						break;
					if (cd->typeName != NULL)
					{
						ColumnDef	tmp;

						memcpy(&tmp, cd, sizeof(ColumnDef));
						tmp.colname = cmd->name;
						lint_column_type(st, &tmp, false);
					}
					if (cd->raw_default == NULL &&
						lint_nonrewriting_type_change(r.relid, cmd->name, cd->typeName))
						break;
					lint_report_sized(st, "changing-column-type", &r,
									  cd->typeName ? cd->typeName->location : -1,
									  psprintf("changing the type of %s rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
											   cmd->name),
									  "Add a new column of the new type, backfill it in batches, switch readers and writers, then drop the old column; widening varchar/numeric limits needs no rewrite.");
					break;
				}
			case AT_SetTableSpace:
			case AT_SetLogged:
			case AT_SetUnLogged:
			case AT_SetAccessMethod:
				lint_report_sized(st, "table-rewrite", &r, -1,
								  psprintf("ALTER TABLE %s rewrites the table under an ACCESS EXCLUSIVE lock",
										   cmd->subtype == AT_SetTableSpace ? "SET TABLESPACE" :
										   cmd->subtype == AT_SetLogged ? "SET LOGGED" :
										   cmd->subtype == AT_SetUnLogged ? "SET UNLOGGED" :
										   "SET ACCESS METHOD"),
								  "Do it in a maintenance window, or build a new table and switch over (pg_repack can move tablespaces online).");
				break;
			case AT_DetachPartition:
				if (cmd->def && IsA(cmd->def, PartitionCmd) &&
					!((PartitionCmd *) cmd->def)->concurrent && !r.created)
					lint_report(st, "require-concurrent-partition-detach", -1,
								psprintf("DETACH PARTITION takes an ACCESS EXCLUSIVE lock on %s", r.name),
								"Use DETACH PARTITION ... CONCURRENTLY in a non-transactional revision (PostgreSQL 14+).");
				break;
			case AT_EnableRowSecurity:
			case AT_ForceRowSecurity:
			case AT_DisableRowSecurity:
			case AT_NoForceRowSecurity:
				lint_report(st, "authz-update", -1,
							psprintf("row level security of %s changes: rows visible to each role change with it", r.name),
							"Create the policies in the same revision before enabling row level security, and test with every application role.");
				break;
			default:
				break;
		}
	}
}
