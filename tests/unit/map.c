/*
 * Unit tests for common/map.c: put, get, delete and walk, values kept
 * across growth, order of first put, sorted keys, keys with TAB and
 * lengths, a deleted key coming back zeroed, values aligned as their
 * size needs, a key the map gave put back while the keys' text moves.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "map.h"

struct v {
	int64_t n;
	char tag[3];
};

static void
basics(void)
{
	struct map *m = map_new(sizeof(struct v));
	struct v *p;
	int isnew = -1;

	ok(map_get(m, "a") == NULL, "empty map: get gives NULL");
	ok(map_del(m, "a") == 0, "empty map: delete gives 0");
	is_int(map_count(m), 0, "empty map: count 0");
	p = map_put(m, "a", &isnew);
	ok(p && isnew == 1 && p->n == 0 && p->tag[0] == 0, "put a: new, zeroed");
	p->n = 7;
	p = map_put(m, "a", &isnew);
	ok(isnew == 0 && p->n == 7, "put a again: not new, value kept");
	ok(map_put(m, "b", NULL) != NULL, "put with isnew NULL");
	is_int(map_count(m), 2, "count 2");
	ok(map_del(m, "a") == 1, "delete a: 1");
	ok(map_get(m, "a") == NULL, "a gone");
	ok(map_del(m, "a") == 0, "delete a again: 0");
	is_int(map_count(m), 1, "count 1");
	p = map_put(m, "a", &isnew);
	ok(isnew == 1 && p->n == 0, "a put back: new and zeroed");
	is_int(map_count(m), 2, "count 2 again");
	map_free(m);
	map_free(NULL);
	ok(1, "map_free(NULL) is a no-op");
}

static void
growth(void)
{
	struct map *m = map_new(sizeof(struct v));
	char key[32];
	struct v *p;
	size_t i, it = 0, k = 0, bad = 0;
	const char *kk;

	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "k%zu", i);
		p = map_put(m, key, NULL);
		p->n = (int64_t)i;
	}
	is_int(map_count(m), 10000, "10000 keys");
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "k%zu", i);
		p = map_get(m, key);
		if (!p || p->n != (int64_t)i)
			bad++;
	}
	is_int(bad, 0, "every value kept across growth");
	for (i = 0; i < 10000; i += 2) {
		snprintf(key, sizeof key, "k%zu", i);
		map_del(m, key);
	}
	while ((p = map_next(m, &it, &kk)) != NULL) {
		snprintf(key, sizeof key, "k%zu", 2 * k + 1);
		if (strcmp(kk, key) != 0 || p->n != (int64_t)(2 * k + 1))
			bad++;
		k++;
	}
	is_int(k, 5000, "walk sees the 5000 live keys");
	is_int(bad, 0, "in the order of first put, with their values");
	map_free(m);
}

static void
keys(void)
{
	struct map *m = map_new(0);
	const char **v;
	size_t n;

	map_put(m, "b\tc", NULL);
	map_put(m, "a", NULL);
	map_putn(m, "c\tdXX", 3, NULL);
	map_put(m, "", NULL);
	ok(map_get(m, "c\td") != NULL, "putn keeps klen bytes");
	ok(map_getn(m, "c\tdYY", 3) != NULL, "getn reads klen bytes");
	ok(map_get(m, "c\tdXX") == NULL, "and not more");
	ok(map_get(m, "") != NULL, "the empty key is a key");
	ok(map_get(m, "b") == NULL, "a prefix is not the key");
	map_del(m, "a");
	v = map_sorted(m, &n);
	is_int(n, 3, "sorted: the 3 live keys");
	if (n == 3) {
		is_str(v[0], "", "sorted first: empty");
		is_str(v[1], "b\tc", "sorted second: b TAB c");
		is_str(v[2], "c\td", "sorted third: c TAB d");
	}
	free(v);
	map_free(m);
}

/* What a value of vsize bytes needs (map.h): the largest power of two
 * dividing it, up to max_align_t's. */
static size_t
need(size_t vsize)
{
	size_t a = vsize & -vsize;

	return a > _Alignof(max_align_t) ? _Alignof(max_align_t) : a;
}

static void
aligned(void)
{
	static const size_t sizes[] = { 1, 2, 3, 4, 6, 8, 12, 16, 24, 40,
	    sizeof(double), sizeof(void *), sizeof(long double),
	    sizeof(max_align_t), 2 * sizeof(max_align_t) };
	size_t i, k, bad = 0, lost = 0;
	char key[16];
	unsigned char *p;

	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		struct map *m = map_new(sizes[i]);

		for (k = 0; k < 300; k++) {
			snprintf(key, sizeof key, "k%zu", k);
			p = map_put(m, key, NULL);
			bad += (uintptr_t)p % need(sizes[i]) != 0;
			memset(p, (int)(k & 0xff), sizes[i]);
		}
		for (k = 0; k < 300; k++) {
			snprintf(key, sizeof key, "k%zu", k);
			p = map_get(m, key);
			lost += !p || p[0] != (unsigned char)k ||
			    p[sizes[i] - 1] != (unsigned char)k;
		}
		map_free(m);
	}
	is_int(bad, 0, "every value aligned as its size needs (15 sizes)");
	is_int(lost, 0, "... and whole, neighbours not overwritten");
}

static void
typed(void)
{
	struct map *m = map_new(sizeof(double));
	struct map *p = map_new(sizeof(char *));
	char key[16], *s = "x";
	size_t k, bad = 0;

	for (k = 0; k < 1000; k++) {
		snprintf(key, sizeof key, "%zu", k);
		*(double *)map_put(m, key, NULL) = (double)k / 4;
		*(char **)map_put(p, key, NULL) = s + (k & 1);
	}
	for (k = 0; k < 1000; k++) {
		snprintf(key, sizeof key, "%zu", k);
		bad += *(double *)map_get(m, key) != (double)k / 4;
		bad += *(char **)map_get(p, key) != s + (k & 1);
	}
	is_int(bad, 0, "double and pointer values kept across growth");
	map_free(m);
	map_free(p);
}

/* Keys the map gave, put back: a suffix of the last key put is new
 * text read from the map's own text while that text grows. */
static void
own_keys(void)
{
	struct map *m = map_new(sizeof(int64_t));
	char big[301], want[301];
	const char *k = NULL, *kk;
	size_t i, it, bad = 0;

	memset(big, 'a', 300);
	big[300] = 0;
	map_put(m, big, NULL);
	for (i = 0; i < 300; i++) {
		for (it = 0; map_next(m, &it, &kk) != NULL; )
			k = kk;		/* the last key put */
		*(int64_t *)map_put(m, k + 1, NULL) = (int64_t)i;
	}
	is_int(map_count(m), 301, "301 keys, each a suffix of the one before");
	for (i = 0; i < 300; i++) {
		memset(want, 'a', 299 - i);
		want[299 - i] = 0;
		bad += !map_get(m, want) || *(int64_t *)map_get(m, want) !=
		    (int64_t)i;
	}
	is_int(bad, 0, "... each with its text and value");
	ok(map_getn(m, "a\0a", 3) == NULL, "a key holding a NUL is not there");
	map_free(m);
}

int
main(void)
{
	basics();
	growth();
	keys();
	aligned();
	typed();
	own_keys();
	return done_testing();
}
