-- class: txn
-- truth: safe
-- expect: none
ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';
