-- revision: 1a2b3c4d5e6f
-- down_revision: 0f9e8d7c6b5a
-- branch_labels: feature-x
-- depends_on: abc
-- transactional: true
-- message: add priority to tasks
-- +upgrade
ALTER TABLE tasks ADD COLUMN priority text NOT NULL DEFAULT 'medium';
-- a comment
-- +downgrade
ALTER TABLE tasks DROP COLUMN priority;
