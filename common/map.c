/*
 * map -- see map.h.
 *
 * Entries sit in one array in the order they were first put, each a
 * header (key, deleted flag) followed by its value; an open-addressing
 * index of entry numbers (+1, 0 empty), kept at most half full, finds
 * them.  A deleted entry keeps its place and its key, so putting it back
 * finds the same entry; the space is given back by map_free.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "msg.h"
#include "util.h"

struct ent {
	char *key;
	size_t klen;
	int dead;
	/* the value follows, aligned as max_align_t */
};

struct map {
	unsigned char *v;	/* n entries of esize bytes */
	size_t n, cap, live;
	size_t vsize, esize;
	uint32_t *idx;
	size_t nidx;
};

#define ALIGN(x) (((x) + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1))

static struct ent *
ent(const struct map *m, size_t i)
{
	return (struct ent *)(void *)(m->v + i * m->esize);
}

static void *
val(struct ent *e)
{
	return (unsigned char *)e + ALIGN(sizeof *e);
}

struct map *
map_new(size_t vsize)
{
	struct map *m = xcalloc(1, sizeof *m);

	m->vsize = vsize;
	m->esize = ALIGN(sizeof(struct ent)) + ALIGN(vsize);
	return m;
}

void
map_free(struct map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		free(ent(m, i)->key);
	free(m->v);
	free(m->idx);
	free(m);
}

/* The index slot of key: the one holding it, or the empty one it would
 * take.  nidx is a power of two, never full. */
static uint32_t *
slot(const struct map *m, const char *key, size_t klen)
{
	size_t i = (size_t)fnv64(FNV64_INIT, key, klen) & (m->nidx - 1);
	struct ent *e;

	while (m->idx[i]) {
		e = ent(m, m->idx[i] - 1);
		if (e->klen == klen && memcmp(e->key, key, klen) == 0)
			break;
		i = (i + 1) & (m->nidx - 1);
	}
	return &m->idx[i];
}

static void
grow(struct map *m)
{
	size_t i;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		if (m->cap > UINT32_MAX - 1 || m->cap > SIZE_MAX / m->esize)
			msg_die(EX_SOFTWARE, "map: too many keys");
		m->v = xrealloc(m->v, m->cap * m->esize);
	}
	if ((m->n + 1) * 2 <= m->nidx)
		return;
	free(m->idx);
	m->nidx = m->nidx ? m->nidx * 2 : 32;
	m->idx = xcalloc(m->nidx, sizeof *m->idx);
	for (i = 0; i < m->n; i++)
		*slot(m, ent(m, i)->key, ent(m, i)->klen) = (uint32_t)(i + 1);
}

void *
map_getn(const struct map *m, const char *key, size_t klen)
{
	uint32_t *s;
	struct ent *e;

	if (!m->nidx)
		return NULL;
	s = slot(m, key, klen);
	if (!*s)
		return NULL;
	e = ent(m, *s - 1);
	return e->dead ? NULL : val(e);
}

void *
map_get(const struct map *m, const char *key)
{
	return map_getn(m, key, strlen(key));
}

void *
map_putn(struct map *m, const char *key, size_t klen, int *isnew)
{
	uint32_t *s;
	struct ent *e;
	int fresh = 1;

	grow(m);
	s = slot(m, key, klen);
	if (*s) {
		e = ent(m, *s - 1);
		fresh = e->dead;
	} else {
		e = ent(m, m->n);
		e->key = xmalloc(klen + 1);	/* exactly klen bytes: a NUL in
						 * them (map.h forbids it) can
						 * never shorten the key */
		memcpy(e->key, key, klen);
		e->key[klen] = 0;
		e->klen = klen;
		*s = (uint32_t)++m->n;
	}
	if (fresh) {
		e->dead = 0;
		memset(val(e), 0, m->vsize);
		m->live++;
	}
	if (isnew)
		*isnew = fresh;
	return val(e);
}

void *
map_put(struct map *m, const char *key, int *isnew)
{
	return map_putn(m, key, strlen(key), isnew);
}

int
map_del(struct map *m, const char *key)
{
	uint32_t *s;
	struct ent *e;

	if (!m->nidx)
		return 0;
	s = slot(m, key, strlen(key));
	if (!*s || (e = ent(m, *s - 1))->dead)
		return 0;
	e->dead = 1;
	m->live--;
	return 1;
}

size_t
map_count(const struct map *m)
{
	return m->live;
}

void *
map_next(const struct map *m, size_t *it, const char **key)
{
	struct ent *e;

	while (*it < m->n) {
		e = ent(m, (*it)++);
		if (e->dead)
			continue;
		if (key)
			*key = e->key;
		return val(e);
	}
	return NULL;
}

const char **
map_sorted(const struct map *m, size_t *n)
{
	const char **v = xcalloc(m->live + 1, sizeof *v);
	size_t it = 0, k = 0;
	const char *key;

	while (map_next(m, &it, &key))
		v[k++] = key;
	qsort(v, k, sizeof *v, str_pcmp);
	*n = k;
	return v;
}
