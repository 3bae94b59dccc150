-- revision: 90ccd322b6f7
-- down_revision: e40fdf15927c, idx1
-- branch_labels:
-- depends_on:
-- transactional: true
-- message: merge it
-- +upgrade

-- +downgrade

