-- class: other
-- truth: safe
-- expect: none
DO $$BEGIN PERFORM 1; END$$;
