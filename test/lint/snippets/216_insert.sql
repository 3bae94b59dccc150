-- class: other
-- truth: safe
-- expect: none
INSERT INTO refd VALUES (1000);
