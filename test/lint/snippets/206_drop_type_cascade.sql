-- class: destructive
-- truth: unsafe
-- expect: dropping-object:warning
DROP TYPE mood CASCADE;
