-- class: types
-- truth: unsafe
-- expect: identifier-too-long:warning
CREATE TABLE a_very_long_table_name_that_goes_on_and_on_past_the_limit_of_postgres (id bigint);
