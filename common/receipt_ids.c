/*
 * receipt_ids -- see receipt_ids.h.
 *
 * The ids' text lies back to back in txt, each NUL-terminated; a record
 * per id (its text's offset, time, dropped flag) in v, in the order put;
 * an open-addressing index of record numbers (+1, 0 empty), kept at most
 * half full, finds them.  A dropped id keeps its record, so putting it
 * back finds the same one; the space is given back by rx_ids_free.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "receipt_ids.h"
#include "util.h"

struct rec {
	int64_t ms;
	uint32_t off;		/* the text's offset in txt */
	uint32_t dead;
};

struct rx_ids {
	char *txt;
	size_t tlen, tcap;
	struct rec *v;
	size_t n, cap, live;
	uint32_t *idx;
	size_t nidx;		/* a power of two, never half full */
};

struct rx_ids *
rx_ids_new(void)
{
	return xcalloc(1, sizeof(struct rx_ids));
}

void
rx_ids_free(struct rx_ids *s)
{
	if (!s)
		return;
	free(s->txt);
	free(s->v);
	free(s->idx);
	free(s);
}

/* The index slot of id: the one holding it, or the empty one it would
 * take. */
static uint32_t *
slot(const struct rx_ids *s, const char *id, size_t len)
{
	size_t i = (size_t)fnv64(FNV64_INIT, id, len) & (s->nidx - 1);

	while (s->idx[i] && strcmp(s->txt + s->v[s->idx[i] - 1].off, id) != 0)
		i = (i + 1) & (s->nidx - 1);
	return &s->idx[i];
}

/* Room for one more record of len bytes of text. */
static void
grow(struct rx_ids *s, size_t len)
{
	size_t i;

	if (s->tlen + len + 1 > s->tcap) {
		while (s->tlen + len + 1 > s->tcap)
			s->tcap = s->tcap ? s->tcap * 2 : 4096;
		if (s->tcap > UINT32_MAX)
			msg_die(EX_SOFTWARE, "receipt ids: too much text");
		s->txt = xrealloc(s->txt, s->tcap);
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		if (s->cap > UINT32_MAX - 1)
			msg_die(EX_SOFTWARE, "receipt ids: too many");
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	if ((s->n + 1) * 2 <= s->nidx)
		return;
	free(s->idx);
	s->nidx = s->nidx ? s->nidx * 2 : 512;
	s->idx = xcalloc(s->nidx, sizeof *s->idx);
	for (i = 0; i < s->n; i++)
		*slot(s, s->txt + s->v[i].off, strlen(s->txt + s->v[i].off)) =
		    (uint32_t)(i + 1);
}

int
rx_ids_put(struct rx_ids *s, const char *id, int64_t ms)
{
	size_t len = strlen(id);
	uint32_t *sl;
	struct rec *r;
	int fresh = 1;

	grow(s, len);
	sl = slot(s, id, len);
	if (*sl) {
		r = &s->v[*sl - 1];
		fresh = r->dead;
	} else {
		r = &s->v[s->n];
		r->off = (uint32_t)s->tlen;
		memcpy(s->txt + s->tlen, id, len + 1);
		s->tlen += len + 1;
		*sl = (uint32_t)++s->n;
	}
	if (fresh)
		s->live++;
	r->dead = 0;
	r->ms = ms;
	return fresh;
}

int
rx_ids_get(const struct rx_ids *s, const char *id, int64_t *ms)
{
	uint32_t *sl;

	if (!s->nidx)
		return 0;
	sl = slot(s, id, strlen(id));
	if (!*sl || s->v[*sl - 1].dead)
		return 0;
	if (ms)
		*ms = s->v[*sl - 1].ms;
	return 1;
}

void
rx_ids_drop_before(struct rx_ids *s, int64_t from)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!s->v[i].dead && s->v[i].ms < from) {
			s->v[i].dead = 1;
			s->live--;
		}
}

size_t
rx_ids_count(const struct rx_ids *s)
{
	return s->live;
}

int
rx_ids_next(const struct rx_ids *s, size_t *it, const char **id,
    int64_t *ms)
{
	while (*it < s->n) {
		const struct rec *r = &s->v[(*it)++];

		if (r->dead)
			continue;
		if (id)
			*id = s->txt + r->off;
		if (ms)
			*ms = r->ms;
		return 1;
	}
	return 0;
}

static int
by_text(const void *a, const void *b, void *arg)
{
	const struct rx_ids *s = arg;

	return strcmp(s->txt + s->v[*(const uint32_t *)a].off,
	    s->txt + s->v[*(const uint32_t *)b].off);
}

void
rx_ids_sorted(const struct rx_ids *s, rx_ids_fn *fn, void *arg)
{
	uint32_t *o = xcalloc(s->live + 1, sizeof *o);
	size_t i, k;

	for (i = k = 0; i < s->n; i++)
		if (!s->v[i].dead)
			o[k++] = (uint32_t)i;
	qsort_r(o, k, sizeof *o, by_text, (void *)s);
	for (i = 0; i < k; i++)
		fn(s->txt + s->v[o[i]].off, s->v[o[i]].ms, arg);
	free(o);
}
