-- class: lock
-- truth: safe
-- expect: none
ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;
