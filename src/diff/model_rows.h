/*-------------------------------------------------------------------------
 *
 * model_rows.h
 *	  The rows of the model's catalog queries (model_rows.c), read by
 *	  model.c through the col_* accessors below.
 *
 * src/diff/model_rows.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_MODEL_ROWS_H
#define SM_MODEL_ROWS_H

#include "executor/spi.h"
#include "utils/builtins.h"

#include "pg_schemamig.h"

/*
 * The rows of the last query, deformed once: reading a later column of a
 * wide result tuple walks all the earlier ones each time.  They live in the
 * result's own memory (freed with it); row i is order[i] (diff_rows_sort).
 */
typedef struct DiffRows
{
	SPITupleTable *table;		/* NULL: none of this read's yet */
	uint64		n;
	int			natts;
	Datum	   *values;
	bool	   *nulls;
	uint32	   *order;
} DiffRows;

extern DiffRows diff_rows;

extern void diff_rows_begin(void);
extern uint64 diff_rows_run(const char *sql, Datum schemas);
extern void diff_rows_sort(const int *cols);
extern void diff_rows_end(void);

#define DIFF_ROW_AT(row, col) ((size_t) diff_rows.order[row] * diff_rows.natts + (col) - 1)

static inline bool
col_isnull(uint64 row, int col)
{
	return diff_rows.nulls[DIFF_ROW_AT(row, col)];
}

static inline Datum
col_datum(uint64 row, int col)
{
	return diff_rows.values[DIFF_ROW_AT(row, col)];
}

static inline char *
col_text(uint64 row, int col)
{
	return col_isnull(row, col) ? NULL : TextDatumGetCString(col_datum(row, col));
}

static inline bool
col_bool(uint64 row, int col)
{
	return col_isnull(row, col) ? false : DatumGetBool(col_datum(row, col));
}

static inline char
col_char(uint64 row, int col)
{
	char	   *s = col_text(row, col);

	return s ? s[0] : '\0';
}

static inline List *
col_array(uint64 row, int col)
{
	return col_isnull(row, col) ? NIL :
		sm_text_array_to_list(DatumGetArrayTypeP(col_datum(row, col)), NULL);
}

static inline Oid
col_oid(uint64 row, int col)
{
	return col_isnull(row, col) ? InvalidOid : DatumGetObjectId(col_datum(row, col));
}

static inline int32
col_int4(uint64 row, int col)
{
	return col_isnull(row, col) ? 0 : DatumGetInt32(col_datum(row, col));
}

#endif							/* SM_MODEL_ROWS_H */
