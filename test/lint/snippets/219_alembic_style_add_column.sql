-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE acct ADD COLUMN priority VARCHAR;
UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'b1';
