-- class: other
-- truth: safe
-- expect: none
ALTER TABLE empty_t ENABLE ROW LEVEL SECURITY;
