/*-------------------------------------------------------------------------
 *
 * migstate.c
 *	  The backend-local "pg_schemamig is running migration DDL" state, owned
 *	  here and nowhere else.
 *
 * apply.c sets it around a revision's statements and planstep.c for a plan
 * step; the drift triggers and the rewrite guard read it; the transaction
 * callback (pg_schemamig.c) resets it, so an error can never leave it set.
 * Living below every subsystem, it makes none of them call another.
 *
 * src/catalog/migstate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "migstate.h"

static bool running_migration = false;
static const char *running_statement = NULL;

/* the GUC schemamig.offline_script (defined in pg_schemamig.c) */
bool		sm_offline_script = false;

/* sm_migration_set marks whether migration DDL runs now. */
void
sm_migration_set(bool running)
{
	running_migration = running;
}

/* True while upgrade()/downgrade() or a plan step runs revision SQL. */
bool
sm_migration_running(void)
{
	return running_migration;
}

/*
 * sm_migration_in_progress: is the DDL now running a migration (not drift)?
 * True inside upgrade()/downgrade() and plan steps, and in offline scripts.
 */
bool
sm_migration_in_progress(void)
{
	return running_migration || sm_offline_script;
}

/* The revision statement now running (NULL outside apply.c's loop). */
void
sm_migration_set_statement(const char *sql)
{
	running_statement = sql;
}

const char *
sm_migration_statement(void)
{
	return running_statement;
}
