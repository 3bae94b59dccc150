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
SELECT jsonb_pretty(schemamig.describe(ARRAY['dd']));

-- the caller's search_path does not matter
SELECT schemamig.fingerprint(ARRAY['dd']) AS fp \gset
SET search_path = dd, public;
SELECT schemamig.fingerprint(ARRAY['dd']) = :'fp' AS same_under_other_search_path;
RESET search_path;
-- nor the order of the schema list, duplicates or missing schemas
SELECT schemamig.fingerprint(ARRAY['nosuch', 'dd', 'dd']) = :'fp' AS same_with_missing_schema;
SELECT schemamig.describe(ARRAY['nosuch']) AS missing_schema_is_left_out;
SELECT schemamig.describe(ARRAY[]::text[]) AS no_schema;
SELECT schemamig.fingerprint(ARRAY[NULL]::text[]);
-- the default covers every non-system schema, not schemamig
SELECT k AS described FROM jsonb_object_keys(schemamig.describe()) k ORDER BY k COLLATE "C";
SELECT length(schemamig.fingerprint()) AS hex_length;
