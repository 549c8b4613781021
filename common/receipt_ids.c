/*
 * receipt_ids -- see receipt_ids.h.
 *
 * A map (map.h) whose value is the id's time: map.c's compact layout
 * (the ids' text back to back, a 16-byte entry for an int64 value, a
 * 4-byte index slot) is what made this set small.  A dropped id is a
 * deleted key: putting it back makes it new again.
 */
#include <stdint.h>
#include <stdlib.h>

#include "map.h"
#include "receipt_ids.h"
#include "util.h"

struct rx_ids {
	struct map *m;		/* id -> int64_t ms */
};

struct rx_ids *
rx_ids_new(void)
{
	struct rx_ids *s = xcalloc(1, sizeof *s);

	s->m = map_new(sizeof(int64_t));
	return s;
}

void
rx_ids_free(struct rx_ids *s)
{
	if (!s)
		return;
	map_free(s->m);
	free(s);
}

int
rx_ids_put(struct rx_ids *s, const char *id, int64_t ms)
{
	int isnew;

	*(int64_t *)map_put(s->m, id, &isnew) = ms;
	return isnew;
}

int
rx_ids_get(const struct rx_ids *s, const char *id, int64_t *ms)
{
	const int64_t *v = map_get(s->m, id);

	if (v && ms)
		*ms = *v;
	return v != NULL;
}

void
rx_ids_drop_before(struct rx_ids *s, int64_t from)
{
	const int64_t *v;
	const char *id;
	size_t it = 0;

	/* deleting during the walk is allowed (map.h) */
	while ((v = map_next(s->m, &it, &id)) != NULL)
		if (*v < from)
			map_del(s->m, id);
}

size_t
rx_ids_count(const struct rx_ids *s)
{
	return map_count(s->m);
}

int
rx_ids_next(const struct rx_ids *s, size_t *it, const char **id,
    int64_t *ms)
{
	const int64_t *v = map_next(s->m, it, id);

	if (v && ms)
		*ms = *v;
	return v != NULL;
}

void
rx_ids_sorted(const struct rx_ids *s, rx_ids_fn *fn, void *arg)
{
	const char **v;
	size_t i, n;

	v = map_sorted(s->m, &n);
	for (i = 0; i < n; i++)
		fn(v[i], *(const int64_t *)map_get(s->m, v[i]), arg);
	free(v);
}
