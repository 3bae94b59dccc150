-- class: data
-- truth: unsafe
-- expect: adding-required-field:warning
ALTER TABLE nosuch ADD COLUMN x text NOT NULL;
