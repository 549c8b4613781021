/*
 * map -- see map.h.
 *
 * A few large arrays, not one allocation per key: the keys' text back
 * to back in txt, each NUL-terminated; the entries in v in the order
 * they were first put, each a 4-byte header (the key's offset in txt,
 * and a deleted bit) followed by its value, aligned as the value needs
 * (a value's size is a multiple of its alignment); an open-addressing
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

#define DEAD	0x80000000u	/* in a header: the key is deleted */
#define TXTMAX	0x80000000u	/* the rest of a header: txt's offsets */

struct map {
	char *txt;		/* the keys, NUL-terminated, back to back */
	size_t tlen, tcap;
	unsigned char *v;	/* n entries of esize bytes */
	size_t n, cap, live;
	size_t vsize, voff, esize;	/* voff: the value's offset in one */
	uint32_t *idx;
	size_t nidx;		/* a power of two, never half full */
};

static size_t
align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* What a value of vsize bytes needs: the largest power of two dividing
 * vsize (a type's size is a multiple of its alignment), up to
 * max_align_t's; at least the 4 of the header before it (and for no
 * value at all). */
static size_t
valign(size_t vsize)
{
	size_t a = vsize & -vsize;

	if (a > _Alignof(max_align_t))
		a = _Alignof(max_align_t);
	return a < sizeof(uint32_t) ? sizeof(uint32_t) : a;
}

static uint32_t *
hdr(const struct map *m, size_t i)
{
	return (uint32_t *)(void *)(m->v + i * m->esize);
}

static void *
val(const struct map *m, size_t i)
{
	return m->v + i * m->esize + m->voff;
}

static const char *
key_of(const struct map *m, size_t i)
{
	return m->txt + (*hdr(m, i) & ~DEAD);
}

struct map *
map_new(size_t vsize)
{
	struct map *m = xcalloc(1, sizeof *m);
	size_t a = valign(vsize);

	m->vsize = vsize;
	m->voff = align_up(sizeof(uint32_t), a);
	m->esize = align_up(m->voff + vsize, a);
	return m;
}

void
map_free(struct map *m)
{
	if (!m)
		return;
	free(m->txt);
	free(m->v);
	free(m->idx);
	free(m);
}

/* Is k (NUL-terminated) the klen bytes of key?  Reads no further than
 * k's NUL: a key holding a NUL is never there. */
static int
same(const char *k, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < klen; i++)
		if (k[i] != key[i] || k[i] == 0)
			return 0;
	return k[klen] == 0;
}

/* The index slot of key: the one holding it, or the empty one it would
 * take. */
static uint32_t *
slot(const struct map *m, const char *key, size_t klen)
{
	size_t i = (size_t)fnv64(FNV64_INIT, key, klen) & (m->nidx - 1);

	while (m->idx[i] && !same(key_of(m, m->idx[i] - 1), key, klen))
		i = (i + 1) & (m->nidx - 1);
	return &m->idx[i];
}

/* Room for one more entry, and the index at most half full with it. */
static void
grow(struct map *m)
{
	size_t i;
	const char *k;

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
	for (i = 0; i < m->n; i++) {
		k = key_of(m, i);
		*slot(m, k, strlen(k)) = (uint32_t)(i + 1);
	}
}

/* Key's text appended to txt: its offset.  key may point into txt (a
 * key the map gave): it is found again after txt moves. */
static uint32_t
add_text(struct map *m, const char *key, size_t klen)
{
	uintptr_t at = (uintptr_t)key - (uintptr_t)m->txt;
	size_t off = m->tlen;
	int inside = m->txt && at < m->tlen;

	if (memchr(key, 0, klen))
		msg_die(EX_SOFTWARE, "map: a key holding a NUL");
	if (klen >= TXTMAX - m->tlen)
		msg_die(EX_SOFTWARE, "map: too much key text");
	if (m->tlen + klen + 1 > m->tcap) {
		while (m->tlen + klen + 1 > m->tcap)
			m->tcap = m->tcap ? m->tcap * 2 : 256;
		if (m->tcap > TXTMAX)
			m->tcap = TXTMAX;
		m->txt = xrealloc(m->txt, m->tcap);
		if (inside)
			key = m->txt + at;
	}
	memcpy(m->txt + off, key, klen);
	m->txt[off + klen] = 0;
	m->tlen += klen + 1;
	return (uint32_t)off;
}

void *
map_getn(const struct map *m, const char *key, size_t klen)
{
	uint32_t *s;

	if (!m->nidx)
		return NULL;
	s = slot(m, key, klen);
	if (!*s || (*hdr(m, *s - 1) & DEAD))
		return NULL;
	return val(m, *s - 1);
}

void *
map_get(const struct map *m, const char *key)
{
	return map_getn(m, key, strlen(key));
}

void *
map_putn(struct map *m, const char *key, size_t klen, int *isnew)
{
	uint32_t *s, *h;
	size_t i;
	int fresh = 1;

	grow(m);
	s = slot(m, key, klen);
	if (*s) {
		i = *s - 1;
		fresh = (*hdr(m, i) & DEAD) != 0;
	} else {
		i = m->n;
		*hdr(m, i) = add_text(m, key, klen);
		*s = (uint32_t)++m->n;
	}
	if (fresh) {
		h = hdr(m, i);
		*h &= ~DEAD;
		memset(val(m, i), 0, m->vsize);
		m->live++;
	}
	if (isnew)
		*isnew = fresh;
	return val(m, i);
}

void *
map_put(struct map *m, const char *key, int *isnew)
{
	return map_putn(m, key, strlen(key), isnew);
}

int
map_del(struct map *m, const char *key)
{
	uint32_t *s, *h;

	if (!m->nidx)
		return 0;
	s = slot(m, key, strlen(key));
	if (!*s || (*(h = hdr(m, *s - 1)) & DEAD))
		return 0;
	*h |= DEAD;
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
	size_t i;

	while (*it < m->n) {
		i = (*it)++;
		if (*hdr(m, i) & DEAD)
			continue;
		if (key)
			*key = key_of(m, i);
		return val(m, i);
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
