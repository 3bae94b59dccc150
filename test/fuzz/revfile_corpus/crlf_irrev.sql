-- revision: c1
-- down_revision:
-- transactional: false
-- irreversible: true
-- message: idx
-- +upgrade
CREATE INDEX CONCURRENTLY i ON t (a);
