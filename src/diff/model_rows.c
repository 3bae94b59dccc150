/*-------------------------------------------------------------------------
 *
 * model_rows.c
 *	  Running the model's catalog queries (model.c) and holding their rows:
 *	  each query's plan is prepared once per backend, its rows deformed
 *	  once into arrays and, where a read needs them by table, sorted in C.
 *
 * One result at a time, the last query's (diff_rows): each run frees the
 * one before, diff_rows_end the last; diff_rows_begin forgets a result
 * that went with an earlier read's SPI connection.
 *
 * src/diff/model_rows.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "utils/memutils.h"

#include "model_rows.h"

DiffRows	diff_rows;

void
diff_rows_begin(void)
{
	diff_rows.table = NULL;
}

void
diff_rows_end(void)
{
	SPI_freetuptable(diff_rows.table);
	diff_rows.table = NULL;
}

/*
 * diff_rows_run executes one of model.c's queries with $1 = the schemas
 * and returns its row count.  The plans are prepared once per backend and
 * kept (they name catalogs only), which saves most of a small diff's time.
 */
uint64
diff_rows_run(const char *sql, Datum schemas)
{
	static const char *keys[16];
	static SPIPlanPtr plans[16];
	Oid			argtypes[1] = {TEXTARRAYOID};
	Datum		values[1];
	SPIPlanPtr	plan = NULL;
	int			i;
	int			rc;
	uint64		n;
	TupleDesc	desc;
	MemoryContext old;
	uint64		r;

	for (i = 0; i < 16 && keys[i]; i++)
		if (keys[i] == sql)
		{
			plan = plans[i];
			break;
		}
	if (plan == NULL)
	{
		plan = SPI_prepare(sql, 1, argtypes);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed (%s): %s", SPI_result_code_string(SPI_result), sql);
		if (i < 16 && SPI_keepplan(plan) == 0)
		{
			keys[i] = sql;
			plans[i] = plan;
		}
	}
	values[0] = schemas;
	diff_rows_end();
	rc = SPI_execute_plan(plan, values, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed (%s): %s", SPI_result_code_string(rc), sql);
	n = SPI_processed;
	if (n >= PG_UINT32_MAX)
		elog(ERROR, "too many rows for diff: " UINT64_FORMAT, n);
	desc = SPI_tuptable->tupdesc;
	old = MemoryContextSwitchTo(SPI_tuptable->tuptabcxt);
	diff_rows.table = SPI_tuptable;
	diff_rows.n = n;
	diff_rows.natts = desc->natts;
	diff_rows.values = palloc(sizeof(Datum) * Max(n, 1) * desc->natts);
	diff_rows.nulls = palloc(sizeof(bool) * Max(n, 1) * desc->natts);
	diff_rows.order = palloc(sizeof(uint32) * Max(n, 1));
	for (r = 0; r < n; r++)
	{
		heap_deform_tuple(SPI_tuptable->vals[r], desc, diff_rows.values + r * desc->natts,
						  diff_rows.nulls + r * desc->natts);
		diff_rows.order[r] = r;
	}
	MemoryContextSwitchTo(old);
	return n;
}

/* compares two rows (indexes into the arrays) by the columns arg names */
static int
row_cmp(const void *a, const void *b, void *arg)
{
	const int  *cols = arg;
	TupleDesc	desc = diff_rows.table->tupdesc;
	size_t		x = (size_t) *(const uint32 *) a * diff_rows.natts;
	size_t		y = (size_t) *(const uint32 *) b * diff_rows.natts;
	int			k;

	for (k = 1; k <= cols[0]; k++)
	{
		int			col = cols[k] - 1;
		Datum		xd = diff_rows.values[x + col];
		Datum		yd = diff_rows.values[y + col];
		int			c;

		if (TupleDescAttr(desc, col)->atttypid == INT4OID)
			c = (DatumGetInt32(xd) > DatumGetInt32(yd)) - (DatumGetInt32(xd) < DatumGetInt32(yd));
		else
		{
			text	   *xt = DatumGetTextPP(xd);
			text	   *yt = DatumGetTextPP(yd);
			int			xl = VARSIZE_ANY_EXHDR(xt);
			int			yl = VARSIZE_ANY_EXHDR(yt);

			c = memcmp(VARDATA_ANY(xt), VARDATA_ANY(yt), Min(xl, yl));
			if (c == 0)
				c = (xl > yl) - (xl < yl);
		}
		if (c != 0)
			return c;
	}
	return 0;
}

/*
 * diff_rows_sort orders the rows of the last query by the columns
 * cols[1..cols[0]] (text bytewise, as COLLATE "C"; int4 numerically; never
 * NULL), which the read functions need by table.  Sorting here rather than
 * with the queries' ORDER BY halves the cost of the index and column
 * queries: the executor's sort of their wide rows cost as much as
 * computing them.
 */
void
diff_rows_sort(const int *cols)
{
	if (diff_rows.n > 1)
		qsort_arg(diff_rows.order, diff_rows.n, sizeof(uint32), row_cmp, unconstify(int *, cols));
}
