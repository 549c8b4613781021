/*
 * Unit tests for common/map.c: put, get, delete and walk, values kept
 * across growth, order of first put, sorted keys, keys with TAB and
 * lengths, a deleted key coming back zeroed.
 */
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

int
main(void)
{
	basics();
	growth();
	keys();
	return done_testing();
}
