-- diff(): one case per object kind of the contract, each checked for an
-- exact round trip (pg_temp.rt / pg_temp.rtd as in diff_basic) and shown.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

-- rt(schema, ddl): 'N steps, upgrade exact|DIFFERS, second diff N steps, downgrade exact|DIFFERS'
CREATE FUNCTION pg_temp.rt(s text, ddl text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  live jsonb := schemamig.describe(ARRAY[s]);
  want jsonb; got jsonb; back jsonb;
  n int := 0; second int;
  downs text[] := '{}';
  r record;
  res text;
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

CREATE SCHEMA k;
SET search_path = k;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CONSTRAINT positive CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b text);
CREATE SEQUENCE counter;
CREATE TABLE person (id int PRIMARY KEY, name text, mood mood DEFAULT 'ok', legs posint,
                     email text, age int, during tsrange);
CREATE TABLE pet (id int PRIMARY KEY, owner int REFERENCES person (id));
CREATE VIEW happy AS SELECT id, name FROM person WHERE mood = 'happy';
CREATE MATERIALIZED VIEW moods AS SELECT mood, count(*) AS n FROM person GROUP BY mood;
CREATE FUNCTION greet(p person) RETURNS text LANGUAGE sql STABLE RETURN 'hi ' || p.name;
CREATE PROCEDURE touch(i int) LANGUAGE sql AS $p$ UPDATE k.person SET age = age WHERE id = i $p$;
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;
CREATE TRIGGER person_stamp BEFORE UPDATE ON person FOR EACH ROW EXECUTE FUNCTION stamp();
INSERT INTO person VALUES (1, 'a', 'sad', 4, 'a@x', 3, NULL), (2, 'b', 'happy', 2, 'b@x', 5, NULL);
RESET search_path;
SELECT pg_catalog.set_config('k.base', $$
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CONSTRAINT positive CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b text);
CREATE SEQUENCE counter;
CREATE TABLE person (id int PRIMARY KEY, name text, mood mood DEFAULT 'ok', legs posint,
                     email text, age int, during tsrange);
CREATE TABLE pet (id int PRIMARY KEY, owner int REFERENCES person (id));
CREATE VIEW happy AS SELECT id, name FROM person WHERE mood = 'happy';
CREATE MATERIALIZED VIEW moods AS SELECT mood, count(*) AS n FROM person GROUP BY mood;
CREATE FUNCTION greet(p person) RETURNS text LANGUAGE sql STABLE RETURN 'hi ' || p.name;
CREATE PROCEDURE touch(i int) LANGUAGE sql AS $p$ UPDATE k.person SET age = age WHERE id = i $p$;
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;
CREATE TRIGGER person_stamp BEFORE UPDATE ON person FOR EACH ROW EXECUTE FUNCTION stamp();
$$, false) IS NOT NULL AS base;
SELECT count(*) AS no_change FROM schemamig.diff(current_setting('k.base'), 'k');

-- helper: the base DDL with one text replaced
CREATE FUNCTION pg_temp.v(a text, b text) RETURNS text LANGUAGE sql
  RETURN replace(current_setting('k.base'), a, b);
CREATE FUNCTION pg_temp.plus(extra text) RETURNS text LANGUAGE sql
  RETURN current_setting('k.base') || extra;

\echo == enum: a value added in the middle
SELECT upgrade, downgrade FROM schemamig.diff(pg_temp.v($$('sad', 'ok', 'happy')$$, $$('sad', 'meh', 'ok', 'happy')$$), 'k');
\echo == enum: a value dropped (rebuilt, data kept)
SELECT upgrade, hazard FROM schemamig.diff(pg_temp.v($$('sad', 'ok', 'happy')$$, $$('ok', 'happy')$$), 'k');
UPDATE k.person SET mood = 'ok' WHERE mood = 'sad';
SELECT pg_temp.rt('k', pg_temp.v($$('sad', 'ok', 'happy')$$, $$('ok', 'happy')$$));
\echo == enum: reordered
SELECT pg_temp.rt('k', pg_temp.v($$('sad', 'ok', 'happy')$$, $$('happy', 'ok', 'sad')$$));
\echo == domain: constraint changed, base type changed
SELECT upgrade, downgrade FROM schemamig.diff(pg_temp.v('VALUE > 0', 'VALUE > 1'), 'k');
SELECT pg_temp.rt('k', pg_temp.v('DOMAIN posint AS integer', 'DOMAIN posint AS bigint'));
\echo == composite type: attribute appended, attribute changed
SELECT upgrade, downgrade FROM schemamig.diff(pg_temp.v('(a integer, b text)', '(a integer, b text, c date)'), 'k');
SELECT pg_temp.rt('k', pg_temp.v('(a integer, b text)', '(a bigint, b text)'));
\echo == sequence and owner
SELECT upgrade, downgrade FROM schemamig.diff(pg_temp.plus('ALTER SEQUENCE counter INCREMENT 10 OWNED BY pet.id;'), 'k');
SELECT pg_temp.rt('k', pg_temp.plus('ALTER SEQUENCE counter INCREMENT 10 OWNED BY pet.id;'));
\echo == column type with a view over it (view rebuilt around the change)
SELECT upgrade FROM schemamig.diff(pg_temp.v('name text,', 'name varchar(80),'), 'k');
SELECT pg_temp.rt('k', pg_temp.v('name text,', 'name varchar(80),'));
\echo == generated column, identity, collation
SELECT pg_temp.rt('k', pg_temp.v('owner int REFERENCES', 'twice int GENERATED ALWAYS AS (id * 2) STORED, owner int REFERENCES'));
SELECT pg_temp.rt('k', pg_temp.v('CREATE TABLE pet (id int PRIMARY KEY', 'CREATE TABLE pet (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY'));
SELECT pg_temp.rt('k', pg_temp.v('email text,', 'email text COLLATE "C",'));
\echo == exclusion constraint, unique with NULLS NOT DISTINCT, deferrable foreign key
SELECT pg_temp.rt('k', pg_temp.plus('ALTER TABLE person ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);'));
SELECT pg_temp.rt('k', pg_temp.plus('ALTER TABLE person ADD CONSTRAINT email_u UNIQUE NULLS NOT DISTINCT (email);'));
SELECT pg_temp.rt('k', pg_temp.v('REFERENCES person (id)', 'REFERENCES person (id) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED'));
\echo == check constraint over existing rows: hazard with the count
SELECT upgrade, hazard FROM schemamig.diff(pg_temp.plus('ALTER TABLE person ADD CONSTRAINT adult CHECK (age > 4);'), 'k');
\echo == indexes: hash, gin expression, partial, INCLUDE, sort order
SELECT pg_temp.rt('k', pg_temp.plus($$CREATE INDEX p_h ON person USING hash (email);
  CREATE INDEX p_g ON person USING gin (to_tsvector('simple', name));
  CREATE INDEX p_p ON person (age DESC NULLS LAST) INCLUDE (name) WHERE age > 1;$$));
\echo == view and materialized view changed
SELECT upgrade FROM schemamig.diff(pg_temp.v($$mood = 'happy'$$, $$mood <> 'sad'$$), 'k');
SELECT pg_temp.rt('k', pg_temp.v('count(*) AS n', 'count(*) AS total'));
\echo == function body, function signature, procedure
SELECT upgrade, downgrade, hazard FROM schemamig.diff(pg_temp.v($$'hi ' || p.name$$, $$'hello ' || p.name$$), 'k');
SELECT pg_temp.rt('k', pg_temp.v('greet(p person) RETURNS text', 'greet(p person, x int DEFAULT 0) RETURNS text'));
SELECT pg_temp.rt('k', pg_temp.v('SET age = age', 'SET age = age + 1'));
\echo == trigger changed and disabled
SELECT pg_temp.rt('k', pg_temp.v('BEFORE UPDATE ON person', 'BEFORE INSERT OR UPDATE ON person'));
SELECT pg_temp.rt('k', pg_temp.plus('ALTER TABLE person DISABLE TRIGGER person_stamp;'));
\echo == comments
SELECT upgrade, downgrade FROM schemamig.diff(pg_temp.plus($$COMMENT ON TABLE person IS 'people';
  COMMENT ON COLUMN person.name IS 'full name'; COMMENT ON FUNCTION stamp() IS 'touch';
  COMMENT ON TYPE mood IS 'feelings'; COMMENT ON INDEX person_pkey IS 'pk';$$), 'k');
\echo == grants
SELECT upgrade, downgrade, hazard FROM schemamig.diff(pg_temp.plus($$GRANT SELECT ON person TO PUBLIC;
  GRANT UPDATE (name) ON person TO PUBLIC; REVOKE EXECUTE ON FUNCTION stamp() FROM PUBLIC;$$), 'k');
SELECT pg_temp.rt('k', pg_temp.plus('GRANT SELECT ON person TO PUBLIC; REVOKE EXECUTE ON FUNCTION stamp() FROM PUBLIC;'));
\echo == row-level security and policies
SELECT pg_temp.rt('k', pg_temp.plus($$ALTER TABLE person ENABLE ROW LEVEL SECURITY; ALTER TABLE person FORCE ROW LEVEL SECURITY;
  CREATE POLICY mine ON person FOR SELECT TO PUBLIC USING (name = current_user);$$));
\echo == partitioned table with partitions, partition bound changed
SELECT pg_temp.rt('k', pg_temp.plus($$CREATE TABLE ev (id int, at date NOT NULL) PARTITION BY RANGE (at);
  CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE INDEX ev_at ON ev (at);$$));
\echo == storage parameters, unlogged, replica identity
SELECT pg_temp.rt('k', pg_temp.v('CREATE TABLE pet (id int PRIMARY KEY, owner int REFERENCES person (id));',
  'CREATE UNLOGGED TABLE pet (id int PRIMARY KEY, owner int) WITH (fillfactor = 70); ALTER TABLE pet REPLICA IDENTITY FULL;'));
\echo == extensions and schemas (several schemas at once)
SELECT upgrade, downgrade FROM schemamig.diff($$CREATE SCHEMA audit; CREATE EXTENSION citext WITH SCHEMA audit;
  CREATE TABLE audit.log (id int, who audit.citext);$$, ARRAY['audit']);
SELECT count(*) AS nothing_left FROM pg_extension WHERE extname = 'citext';

-- leave nothing for the tests that follow
SET client_min_messages = warning;
DROP SCHEMA k CASCADE;
RESET client_min_messages;
