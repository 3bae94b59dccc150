-- class: other
-- truth: safe
-- expect: none
ALTER TABLE tiny ENABLE ROW LEVEL SECURITY;
