-- class: compat
-- truth: unsafe
-- expect: renaming-enum-value:warning
ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
