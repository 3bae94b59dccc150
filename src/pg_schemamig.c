/*-------------------------------------------------------------------------
 *
 * pg_schemamig.c
 *	  Module entry point: PG_MODULE_MAGIC, GUC definitions and the
 *	  transaction callback that resets backend-local state.
 *
 * The library needs no shared memory, so it loads on first use and does not
 * have to be in shared_preload_libraries.
 *
 * src/pg_schemamig.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "access/xact.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "introspect.h"
#include "pg_schemamig.h"
#include "planstep.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

int			sm_lock_timeout = SM_DEFAULT_LOCK_TIMEOUT;
int			sm_statement_timeout = 0;
int			sm_lock_retries = SM_DEFAULT_LOCK_RETRIES;
char	   *sm_tracked_schemas = NULL;
int			sm_lint_on_upgrade = SM_LINT_WARNING;
int			sm_max_rewrite_size = -1;
bool		sm_progress = false;

static const struct config_enum_entry lint_mode_options[] = {
	{"off", SM_LINT_OFF, false},
	{"warning", SM_LINT_WARNING, false},
	{"error", SM_LINT_ERROR, false},
	{NULL, 0, false}
};

/*
 * sm_xact_callback resets the "pg_schemamig is running DDL" flag at the end
 * of every transaction, so an error in a migration can never leave it set.
 * Only a non-transactional plan step, which spans transactions by design,
 * keeps it until its _end_step.
 */
static void
sm_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			sm_planstep_xact_end();
			sm_migration_set(sm_planstep_session_active());
			break;
		default:
			break;
	}
}

void
_PG_init(void)
{
	/*
	 * Safe by default: while a migration waits for a lock, application
	 * queries on the table queue behind it, so no wait may last longer than
	 * this; a revision (or backfill batch) that timed out is rolled back and
	 * retried after a backoff.
	 */
	DefineCustomIntVariable("schemamig.lock_timeout",
							"Sets the lock_timeout applied to each revision and backfill batch while it runs.",
							"A revision that times out is retried (schemamig.lock_retries). "
							"Zero leaves the session's lock_timeout in force and disables the retries of upgrade().",
							&sm_lock_timeout,
							SM_DEFAULT_LOCK_TIMEOUT, 0, INT_MAX,
							PGC_USERSET,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("schemamig.statement_timeout",
							"Sets the maximum time one revision may run.",
							"Zero disables the limit.",
							&sm_statement_timeout,
							0, 0, INT_MAX,
							PGC_USERSET,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("schemamig.lock_retries",
							"Sets how often a revision or backfill batch that failed on a lock timeout is retried.",
							"The waits between retries double from 200 ms up to 10 s.",
							&sm_lock_retries,
							SM_DEFAULT_LOCK_RETRIES, 0, 100,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	DefineCustomStringVariable("schemamig.tracked_schemas",
							   "Sets the schemas whose DDL is recorded as drift.",
							   "Empty means every schema except the system schemas and schemamig.",
							   &sm_tracked_schemas,
							   "",
							   PGC_SUSET,
							   GUC_LIST_INPUT,
							   sm_check_tracked_schemas, NULL, NULL);

	DefineCustomEnumVariable("schemamig.lint_on_upgrade",
							 "Sets whether upgrade lints each revision first, and what a finding of severity error does.",
							 NULL,
							 &sm_lint_on_upgrade,
							 SM_LINT_WARNING,
							 lint_mode_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("schemamig.max_rewrite_size",
							"Sets the largest table a migration may rewrite.",
							"-1 disables the check.",
							&sm_max_rewrite_size,
							-1, -1, INT_MAX,
							PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomBoolVariable("schemamig.offline_script",
							 "Marks a transaction that runs an offline migration script.",
							 "Set by the scripts of upgrade_sql() and downgrade_sql(), so that their DDL is not recorded as drift.",
							 &sm_offline_script,
							 false,
							 PGC_SUSET,
							 GUC_NOT_IN_SAMPLE,
							 NULL, NULL, NULL);

	DefineCustomBoolVariable("schemamig.progress",
							 "Sends a notice when each revision starts, not only when it is done.",
							 "The notice has SQLSTATE 00SM1; the pg_schemamig client sets this to print each step as it starts.",
							 &sm_progress,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	MarkGUCPrefixReserved("schemamig");

	RegisterXactCallback(sm_xact_callback, NULL);
	sm_planstep_install_hooks();
}

PG_FUNCTION_INFO_V1(schemamig_library_version);

/*
 * schemamig.library_version(): the version the library was built as, so the
 * client and the tests can check it against the installed SQL.
 */
Datum
schemamig_library_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(PG_SCHEMAMIG_VERSION));
}
