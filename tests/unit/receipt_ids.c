/*
 * Unit tests for common/receipt_ids.c: put, get, a time replaced, drop
 * before a time and a dropped id coming back as new, growth past many
 * index sizes (every id found, its time kept), the walk in put order and
 * the sorted walk (strcmp order, dropped ids left out).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "receipt_ids.h"

static void
basics(void)
{
	struct rx_ids *s = rx_ids_new();
	int64_t ms = -1;

	ok(!rx_ids_get(s, "a", &ms), "empty: a not there");
	is_int(rx_ids_count(s), 0, "empty: count 0");
	ok(rx_ids_put(s, "a", 5) == 1, "put a: new");
	ok(rx_ids_get(s, "a", &ms) && ms == 5, "a there, time 5");
	ok(rx_ids_get(s, "a", NULL), "get with ms NULL");
	ok(rx_ids_put(s, "a", 9) == 0, "put a again: not new");
	ok(rx_ids_get(s, "a", &ms) && ms == 9, "... its time replaced");
	ok(rx_ids_put(s, "", 1) == 1, "the empty id is an id");
	ok(rx_ids_put(s, "b\tc", 3) == 1, "an id with a TAB");
	is_int(rx_ids_count(s), 3, "count 3");
	rx_ids_drop_before(s, 4);
	ok(!rx_ids_get(s, "", NULL) && !rx_ids_get(s, "b\tc", NULL),
	    "drop before 4: the two earlier gone");
	ok(rx_ids_get(s, "a", NULL), "... a (9) kept");
	is_int(rx_ids_count(s), 1, "count 1");
	ok(rx_ids_put(s, "", 2) == 1, "a dropped id comes back as new");
	is_int(rx_ids_count(s), 2, "count 2");
	rx_ids_free(s);
	rx_ids_free(NULL);
}

static void
growth(void)
{
	struct rx_ids *s = rx_ids_new();
	char id[32];
	int64_t ms;
	int i, bad = 0;

	for (i = 0; i < 100000; i++) {
		snprintf(id, sizeof id, "R%07d", i * 7);
		if (rx_ids_put(s, id, i) != 1)
			bad++;
	}
	is_int(bad, 0, "100000 ids put, each new");
	for (i = 0; i < 100000; i++) {
		snprintf(id, sizeof id, "R%07d", i * 7);
		if (!rx_ids_get(s, id, &ms) || ms != i)
			bad++;
	}
	is_int(bad, 0, "... each found with its time after growth");
	ok(!rx_ids_get(s, "R0000001", NULL), "one never put is not there");
	is_int(rx_ids_count(s), 100000, "count 100000");
	rx_ids_free(s);
}

static void
collect(const char *id, int64_t ms, void *arg)
{
	char *out = arg;

	snprintf(out + strlen(out), 64, "%s=%lld ", id, (long long)ms);
}

static void
walks(void)
{
	struct rx_ids *s = rx_ids_new();
	const char *id;
	char out[256] = "";
	int64_t ms;
	size_t it = 0;

	rx_ids_put(s, "c", 3);
	rx_ids_put(s, "a", 1);
	rx_ids_put(s, "b", 2);
	rx_ids_put(s, "aa", 0);
	while (rx_ids_next(s, &it, &id, &ms))
		collect(id, ms, out);
	is_str(out, "c=3 a=1 b=2 aa=0 ", "next: the order first put");
	rx_ids_drop_before(s, 1);
	out[0] = 0;
	rx_ids_sorted(s, collect, out);
	is_str(out, "a=1 b=2 c=3 ", "sorted: strcmp order, the dropped left out");
	rx_ids_free(s);
}

int
main(void)
{
	basics();
	growth();
	walks();
	return done_testing();
}
