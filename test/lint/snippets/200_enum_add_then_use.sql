-- class: txn
-- truth: unsafe
-- expect: unsafe-enum-value-use:error
ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';
SELECT 'happy'::mood;
