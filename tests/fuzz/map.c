/*
 * map -- common/map.c, the string-keyed table under polines, receipts
 * and receipt-export's per-run tables, against a reference model: an
 * array of every key ever put, in first-put order, each live or deleted
 * with the stamp its value was last given.
 *
 * The input is a little program.  Its first byte picks the value size
 * (1..40 bytes); then each operation is a byte: its low 3 bits the
 * operation, bits 3-5 the key's length (0..7 bytes, read next), bit 6
 * whether those bytes are themselves (NUL read as 0x01) or one of "ab\xff~"
 * each (so that keys meet).  Invariants, after every operation:
 *  - map_put says a key is new exactly when the model has it not live,
 *    gives a zeroed value when it is, and the value it was last given
 *    (every byte) when it is not; map_get and map_getn agree with the
 *    model; map_del says 1 exactly when the key was live;
 *  - map_count is the number of live keys in the model;
 * and at the end and on a walk operation:
 *  - map_next visits exactly the live keys in first-put order (a key put
 *    again after map_del keeps its first place), each with its value;
 *  - map_sorted gives the live keys, complete, in strcmp order.
 */
#include <string.h>

#include "fuzz.h"
#include "map.h"
#include "util.h"

#define KEYMAX	7

struct model {
	struct { char *key; int live; unsigned char stamp; } *e;
	size_t n, cap;
	size_t vsize;
	unsigned char next;
};

static long
find(const struct model *md, const char *key)
{
	size_t i;

	for (i = 0; i < md->n; i++)
		if (strcmp(md->e[i].key, key) == 0)
			return (long)i;
	return -1;
}

static void
check_value(const struct model *md, const unsigned char *v, unsigned char stamp,
    const char *what)
{
	size_t i;

	for (i = 0; i < md->vsize; i++)
		FUZZ_CHECK(v[i] == (unsigned char)(stamp + i), "%s: byte %zu of "
		    "the value is %u, not %u", what, i, v[i], (unsigned char)(stamp + i));
}

static void
put(struct map *m, struct model *md, const char *key, int byn)
{
	long k = find(md, key);
	int isnew = -1, was = k >= 0 && md->e[k].live;
	unsigned char *v = byn ? map_putn(m, key, strlen(key), &isnew) :
	    map_put(m, key, &isnew);
	size_t i;

	FUZZ_CHECK(isnew == !was, "map_put says isnew %d for a key %s", isnew,
	    was ? "live" : "not live");
	if (was)
		check_value(md, v, md->e[k].stamp, "map_put");
	else
		for (i = 0; i < md->vsize; i++)
			FUZZ_CHECK(v[i] == 0, "a new key's value is not zeroed");
	if (k < 0) {
		if (md->n == md->cap) {
			md->cap = md->cap ? md->cap * 2 : 16;
			md->e = xrealloc(md->e, md->cap * sizeof *md->e);
		}
		k = (long)md->n++;
		md->e[k].key = xstrdup(key);
	}
	md->e[k].live = 1;
	md->e[k].stamp = ++md->next;
	for (i = 0; i < md->vsize; i++)
		v[i] = (unsigned char)(md->e[k].stamp + i);
}

static void
get(const struct map *m, const struct model *md, const char *key,
    const unsigned char *tail, size_t ntail)
{
	long k = find(md, key);
	const unsigned char *v = map_get(m, key), *vn;
	char *longer;

	FUZZ_CHECK((v != NULL) == (k >= 0 && md->e[k].live),
	    "map_get finds a key the model has %s", v ? "not live" : "live");
	if (v)
		check_value(md, v, md->e[k].stamp, "map_get");
	/* map_getn reads klen bytes only: what follows them is not key */
	longer = xmalloc(strlen(key) + ntail + 1);
	memcpy(longer, key, strlen(key));
	memcpy(longer + strlen(key), tail, ntail);
	longer[strlen(key) + ntail] = 0;
	vn = map_getn(m, longer, strlen(key));
	FUZZ_CHECK(vn == v, "map_getn and map_get differ");
	free(longer);
}

static void
walk(const struct map *m, const struct model *md)
{
	size_t it = 0, k = 0, n, i, live = 0;
	const unsigned char *v;
	const char *key, **sorted;

	while ((v = map_next(m, &it, &key)) != NULL) {
		while (k < md->n && !md->e[k].live)
			k++;
		FUZZ_CHECK(k < md->n, "map_next visits more keys than are live");
		FUZZ_CHECK(strcmp(key, md->e[k].key) == 0,
		    "map_next is not in first-put order");
		check_value(md, v, md->e[k].stamp, "map_next");
		k++;
	}
	while (k < md->n && !md->e[k].live)
		k++;
	FUZZ_CHECK(k == md->n, "map_next misses a live key");
	for (i = 0; i < md->n; i++)
		live += md->e[i].live;
	sorted = map_sorted(m, &n);
	FUZZ_CHECK(n == live, "map_sorted gives %zu keys of %zu", n, live);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(i == 0 || strcmp(sorted[i - 1], sorted[i]) < 0,
		    "map_sorted is not sorted");
		FUZZ_CHECK(find(md, sorted[i]) >= 0 &&
		    md->e[find(md, sorted[i])].live, "map_sorted gives a dead key");
	}
	free(sorted);
}

static void
step(struct map *m, struct model *md, unsigned op, const char *key,
    const uint8_t *rest, size_t nrest)
{
	long k;
	size_t i, live = 0;

	switch (op & 7) {
	case 0: case 1: case 7:
		put(m, md, key, op & 1);
		break;
	case 2: case 4:
		get(m, md, key, rest, nrest < 3 ? nrest : 3);
		break;
	case 3: case 6:
		k = find(md, key);
		FUZZ_CHECK(map_del(m, key) == (k >= 0 && md->e[k].live),
		    "map_del disagrees with the model");
		if (k >= 0)
			md->e[k].live = 0;
		break;
	case 5:
		walk(m, md);
		break;
	}
	for (i = 0; i < md->n; i++)
		live += md->e[i].live;
	FUZZ_CHECK(map_count(m) == live, "map_count %zu, the model %zu",
	    map_count(m), live);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model md = { 0 };
	struct map *m;
	char key[KEYMAX + 1];
	size_t p = 1, len, i;
	unsigned op;

	if (size == 0)
		return 0;
	md.vsize = 1 + data[0] % 40;
	m = map_new(md.vsize);
	while (p < size) {
		op = data[p++];
		len = (op >> 3) & 7;
		for (i = 0; i < len && p < size; i++, p++)
			key[i] = op & 0x40 ? (data[p] ? (char)data[p] : 1) :
			    "ab\xff~"[data[p] & 3];
		key[i] = 0;
		step(m, &md, op, key, data + p, size - p);
	}
	walk(m, &md);
	for (i = 0; i < md.n; i++)
		free(md.e[i].key);
	free(md.e);
	map_free(m);
	return 0;
}
