-- class: compat
-- truth: safe
-- expect: none
ALTER TYPE mood ADD VALUE 'happy';
