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
 * Also here: the stack of utility statements in progress, which tells the
 * drift triggers an extension's internal DDL (Citus's) from the user's.
 *
 * src/catalog/migstate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "nodes/nodes.h"

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

/*
 * The utility statements being processed, outermost first, as the
 * ProcessUtility hook (planstep.c) sees them: node tag and the executor
 * depth each started at.  A statement started directly by another one (no
 * executor in between, and not by DO or CALL, whose bodies are the user's
 * own statements) is an extension's internal work, as when Citus converts a
 * table it was just asked to create.
 */
#define SM_UTILITY_STACK 32
static NodeTag utility_tags[SM_UTILITY_STACK];
static int	utility_executor_depth[SM_UTILITY_STACK];
static int	utility_depth = 0;

/*
 * The library can be loaded by an event trigger in the middle of a
 * statement, which the hook then never saw start: that statement counts as
 * an unseen parent until the next top-level statement.
 */
static bool unseen_parent = false;

/* sm_utility_enter: the hook starts processing a utility statement */
void
sm_utility_enter(NodeTag tag, int executor_depth, bool toplevel)
{
	if (toplevel)
		unseen_parent = false;
	if (utility_depth < SM_UTILITY_STACK)
	{
		utility_tags[utility_depth] = tag;
		utility_executor_depth[utility_depth] = executor_depth;
	}
	utility_depth++;
}

/* sm_utility_exit: that statement is done (or failed) */
void
sm_utility_exit(void)
{
	if (utility_depth > 0)
		utility_depth--;
}

/* sm_statement_start: a new top-level statement runs through the executor */
void
sm_statement_start(void)
{
	unseen_parent = false;
}

/*
 * sm_utility_is_internal says whether the utility statement now running was
 * started by another utility statement rather than by the user (see
 * utility_tags).  Asked by the drift triggers, which fire inside it.
 */
bool
sm_utility_is_internal(void)
{
	int			parent;

	if (utility_depth == 0)
	{
		/* a statement the hook did not see start: the library is new */
		unseen_parent = true;
		return false;
	}
	if (utility_depth == 1)
		return unseen_parent && utility_executor_depth[0] == 0;
	if (utility_depth > SM_UTILITY_STACK)
		return false;
	parent = utility_depth - 2;
	if (utility_tags[parent] == T_DoStmt || utility_tags[parent] == T_CallStmt)
		return false;
	return utility_executor_depth[parent] == utility_executor_depth[utility_depth - 1];
}
