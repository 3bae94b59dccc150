-- The round-trip check of one desired schema, included by the diff_*.sql
-- regress files (\i sql/include/diff_rt.sql: pg_regress runs at the top).
-- rt(schema, ddl): 'N steps, upgrade exact|DIFFERS, second diff N steps, downgrade exact|DIFFERS'
CREATE FUNCTION pg_temp.rt(s text, ddl text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  live jsonb := schemamig.describe(ARRAY[s]);
  want jsonb; got jsonb; back jsonb;
  n int := 0; second int;
  downs text[] := '{}';
  r record;
BEGIN
  BEGIN
    SET LOCAL client_min_messages = warning;
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
    EXECUTE format('CREATE SCHEMA %I', s);
    PERFORM set_config('search_path', s, true);
    EXECUTE ddl;
    want := schemamig.describe(ARRAY[s]);
    RAISE EXCEPTION 'rollback';
  EXCEPTION WHEN raise_exception THEN
  END;
  BEGIN
    FOR r IN SELECT * FROM schemamig.diff(ddl, s) ORDER BY step LOOP
      EXECUTE r.upgrade;
      downs := r.downgrade || downs;
      n := n + 1;
    END LOOP;
    got := schemamig.describe(ARRAY[s]);
    SELECT count(*) INTO second FROM schemamig.diff(ddl, s);
    FOR i IN 1 .. coalesce(array_length(downs, 1), 0) LOOP
      EXECUTE downs[i];
    END LOOP;
    back := schemamig.describe(ARRAY[s]);
    RAISE EXCEPTION 'rollback';
  EXCEPTION WHEN raise_exception THEN
  END;
  RETURN format('%s steps, upgrade %s, second diff %s steps, downgrade %s', n,
                CASE WHEN got = want THEN 'exact' ELSE 'DIFFERS' END, second,
                CASE WHEN back = live THEN 'exact' ELSE 'DIFFERS' END);
END $$;
