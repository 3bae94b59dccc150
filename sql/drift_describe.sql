-- describe() and fingerprint(): the canonical schema description.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_schemamig CASCADE;
CREATE EXTENSION pg_schemamig;
RESET client_min_messages;
\set VERBOSITY terse

CREATE SCHEMA dd;
CREATE TYPE dd.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN dd.posint AS integer NOT NULL DEFAULT 1 CONSTRAINT positive CHECK (VALUE > 0);
CREATE TYPE dd.pair AS (a integer, b text COLLATE "C");
CREATE TABLE dd.owner (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE dd.pet (
    id serial PRIMARY KEY,
    owner_id bigint REFERENCES dd.owner (id) ON DELETE CASCADE DEFERRABLE,
    name varchar(40) COLLATE "C" NOT NULL,
    mood dd.mood DEFAULT 'ok',
    legs dd.posint,
    weight numeric(6,2) CHECK (weight > 0),
    heavy boolean GENERATED ALWAYS AS (weight > 50) STORED
);
CREATE INDEX pet_name ON dd.pet (lower(name)) INCLUDE (mood) WHERE legs > 2;
CREATE VIEW dd.happy_pet AS SELECT id, name FROM dd.pet WHERE mood = 'happy';
COMMENT ON TABLE dd.pet IS 'pets';
COMMENT ON COLUMN dd.pet.name IS 'the name';
CREATE FUNCTION dd.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER pet_touch BEFORE UPDATE ON dd.pet FOR EACH ROW EXECUTE FUNCTION dd.touch();
ALTER TABLE dd.pet ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON dd.pet FOR SELECT USING (legs > 0);

-- readable and deterministic
\a
\t on
SELECT jsonb_pretty(schemamig.describe(ARRAY['dd']));
\t off
\a

-- the caller's search_path does not matter
SELECT schemamig.fingerprint(ARRAY['dd']) AS fp \gset
SET search_path = dd, public;
SELECT schemamig.fingerprint(ARRAY['dd']) = :'fp' AS same_under_other_search_path;
RESET search_path;
-- nor temporary objects that share a name with the described ones
CREATE TEMP TABLE pet (x integer);
CREATE TEMP TABLE owner (x integer);
SELECT schemamig.fingerprint(ARRAY['dd']) = :'fp' AS same_with_shadowing_temp_tables;
DROP TABLE pg_temp.pet, pg_temp.owner;
-- nor the order of the schema list, duplicates or missing schemas
SELECT schemamig.fingerprint(ARRAY['nosuch', 'dd', 'dd']) = :'fp' AS same_with_missing_schema;
SELECT schemamig.describe(ARRAY['nosuch']) AS missing_schema_is_left_out;
SELECT schemamig.describe(ARRAY[]::text[]) AS no_schema;
SELECT schemamig.fingerprint(ARRAY[NULL]::text[]);
-- the default covers every non-system schema, not schemamig
SELECT k AS described FROM jsonb_object_keys(schemamig.describe()) k ORDER BY k COLLATE "C";
SELECT length(schemamig.fingerprint()) AS hex_length;

-- Two histories that end in the same schema give the same fingerprint.
-- History A: everything in one go.
CREATE SCHEMA hist;
CREATE TYPE hist.color AS ENUM ('red', 'green', 'blue');
CREATE TABLE hist.item (
    id integer PRIMARY KEY,
    name text NOT NULL,
    color hist.color,
    price numeric(8,2) CONSTRAINT price_positive CHECK (price > 0)
);
CREATE INDEX item_name ON hist.item (name);
CREATE VIEW hist.cheap AS SELECT id, name FROM hist.item WHERE price < 10;
SELECT schemamig.fingerprint(ARRAY['hist']) AS fp_a \gset
SELECT schemamig.describe(ARRAY['hist'])->'hist' AS desc_a \gset
DROP SCHEMA hist CASCADE;
-- History B: piecemeal, with detours, other column order and other OIDs.
CREATE SCHEMA hist;
CREATE TABLE hist.item (id integer, price numeric(4,2));
CREATE TYPE hist.color AS ENUM ('red', 'blue');
ALTER TYPE hist.color ADD VALUE 'green' BEFORE 'blue';
ALTER TABLE hist.item ADD COLUMN junk integer, ADD COLUMN name varchar(5);
ALTER TABLE hist.item DROP COLUMN junk;
ALTER TABLE hist.item ALTER COLUMN name TYPE text, ALTER COLUMN name SET NOT NULL;
ALTER TABLE hist.item ADD COLUMN color hist.color;
ALTER TABLE hist.item ALTER COLUMN price TYPE numeric(8,2);
ALTER TABLE hist.item ADD CONSTRAINT price_positive CHECK (price > 0);
CREATE INDEX item_name ON hist.item (name, id);
DROP INDEX hist.item_name;
CREATE INDEX item_name ON hist.item (name);
ALTER TABLE hist.item ADD PRIMARY KEY (id);
CREATE VIEW hist.cheap AS SELECT id FROM hist.item;
CREATE OR REPLACE VIEW hist.cheap AS SELECT id, name FROM hist.item WHERE price < 10;
SELECT schemamig.fingerprint(ARRAY['hist']) = :'fp_a' AS same_fingerprint;
-- a copy in a schema with another name describes the same
CREATE SCHEMA hist_copy;
CREATE TYPE hist_copy.color AS ENUM ('red', 'green', 'blue');
CREATE TABLE hist_copy.item (id integer PRIMARY KEY, name text NOT NULL, color hist_copy.color,
    price numeric(8,2) CONSTRAINT price_positive CHECK (price > 0));
CREATE INDEX item_name ON hist_copy.item (name);
CREATE VIEW hist_copy.cheap AS SELECT id, name FROM hist_copy.item WHERE price < 10;
SELECT schemamig.describe(ARRAY['hist_copy'])->'hist_copy' = :'desc_a'::jsonb AS same_under_other_name;
DROP SCHEMA hist, hist_copy CASCADE;

-- Every kind of change changes the fingerprint of schema "fk".
CREATE SCHEMA fk;
CREATE TABLE public.fp_log (n serial, step text, fp text);
CREATE FUNCTION public.changed(step text) RETURNS boolean LANGUAGE sql AS $$
    WITH prev AS (SELECT fp FROM public.fp_log ORDER BY n DESC LIMIT 1),
         ins AS (INSERT INTO public.fp_log (step, fp)
                 VALUES (step, schemamig.fingerprint(ARRAY['fk'])) RETURNING fp)
    SELECT (SELECT fp FROM ins) IS DISTINCT FROM (SELECT fp FROM prev)
$$;
SELECT public.changed('start');
CREATE TABLE fk.t (a integer, b text, r int4range);
SELECT public.changed('create table');
ALTER TABLE fk.t ADD COLUMN c varchar(10);
SELECT public.changed('add column');
ALTER TABLE fk.t ALTER COLUMN c TYPE varchar(20);
SELECT public.changed('column typmod');
ALTER TABLE fk.t ALTER COLUMN c TYPE text;
SELECT public.changed('column type');
ALTER TABLE fk.t ALTER COLUMN b TYPE text COLLATE "C";
SELECT public.changed('column collation');
ALTER TABLE fk.t ALTER COLUMN a SET NOT NULL;
SELECT public.changed('not null');
ALTER TABLE fk.t ALTER COLUMN b SET DEFAULT 'x';
SELECT public.changed('default');
ALTER TABLE fk.t ALTER COLUMN b SET DEFAULT 'y';
SELECT public.changed('default value');
ALTER TABLE fk.t ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY;
SELECT public.changed('identity');
ALTER TABLE fk.t ALTER COLUMN a SET GENERATED ALWAYS;
SELECT public.changed('identity kind');
ALTER TABLE fk.t ALTER COLUMN a SET INCREMENT BY 5;
SELECT public.changed('identity options');
ALTER TABLE fk.t ADD COLUMN g integer GENERATED ALWAYS AS (a * 2) STORED;
SELECT public.changed('generated column');
ALTER TABLE fk.t ALTER COLUMN c SET STORAGE EXTERNAL;
SELECT public.changed('storage');
ALTER TABLE fk.t ALTER COLUMN c SET STATISTICS 500;
SELECT public.changed('statistics target');
ALTER TABLE fk.t RENAME COLUMN c TO d;
SELECT public.changed('rename column');
ALTER TABLE fk.t DROP COLUMN d;
SELECT public.changed('drop column');
ALTER TABLE fk.t ADD PRIMARY KEY (a);
SELECT public.changed('primary key');
ALTER TABLE fk.t ADD CONSTRAINT t_b_key UNIQUE (b);
SELECT public.changed('unique');
ALTER TABLE fk.t ADD CONSTRAINT t_a_check CHECK (a > 0);
SELECT public.changed('check');
ALTER TABLE fk.t ADD CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&);
SELECT public.changed('exclusion');
CREATE TABLE fk.u (id integer PRIMARY KEY, t_a integer);
SELECT public.changed('second table');
ALTER TABLE fk.u ADD CONSTRAINT u_t_fkey FOREIGN KEY (t_a) REFERENCES fk.t (a) NOT VALID;
SELECT public.changed('foreign key not valid');
ALTER TABLE fk.u VALIDATE CONSTRAINT u_t_fkey;
SELECT public.changed('validate');
ALTER TABLE fk.u ALTER CONSTRAINT u_t_fkey DEFERRABLE INITIALLY DEFERRED;
SELECT public.changed('deferrable');
ALTER TABLE fk.u DROP CONSTRAINT u_t_fkey,
  ADD CONSTRAINT u_t_fkey FOREIGN KEY (t_a) REFERENCES fk.t (a) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
SELECT public.changed('foreign key action');
ALTER TABLE fk.t RENAME CONSTRAINT t_a_check TO t_a_positive;
SELECT public.changed('rename constraint');
CREATE INDEX t_b ON fk.t (b);
SELECT public.changed('index');
DROP INDEX fk.t_b;
CREATE INDEX t_b ON fk.t (b DESC);
SELECT public.changed('index order');
DROP INDEX fk.t_b;
CREATE INDEX t_b ON fk.t USING hash (b);
SELECT public.changed('index method');
DROP INDEX fk.t_b;
CREATE INDEX t_b ON fk.t (b) WHERE a > 10;
SELECT public.changed('index predicate');
DROP INDEX fk.t_b;
CREATE INDEX t_b ON fk.t (b) INCLUDE (a) WHERE a > 10;
SELECT public.changed('index include');
CREATE UNIQUE INDEX t_b_u ON fk.t (b) NULLS NOT DISTINCT;
SELECT public.changed('unique index nulls not distinct');
ALTER INDEX fk.t_b SET (fillfactor = 50);
SELECT public.changed('index options');
ALTER INDEX fk.t_b RENAME TO t_b2;
SELECT public.changed('rename index');
CREATE SEQUENCE fk.s;
SELECT public.changed('sequence');
ALTER SEQUENCE fk.s INCREMENT BY 10 MAXVALUE 1000 CYCLE;
SELECT public.changed('sequence options');
ALTER SEQUENCE fk.s OWNED BY fk.u.id;
SELECT public.changed('sequence owned by');
SELECT nextval('fk.s') > 0 AS used;
SELECT public.changed('sequence value (no change)');
CREATE VIEW fk.v AS SELECT a FROM fk.t;
SELECT public.changed('view');
CREATE OR REPLACE VIEW fk.v AS SELECT a, b FROM fk.t;
SELECT public.changed('view definition');
ALTER VIEW fk.v SET (security_barrier = true);
SELECT public.changed('view option');
CREATE MATERIALIZED VIEW fk.mv AS SELECT a FROM fk.t WITH NO DATA;
SELECT public.changed('materialized view');
CREATE INDEX mv_a ON fk.mv (a);
SELECT public.changed('materialized view index');
CREATE TYPE fk.e AS ENUM ('a', 'b');
SELECT public.changed('enum');
ALTER TYPE fk.e ADD VALUE 'c';
SELECT public.changed('enum value');
ALTER TYPE fk.e RENAME VALUE 'c' TO 'd';
SELECT public.changed('enum rename value');
CREATE DOMAIN fk.dom AS integer;
SELECT public.changed('domain');
ALTER DOMAIN fk.dom ADD CONSTRAINT dom_pos CHECK (VALUE > 0);
SELECT public.changed('domain constraint');
ALTER DOMAIN fk.dom SET DEFAULT 7;
SELECT public.changed('domain default');
ALTER DOMAIN fk.dom SET NOT NULL;
SELECT public.changed('domain not null');
CREATE TYPE fk.comp AS (x integer);
SELECT public.changed('composite type');
ALTER TYPE fk.comp ADD ATTRIBUTE y text;
SELECT public.changed('composite attribute');
CREATE TYPE fk.rng AS RANGE (subtype = float8);
SELECT public.changed('range type');
CREATE FUNCTION fk.f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1';
SELECT public.changed('function');
CREATE OR REPLACE FUNCTION fk.f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 2';
SELECT public.changed('function body');
ALTER FUNCTION fk.f(integer) IMMUTABLE;
SELECT public.changed('function volatility');
ALTER FUNCTION fk.f(integer) SECURITY DEFINER;
SELECT public.changed('security definer');
ALTER FUNCTION fk.f(integer) SET search_path = fk;
SELECT public.changed('function setting');
ALTER FUNCTION fk.f(integer) STRICT PARALLEL SAFE COST 5;
SELECT public.changed('function strict, parallel, cost');
CREATE FUNCTION fk.f(x text) RETURNS text LANGUAGE sql RETURN x || '!';
SELECT public.changed('function overload, SQL-standard body');
CREATE PROCEDURE fk.p() LANGUAGE plpgsql AS $$BEGIN NULL; END$$;
SELECT public.changed('procedure');
CREATE FUNCTION fk.trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
SELECT public.changed('trigger function');
CREATE TRIGGER t_trg BEFORE INSERT ON fk.t FOR EACH ROW EXECUTE FUNCTION fk.trg();
SELECT public.changed('trigger');
ALTER TABLE fk.t DISABLE TRIGGER t_trg;
SELECT public.changed('trigger disabled');
ALTER TABLE fk.t ENABLE ROW LEVEL SECURITY;
SELECT public.changed('row level security');
ALTER TABLE fk.t FORCE ROW LEVEL SECURITY;
SELECT public.changed('force row level security');
CREATE POLICY t_pol ON fk.t FOR SELECT USING (a > 0);
SELECT public.changed('policy');
ALTER POLICY t_pol ON fk.t USING (a > 1);
SELECT public.changed('policy expression');
CREATE RULE t_rule AS ON DELETE TO fk.u DO INSTEAD NOTHING;
SELECT public.changed('rule');
COMMENT ON TABLE fk.t IS 'a table';
SELECT public.changed('comment on table');
COMMENT ON COLUMN fk.t.a IS 'a column';
SELECT public.changed('comment on column');
COMMENT ON FUNCTION fk.f(integer) IS 'a function';
SELECT public.changed('comment on function');
COMMENT ON SCHEMA fk IS 'a schema';
SELECT public.changed('comment on schema');
GRANT SELECT ON fk.t TO PUBLIC;
SELECT public.changed('grant');
REVOKE SELECT ON fk.t FROM PUBLIC;
SELECT public.changed('revoke');
GRANT UPDATE (b) ON fk.t TO PUBLIC;
SELECT public.changed('column grant');
CREATE TABLE fk.part (k integer, v text) PARTITION BY RANGE (k);
SELECT public.changed('partitioned table');
CREATE TABLE fk.part_1 PARTITION OF fk.part FOR VALUES FROM (0) TO (10);
SELECT public.changed('partition');
CREATE TABLE fk.part_2 (k integer, v text);
ALTER TABLE fk.part ATTACH PARTITION fk.part_2 FOR VALUES FROM (10) TO (20);
SELECT public.changed('attach partition');
CREATE TABLE fk.child () INHERITS (fk.u);
SELECT public.changed('inheritance');
CREATE UNLOGGED TABLE fk.ul (x integer);
SELECT public.changed('unlogged table');
ALTER TABLE fk.ul SET LOGGED;
SELECT public.changed('set logged');
ALTER TABLE fk.ul SET (fillfactor = 70);
SELECT public.changed('table options');
ALTER TABLE fk.ul REPLICA IDENTITY FULL;
SELECT public.changed('replica identity');
CREATE STATISTICS fk.st ON a, b FROM fk.t;
SELECT public.changed('statistics object');
ALTER TABLE fk.ul RENAME TO ul2;
SELECT public.changed('rename table');
ALTER TABLE fk.ul2 SET SCHEMA public;
SELECT public.changed('move table out');
INSERT INTO fk.u VALUES (1, NULL);
ANALYZE fk.u;
SELECT public.changed('data and statistics (no change)');
DROP TABLE fk.child;
SELECT public.changed('drop table');
-- REVOKE brought back the schema, and so the fingerprint, from before GRANT
SELECT (SELECT fp FROM public.fp_log WHERE step = 'revoke') =
       (SELECT fp FROM public.fp_log WHERE step = 'comment on schema') AS revoke_restores;

-- objects of an extension are left out; the extension is listed
CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA fk;
SELECT schemamig.describe(ARRAY['fk'])->'fk'->'extensions' ? 'btree_gist' AS extension_listed,
       (SELECT count(*) FROM jsonb_object_keys(schemamig.describe(ARRAY['fk'])->'fk'->'functions') k
         WHERE k LIKE 'gbt%') AS member_functions_listed,
       (SELECT count(*) FROM jsonb_object_keys(schemamig.describe(ARRAY['fk'])->'fk'->'functions') k) AS functions_listed;
DROP EXTENSION btree_gist;

DROP EXTENSION pg_schemamig CASCADE;
DROP SCHEMA dd, fk CASCADE;
DROP TABLE public.ul2, public.fp_log;
DROP FUNCTION public.changed(text);
