-------------------------------------------------------------------------------
-- Applying (apply.c, offline.c)
-------------------------------------------------------------------------------

CREATE FUNCTION schemamig.upgrade(target text DEFAULT 'head')
RETURNS TABLE (revision text, direction text, message text, duration interval)
AS 'MODULE_PATHNAME', 'schemamig_upgrade'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.upgrade(text) IS
  'applies every revision needed to reach target, in the caller''s transaction (all or nothing)';

CREATE FUNCTION schemamig.downgrade(target text)
RETURNS TABLE (revision text, direction text, message text, duration interval)
AS 'MODULE_PATHNAME', 'schemamig_downgrade'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.downgrade(text) IS
  'reverts revisions down to target, in the caller''s transaction (all or nothing)';

CREATE FUNCTION schemamig._each_steps(target text, upgrade boolean)
RETURNS TABLE (revision text, heads_before text[], heads_after text[])
AS 'MODULE_PATHNAME', 'schemamig_each_steps'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._each_steps(text, boolean) IS
  'internal: the revisions upgrade_each/downgrade_each will apply, in order, with the version table before and after each';

CREATE FUNCTION schemamig._apply_step(revision text, upgrade boolean,
                                      heads_before text[] DEFAULT NULL, heads_after text[] DEFAULT NULL)
RETURNS boolean
AS 'MODULE_PATHNAME', 'schemamig_apply_step'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._apply_step(text, boolean, text[], text[]) IS
  'internal: applies one revision unless a concurrent caller already did';

CREATE FUNCTION schemamig._lock_retry(subject text, attempt integer)
RETURNS void
AS 'MODULE_PATHNAME', 'schemamig_lock_retry'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._lock_retry(text, integer) IS
  'internal: after a lock timeout, announce the retry and wait the backoff, or raise the final error naming the blocking session';

/*
 * One transaction per revision.  A revision that fails on a lock timeout
 * (schemamig.lock_timeout, default 500 ms) is retried up to
 * schemamig.lock_retries times with exponential backoff; its failed attempt
 * is rolled back by the exception block, which releases its locks and the
 * catalog lock while it waits, and the last failure names the session in
 * the way.  No SET clause: a procedure with one cannot commit, so every name
 * below is schema-qualified.
 */
CREATE PROCEDURE schemamig._each(target text, upgrade boolean)
LANGUAGE plpgsql
AS $$
DECLARE
    step record;
    rev text;
    attempt integer;
    applied boolean := false;
BEGIN
    FOR step IN SELECT * FROM schemamig._each_steps(target, upgrade) LOOP
        rev := step.revision;
        applied := true;
        attempt := 0;
        LOOP
            BEGIN
                PERFORM schemamig._apply_step(rev, upgrade, step.heads_before, step.heads_after);
                EXIT;
            EXCEPTION WHEN lock_not_available THEN
                attempt := attempt OPERATOR(pg_catalog.+) 1;
                PERFORM schemamig._lock_retry(pg_catalog.concat('revision ', rev), attempt);
            END;
        END LOOP;
        COMMIT;
    END LOOP;
    -- one schema snapshot for the heads reached (a fingerprint per revision
    -- would cost a whole-schema description per commit)
    IF applied THEN
        -- a table locked by another session: no snapshot, and no failure
        -- after every revision committed (schemamig.lock_timeout bounds it)
        BEGIN
            PERFORM schemamig.snapshot();
        EXCEPTION WHEN lock_not_available THEN
            RAISE WARNING 'schema snapshot not recorded: %', SQLERRM
                USING HINT = 'Run SELECT schemamig.snapshot() once the lock is released.';
        END;
        COMMIT;
    END IF;
END
$$;
COMMENT ON PROCEDURE schemamig._each(text, boolean) IS
  'internal: the body of upgrade_each and downgrade_each';

CREATE PROCEDURE schemamig.upgrade_each(target text DEFAULT 'head')
LANGUAGE plpgsql
AS $$ BEGIN CALL schemamig._each(target, true); END $$;
COMMENT ON PROCEDURE schemamig.upgrade_each(text) IS
  'applies revisions up to target, one transaction per revision, retrying lock timeouts';

CREATE PROCEDURE schemamig.downgrade_each(target text)
LANGUAGE plpgsql
AS $$ BEGIN CALL schemamig._each(target, false); END $$;
COMMENT ON PROCEDURE schemamig.downgrade_each(text) IS
  'reverts revisions down to target, one transaction per revision, retrying lock timeouts';

CREATE FUNCTION schemamig.plan(target text)
RETURNS TABLE (step integer, revision text, direction text, statement text, transactional boolean)
AS 'MODULE_PATHNAME', 'schemamig_plan'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.plan(text) IS
  'the steps to reach target as executable statements, bookkeeping included (psql: \gexec)';

CREATE FUNCTION schemamig._begin_step(revision text, direction text, statements integer)
RETURNS void
AS 'MODULE_PATHNAME', 'schemamig_begin_step'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._begin_step(text, text, integer) IS
  'internal: opens a plan step (plan() rows call it)';

CREATE FUNCTION schemamig._end_step(revision text, direction text)
RETURNS void
AS 'MODULE_PATHNAME', 'schemamig_end_step'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig._end_step(text, text) IS
  'internal: records a plan step whose statements all completed (plan() rows call it)';

CREATE FUNCTION schemamig.upgrade_sql(target text DEFAULT 'head', from_rev text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_upgrade_sql'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.upgrade_sql(text, text) IS
  'offline mode: the psql script that upgrades to target from from_rev (default: the current heads)';

CREATE FUNCTION schemamig.downgrade_sql(target text, from_rev text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'schemamig_downgrade_sql'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION schemamig.downgrade_sql(text, text) IS
  'offline mode: the psql script that downgrades to target from from_rev (default: the current heads)';

REVOKE EXECUTE ON FUNCTION schemamig.upgrade(text), schemamig.downgrade(text),
    schemamig._each_steps(text, boolean), schemamig._apply_step(text, boolean, text[], text[]),
    schemamig._lock_retry(text, integer),
    schemamig._begin_step(text, text, integer), schemamig._end_step(text, text),
    schemamig.plan(text), schemamig.upgrade_sql(text, text), schemamig.downgrade_sql(text, text)
    FROM PUBLIC;
REVOKE EXECUTE ON PROCEDURE schemamig._each(text, boolean), schemamig.upgrade_each(text),
    schemamig.downgrade_each(text) FROM PUBLIC;
