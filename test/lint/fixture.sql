-- Fixture for the lint snippet corpus (test/lint/snippets/*.sql).
-- acct holds 20000 rows (about 2 MB: lock findings are warnings), tiny holds
-- 10 rows (findings are info), empty_t none (no lock findings), and the
-- snippets that say "fresh" create their table in the same SQL.
CREATE TABLE acct (id bigint PRIMARY KEY, email text, name varchar(50), n integer,
                   amount numeric(10,2), created timestamp, code text NOT NULL);
INSERT INTO acct SELECT i, 'u' || i || '@example.com', 'name ' || i, i, i, '2024-01-01', 'c' || i
  FROM generate_series(1, 20000) i;
ALTER TABLE acct ADD CONSTRAINT acct_n_nn CHECK (n IS NOT NULL);
CREATE INDEX acct_email_idx ON acct (email);
CREATE UNIQUE INDEX acct_email_uidx ON acct (email);
CREATE TABLE tiny (LIKE acct INCLUDING ALL);
INSERT INTO tiny SELECT * FROM acct WHERE id <= 10;
CREATE TABLE empty_t (LIKE acct INCLUDING ALL);
CREATE TABLE refd (id bigint PRIMARY KEY);
INSERT INTO refd SELECT generate_series(1, 100);
CREATE TABLE nopk (id bigint NOT NULL, v text);
INSERT INTO nopk SELECT i, repeat('v', 60) FROM generate_series(1, 20000) i;
CREATE TABLE nopk_empty (id bigint NOT NULL, v text);
CREATE TABLE events (id bigint, d date, v text) PARTITION BY RANGE (d);
CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
INSERT INTO events SELECT i, '2023-01-01'::date + (i % 365), repeat('e', 60) FROM generate_series(1, 20000) i;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN posint AS integer;
CREATE VIEW acct_v AS SELECT id, email FROM acct;
ANALYZE;
