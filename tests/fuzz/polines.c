/*
 * polines -- common/polines.c, the ledger of NetSuite PO lines.
 *
 * The input is a ledger file as found on disk (possibly torn, corrupt or
 * hostile).  Invariants:
 *  - polines_load gives exactly the records a reference reader written
 *    here finds: lines ending in LF, at most 4096 bytes, without NUL,
 *    "PO<TAB>LINE<TAB>QTY" with both ids non-empty and validly escaped and
 *    QTY "?" or a decimal, the last record of a (PO, LINE) winning; any
 *    other line has the whole ledger refused (EX_CONFIG, never read
 *    wrong), and a torn last line is ignored;
 *  - what it gives, polines_append writes to a fresh ledger and
 *    polines_load reads back equal (ids with TAB, LF, '\' included);
 *  - appending one record to the hostile ledger cuts its torn tail and
 *    changes nothing else: the load then gives the old records plus it.
 */
#include <string.h>
#include <sys/stat.h>

#include "decimal.h"
#include "fuzz.h"
#include "msg.h"
#include "fuzz_util.h"
#include "polines.h"

#define LEDGER_LINE 4096

struct rec {
	char *po, *line;
	int has_qty;
	dec_t qty;
};
struct set {
	struct rec *v;
	size_t n, cap;
};

static void
set_put(struct set *s, const char *po, const char *line, int has_qty, dec_t qty)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].po, po) == 0 && strcmp(s->v[i].line, line) == 0)
			break;
	if (i == s->n) {
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 16;
			s->v = realloc(s->v, s->cap * sizeof *s->v);
		}
		s->v[i].po = strdup(po);
		s->v[i].line = strdup(line);
		s->n++;
	}
	s->v[i].has_qty = has_qty;
	s->v[i].qty = has_qty ? qty : 0;
}

static void
set_free(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].po), free(s->v[i].line);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static void
set_same(const struct set *a, const struct set *b, const char *what)
{
	size_t i, j;

	FUZZ_CHECK(a->n == b->n, "%s: %zu records, wanted %zu", what, a->n, b->n);
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (strcmp(a->v[i].po, b->v[j].po) == 0 &&
			    strcmp(a->v[i].line, b->v[j].line) == 0)
				break;
		FUZZ_CHECK(j < b->n, "%s: record %zu not wanted", what, i);
		FUZZ_CHECK(a->v[i].has_qty == b->v[j].has_qty &&
		    a->v[i].qty == b->v[j].qty, "%s: record %zu: quantity differs", what, i);
	}
}

/* The reference unescaping: NULL when malformed or empty. */
static char *
unesc(const char *s, size_t n)
{
	char *o = malloc(n + 1);
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			o[k++] = s[i];
			continue;
		}
		if (i + 1 == n || !strchr("\\tn", s[i + 1]))
			goto bad;
		i++;
		o[k++] = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : '\\';
	}
	o[k] = 0;
	if (k)
		return o;
bad:
	free(o);
	return NULL;
}

/* The records; the number of malformed lines (the torn tail is not). */
static int
reference(const char *d, size_t n, struct set *out)
{
	int bad = 0;

	const char *p = d, *end = d + n, *nl, *t1, *t2;
	char *po, *line;
	dec_t q = 0;
	size_t len;
	int hq;

	for (; (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1) {
		len = (size_t)(nl - p);
		if (len > LEDGER_LINE || memchr(p, 0, len)) {
			bad++;
			continue;
		}
		t1 = memchr(p, '\t', len);
		t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1)) : NULL;
		if (!t2 || memchr(t2 + 1, '\t', (size_t)(nl - t2 - 1))) {
			bad++;
			continue;
		}
		if ((size_t)(nl - t2 - 1) == 1 && t2[1] == '?')
			hq = 0;
		else if (dec_parse(t2 + 1, (size_t)(nl - t2 - 1), &q) == 0)
			hq = 1;
		else {
			bad++;
			continue;
		}
		po = unesc(p, (size_t)(t1 - p));
		line = unesc(t1 + 1, (size_t)(t2 - t1 - 1));
		if (po && line)
			set_put(out, po, line, hq, q);
		else
			bad++;
		free(po);
		free(line);
	}
	return bad;
}

static int
collect(const struct poline *r, void *arg)
{
	FUZZ_CHECK(r->po && *r->po && r->line && *r->line, "an empty id");
	set_put(arg, r->po, r->line, r->has_qty, r->qty);
	return 0;
}

static const char *
spool(const char *name)
{
	static char p[2][4200];
	static int k;
	char *s = p[k ^= 1];

	snprintf(s, sizeof p[0], "%s/%s", fuzz_tmpdir(), name);
	mkdir(s, 0700);
	snprintf(s + strlen(s), sizeof p[0] - strlen(s), "/state");
	mkdir(s, 0700);
	s[strlen(s) - 6] = 0;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct set want = {0}, got = {0}, again = {0};
	struct poline *recs;
	char path[4300];
	const char *a = spool("a"), *b = spool("b");
	size_t i;
	int bad, r;

	bad = reference((const char *)data, size, &want);
	snprintf(path, sizeof path, "%s/state/polines", a);
	fuzz_write(path, data, size);
	r = polines_load(a, NULL, collect, &got);
	/* A ledger with a malformed line is refused whole (EX_CONFIG),
	 * never read wrong. */
	FUZZ_CHECK(r == 0 || (r == EX_CONFIG && bad), "load gave %d", r);
	if (r) {
		set_free(&want);
		set_free(&got);
		return 0;
	}
	set_same(&got, &want, "hostile ledger");

	/* What was read, written afresh, reads back equal. */
	snprintf(path, sizeof path, "%s/state/polines", b);
	unlink(path);
	recs = calloc(got.n + 1, sizeof *recs);
	for (i = 0; i < got.n; i++) {
		recs[i].po = got.v[i].po;
		recs[i].line = got.v[i].line;
		recs[i].has_qty = got.v[i].has_qty;
		recs[i].qty = got.v[i].qty;
	}
	FUZZ_CHECK(polines_append(b, recs, got.n) == 0, "append failed");
	FUZZ_CHECK(polines_load(b, NULL, collect, &again) == 0, "load failed");
	set_same(&again, &got, "written and read back");
	set_free(&again);

	/* One more record on the hostile ledger: its torn tail goes, the
	 * rest stays. */
	recs[0].po = "PO\t1\\";
	recs[0].line = "L\n2";
	recs[0].has_qty = 1;
	recs[0].qty = 7 * DEC_ONE;
	FUZZ_CHECK(polines_append(a, recs, 1) == 0, "append failed");
	set_put(&want, recs[0].po, recs[0].line, 1, recs[0].qty);
	FUZZ_CHECK(polines_load(a, NULL, collect, &again) == 0, "load failed");
	set_same(&again, &want, "after an append");

	free(recs);
	set_free(&want);
	set_free(&got);
	set_free(&again);
	return 0;
}
