/*-------------------------------------------------------------------------
 *
 * fe_list.c
 *	  The List functions (nodes/pg_list.h) that src/common calls, for the
 *	  client build: PostgreSQL implements them in the backend only.
 *
 * Same representation and semantics as the backend's list.c: an array of
 * cells, grown by doubling; the server build compiles nothing here.
 *
 * src/common/fe_list.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#ifdef FRONTEND

#define LIST_MIN_CELLS 8

static List *
new_list(NodeTag type, int length)
{
	int			max = Max(length, LIST_MIN_CELLS);
	List	   *l = palloc(offsetof(List, initial_elements) + max * sizeof(ListCell));

	l->type = type;
	l->length = length;
	l->max_length = max;
	l->elements = l->initial_elements;
	return l;
}

static void
enlarge_list(List *l, int min_size)
{
	int			max = l->max_length;

	if (min_size <= max)
		return;
	while (max < min_size)
		max *= 2;
	if (l->elements == l->initial_elements)
	{
		l->elements = palloc(max * sizeof(ListCell));
		memcpy(l->elements, l->initial_elements, l->length * sizeof(ListCell));
	}
	else
		l->elements = repalloc(l->elements, max * sizeof(ListCell));
	l->max_length = max;
}

List *
list_make1_impl(NodeTag t, ListCell datum1)
{
	List	   *l = new_list(t, 1);

	l->elements[0] = datum1;
	return l;
}

List *
list_make2_impl(NodeTag t, ListCell datum1, ListCell datum2)
{
	List	   *l = new_list(t, 2);

	l->elements[0] = datum1;
	l->elements[1] = datum2;
	return l;
}

List *
lappend(List *list, void *datum)
{
	if (list == NIL)
		return list_make1(datum);
	enlarge_list(list, list->length + 1);
	list->elements[list->length++].ptr_value = datum;
	return list;
}

List *
lappend_int(List *list, int datum)
{
	if (list == NIL)
		return list_make1_int(datum);
	enlarge_list(list, list->length + 1);
	list->elements[list->length++].int_value = datum;
	return list;
}

List *
list_insert_nth(List *list, int pos, void *datum)
{
	if (list == NIL)
	{
		Assert(pos == 0);
		return list_make1(datum);
	}
	Assert(pos >= 0 && pos <= list->length);
	enlarge_list(list, list->length + 1);
	memmove(&list->elements[pos + 1], &list->elements[pos],
			(list->length - pos) * sizeof(ListCell));
	list->elements[pos].ptr_value = datum;
	list->length++;
	return list;
}

List *
list_concat(List *list1, const List *list2)
{
	int			n;

	if (list1 == NIL)
		return list_copy(list2);
	if (list2 == NIL)
		return list1;
	n = list2->length;
	enlarge_list(list1, list1->length + n);
	memcpy(&list1->elements[list1->length], list2->elements, n * sizeof(ListCell));
	list1->length += n;
	return list1;
}

List *
list_copy(const List *list)
{
	List	   *r;

	if (list == NIL)
		return NIL;
	r = new_list(list->type, list->length);
	memcpy(r->elements, list->elements, list->length * sizeof(ListCell));
	return r;
}

List *
list_delete_nth_cell(List *list, int n)
{
	Assert(list != NIL && n >= 0 && n < list->length);
	if (list->length == 1)
	{
		list_free(list);
		return NIL;
	}
	memmove(&list->elements[n], &list->elements[n + 1],
			(list->length - 1 - n) * sizeof(ListCell));
	list->length--;
	return list;
}

List *
list_delete_last(List *list)
{
	if (list == NIL)
		return NIL;
	return list_delete_nth_cell(list, list->length - 1);
}

void
list_free(List *list)
{
	if (list == NIL)
		return;
	if (list->elements != list->initial_elements)
		pfree(list->elements);
	pfree(list);
}

#endif							/* FRONTEND */
