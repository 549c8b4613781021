/*
 * pohash -- see pohash.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <xxhash.h>

#include "msg.h"
#include "parsedmark.h"
#include "pohash.h"
#include "spool.h"
#include "util.h"

#define OLD_INIT	0xcbf29ce484222325ULL	/* FNV-1a 64's offset basis */
#define OLD_PRIME	0x100000001b3ULL
#define LEGACY_DAYS	30	/* keep_days negative: never pruned */

static void
old_add(struct pohash *h, const unsigned char *c, size_t n)
{
	uint64_t v = h->old;

	while (n--) {
		v ^= *c++;
		v *= OLD_PRIME;
	}
	h->old = v;
}

void
pohash_init(struct pohash *h, const char *name, int legacy)
{
	if (!(h->x = XXH3_createState()))
		msg_die(EX_OSERR, "out of memory");
	XXH3_64bits_reset(h->x);
	h->legacy = legacy;
	h->old = OLD_INIT;
	pohash_add(h, name, strlen(name) + 1);
}

void
pohash_add(struct pohash *h, const void *p, size_t n)
{
	XXH3_64bits_update(h->x, p, n);
	if (h->legacy)
		old_add(h, p, n);
}

void
pohash_hex(const struct pohash *h, char cur[17], char old[17])
{
	snprintf(cur, 17, "%016llx",
	    (unsigned long long)XXH3_64bits_digest(h->x));
	if (h->legacy)
		snprintf(old, 17, "%016llx", (unsigned long long)h->old);
	else
		old[0] = '\0';
}

void
pohash_free(struct pohash *h)
{
	XXH3_freeState(h->x);
	h->x = NULL;
}

/* ------------------------------------------------------------ the spool */

/* A set of hash16 names: sorted, no duplicates once hs_sort ran. */
struct hset {
	char (*h)[17];
	size_t n, cap;
};

static void
hs_add(struct hset *s, const char *h)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->h = xrealloc(s->h, s->cap * sizeof *s->h);
	}
	memcpy(s->h[s->n], h, 16);
	s->h[s->n++][16] = '\0';
}

static int
hs_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static void
hs_sort(struct hset *s)
{
	size_t i, k = 0;

	if (s->n)
		qsort(s->h, s->n, sizeof *s->h, hs_cmp);
	for (i = 0; i < s->n; i++)
		if (k == 0 || memcmp(s->h[k - 1], s->h[i], 16) != 0)
			memcpy(s->h[k++], s->h[i], 17);
	s->n = k;
}

static int
hs_has(const struct hset *s, const char *h)
{
	return s->n && bsearch(h, s->h, s->n, sizeof *s->h, hs_cmp) != NULL;
}

static int
is_hash16(const char *p)
{
	size_t i;

	for (i = 0; i < 16; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

/* The hash in an output name (SAFE.HASH16.NNNNN.json, SAFE.HASH16.csv,
 * and what po-import makes of them): its last ".HASH16." part. */
static const char *
name_hash(const char *name)
{
	const char *p, *last = NULL;

	for (p = strchr(name, '.'); p; p = strchr(p + 1, '.'))
		if (strlen(p) > 17 && p[17] == '.' && is_hash16(p + 1))
			last = p + 1;
	return last;
}

/* The hashes in the names of the spool's output (po/new, cur, failed,
 * rejects) into s; 0, or -1 when a folder cannot be listed (said). */
static int
output_hashes(const char *spooldir, struct hset *s)
{
	static const char *const subs[] = { "new", "cur", "failed", "rejects",
	    NULL };
	const char *const *sub;
	const char *h;
	struct stat st;
	char *dir, **v;
	size_t i, n;
	int r = 0;

	for (sub = subs; *sub; sub++) {
		dir = spool_area_path(spooldir, "po", *sub);
		if (stat(dir, &st) < 0 && errno == ENOENT)
			;	/* a dry run's spool not made yet */
		else if (spool_list(dir, NULL, &v, &n) != 0)
			r = -1;
		else {
			for (i = 0; i < n; i++)
				if ((h = name_hash(v[i])))
					hs_add(s, h);
			spool_list_free(v);
		}
		free(dir);
	}
	hs_sort(s);
	return r;
}

/* The markers in SPOOL/state/parsed: their names into s, and *old 1 when
 * one is named by the old hash (no hash line; one that cannot be read
 * is taken as one).  0, or -1 when the folder cannot be listed (said). */
static int
markers(const char *spooldir, struct hset *s, int *old)
{
	char *dir = parsedmark_dir(spooldir), **v, *p, *data;
	const char *why;
	struct stat st;
	size_t i, n, len;

	*old = 0;
	if (stat(dir, &st) < 0 && errno == ENOENT) {
		free(dir);
		return 0;	/* a dry run's spool not made yet */
	}
	if (spool_list(dir, NULL, &v, &n) != 0) {
		free(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (strlen(v[i]) != 16 || !is_hash16(v[i]))
			continue;	/* a marker being written: NAME.tmp.PID */
		hs_add(s, v[i]);
		if (*old)
			continue;
		p = path_join(dir, v[i]);
		if (parsedmark_read(p, &data, &len, &why) < 0)
			*old = errno != ENOENT;	/* gone since the listing */
		else {
			*old = !parsedmark_hashed(data);
			free(data);
		}
		free(p);
	}
	spool_list_free(v);
	free(dir);
	hs_sort(s);
	return 0;
}

/* The text of SPOOL/state/po-hash (len bytes, NUL-terminated) read: 1
 * for "old done", 0 with the orphans in s, -1 when it is not this form. */
static int
state_read(const char *data, size_t len, struct hset *s)
{
	enum version_is v;
	const char *p;

	v = version_check(data, len, POHASH_TAG, POHASH_V, 0, NULL);
	if ((v != VERSION_SAME && v != VERSION_LATER) ||
	    !(p = strchr(data, '\n')) || strncmp(++p, "old", 3) != 0)
		return -1;
	p += 3;
	if (strcmp(p, " done\n") == 0)
		return 1;
	for (; *p == ' ' && is_hash16(p + 1); p += 17)
		hs_add(s, p + 1);
	if (strcmp(p, "\n") != 0)
		return -1;
	hs_sort(s);
	return 0;
}

/* po-hash's text: "old done", or "old" and the orphans (maybe none: the
 * markers still want the old hash looked for). */
static char *
state_text(const struct hset *s, int done)
{
	struct buf b = {0};
	size_t i;

	buf_addf(&b, "%s\nold", POHASH_VERSION_LINE);
	if (done)
		buf_adds(&b, " done");
	for (i = 0; i < s->n; i++)
		buf_addf(&b, " %s", s->h[i]);
	buf_addc(&b, '\n');
	return b.s;
}

int
pohash_legacy(const char *spooldir, int dry, int *st)
{
	char *path = spool_state_path(spooldir, POHASH_STATE), *data = NULL,
	    *text;
	struct hset was = {0}, out = {0}, marks = {0}, left = {0};
	const char *why = NULL;
	int r = -1, old = 1, later = 0, ok;
	size_t i, len = 0;

	*st = 0;
	if (read_file(path, (size_t)16 << 20, &data, &len) < 0)
		why = errno == ENOENT ? NULL : errno == EFBIG ? "is too big" :
		    "cannot be read";
	else {
		later = version_check(data, len, POHASH_TAG, POHASH_V, 0,
		    NULL) == VERSION_LATER;
		if (later)
			version_later_said(path, NULL, data, POHASH_VERSION_LINE,
			    "read as this posync reads its own, never rewritten");
		if ((r = state_read(data, len, &was)) < 0)
			why = "is damaged";
		else if (r == 1) {
			free(data);
			free(path);
			return 0;	/* done: the old hash is never looked for */
		}
	}
	if (why)
		msg_warn("%s %s: made again from the spool (pohash.h)", path, why);
	ok = output_hashes(spooldir, &out) == 0 &&
	    markers(spooldir, &marks, &old) == 0;
	/* the orphans: output without a marker, from those po-hash kept, or
	 * from the whole spool when it kept none it could say */
	for (i = 0; i < (r == 0 ? was.n : out.n); i++) {
		const char *h = r == 0 ? was.h[i] : out.h[i];

		if (hs_has(&out, h) && !hs_has(&marks, h))
			hs_add(&left, h);
	}
	hs_sort(&left);
	text = state_text(&left, !old && !left.n);
	/* a folder not listed tells nothing: written only once all were */
	if (ok && !dry && !later && (!data || strcmp(text, data) != 0) &&
	    spool_write_atomic(path, text, strlen(text)))
		*st = EX_IOERR;		/* said */
	free(text);
	free(data);
	free(path);
	free(was.h);
	free(out.h);
	free(marks.h);
	r = !ok || old || left.n;
	free(left.h);
	return r;
}
