/*
 * pohash -- see pohash.h.
 */
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

void
pohash_init(struct pohash *h, const char *name, int legacy)
{
	if (!(h->x = XXH3_createState()))
		msg_die(EX_OSERR, "out of memory");
	XXH3_64bits_reset(h->x);
	h->legacy = legacy;
	h->old = FNV64_INIT;	/* the old hash: util.h's fnv64 */
	pohash_add(h, name, strlen(name) + 1);
}

void
pohash_add(struct pohash *h, const void *p, size_t n)
{
	XXH3_64bits_update(h->x, p, n);
	if (h->legacy)
		h->old = fnv64(h->old, p, n);
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

/* A set of strings: sorted, no duplicates once ss_sort ran. */
struct sset {
	char **v;
	size_t n, cap;
};

static void
ss_add(struct sset *s, const char *p, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = xstrndup(p, len);
}

static void
ss_sort(struct sset *s)
{
	size_t i, k = 0;

	sort_strings(s->v, s->n);
	for (i = 0; i < s->n; i++)
		if (k && strcmp(s->v[k - 1], s->v[i]) == 0)
			free(s->v[i]);
		else
			s->v[k++] = s->v[i];
	s->n = k;
}

static int
ss_has(const struct sset *s, const char *p)
{
	return s->n && bsearch(&p, s->v, s->n, sizeof *s->v, str_pcmp) != NULL;
}

static void
ss_free(struct sset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
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

/* The end of the SAFE.HASH16 an output name starts with (SAFE.HASH16.
 * NNNNN.json, SAFE.HASH16.csv, and what po-import makes of them): after
 * its last ".HASH16." part; NULL when it has none. */
static const char *
name_stem_end(const char *name)
{
	const char *p, *end = NULL;

	for (p = strchr(name, '.'); p; p = strchr(p + 1, '.'))
		if (p > name && strlen(p) > 17 && p[17] == '.' && is_hash16(p + 1))
			end = p + 17;
	return end;
}

/* The stems (SAFE.HASH16) of the output in po/new, cur, failed and
 * rejects into s; 0, or -1 when a folder cannot be listed (said).  The
 * folders are listed forth, then back: po-import moves batches between
 * them (new to cur, and back; to failed), and a batch moved during one
 * pass is seen by the other. */
static int
output_stems(const char *spooldir, struct sset *s)
{
	static const char *const subs[] = { "new", "cur", "failed", "rejects" };
	const char *end;
	struct stat st;
	char *dir, **v;
	size_t i, k, n, nsub = sizeof subs / sizeof *subs;
	int r = 0;

	for (k = 0; k < 2 * nsub; k++) {
		dir = spool_area_path(spooldir, "po",
		    subs[k < nsub ? k : 2 * nsub - 1 - k]);
		if (stat(dir, &st) < 0 && errno == ENOENT)
			;	/* a dry run's spool not made yet */
		else if (spool_list(dir, NULL, &v, &n) != 0)
			r = -1;
		else {
			for (i = 0; i < n; i++)
				if ((end = name_stem_end(v[i])))
					ss_add(s, v[i], (size_t)(end - v[i]));
			spool_list_free(v);
		}
		free(dir);
	}
	ss_sort(s);
	return r;
}

/* The markers in SPOOL/state/parsed: their names into s, and, with read,
 * *old 1 when one is named by the old hash (no hash line; one that
 * cannot be read is taken as one).  0, or -1 when the folder cannot be
 * listed (said). */
static int
markers(const char *spooldir, struct sset *s, int read, int *old)
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
		ss_add(s, v[i], 16);
		if (*old || !read)
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
	ss_sort(s);
	return 0;
}

/* Is p (n bytes) a stem, SAFE.HASH16, as safename(3) makes SAFE? */
static int
is_stem(const char *p, size_t n)
{
	size_t i;

	if (n < 18 || p[n - 17] != '.' || !is_hash16(p + n - 16) || *p == '.')
		return 0;
	for (i = 0; i < n - 17; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789._+=@,-", p[i]) || !p[i])
			return 0;
	return 1;
}

/* The text of SPOOL/state/po-hash (NUL-terminated) read: 1 for "old
 * done", 0 with the orphans' stems in s and *marks 0 when it says
 * "hashed" (every marker has the hash line), -1 when it is not this
 * form. */
static int
state_read(const char *data, size_t len, struct sset *s, int *marks)
{
	enum version_is v;
	const char *p;
	size_t n;

	v = version_check(data, len, POHASH_TAG, POHASH_V, VERSION_EXACT, NULL);
	if ((v != VERSION_SAME && v != VERSION_LATER) ||
	    !(p = strchr(data, '\n')) || strncmp(++p, "old", 3) != 0)
		return -1;
	p += 3;
	if (strcmp(p, " done\n") == 0)
		return 1;
	/* the markers are read unless it says they need not be: a hand's
	 * "old" looks for more, never less */
	if (!(*marks = !(strncmp(p, " hashed", 7) == 0 && (p[7] == ' ' ||
	    p[7] == '\n'))))
		p += 7;
	while (*p == ' ' && (n = strcspn(p + 1, " \n")) && is_stem(p + 1, n)) {
		ss_add(s, p + 1, n);
		p += 1 + n;
	}
	if (strcmp(p, "\n") != 0)
		return -1;
	ss_sort(s);
	return 0;
}

/* po-hash's text: "old done", or "old", "hashed" when no marker lacks
 * the hash line, and the orphans' stems. */
static char *
state_text(const struct sset *s, int marks)
{
	struct buf b = {0};
	size_t i;

	buf_addf(&b, "%s\nold", POHASH_VERSION_LINE);
	if (!marks && !s->n)
		buf_adds(&b, " done");
	else if (!marks)
		buf_adds(&b, " hashed");
	for (i = 0; i < s->n; i++)
		buf_addf(&b, " %s", s->v[i]);
	buf_addc(&b, '\n');
	return b.s;
}

/* The stem's hash: an orphan while no marker has it. */
static int
orphan(const struct sset *marks, const char *stem)
{
	return !ss_has(marks, stem + strlen(stem) - 16);
}

/* po-hash read: 1 "old done", 0 the orphans in s, -1 missing or not
 * readable as this form (*why what to say, NULL when missing); *data its
 * text, *later a later posync's. */
static int
state_load(const char *path, struct sset *s, int *marks, char **data,
    int *later, const char **why)
{
	size_t len;
	int r;

	*why = NULL;
	*later = 0;
	*data = NULL;
	if (read_file(path, (size_t)16 << 20, data, &len) < 0) {
		*why = errno == ENOENT ? NULL : errno == EFBIG ? "is too big" :
		    "cannot be read";
		return -1;
	}
	*later = version_check(*data, len, POHASH_TAG, POHASH_V, 0, NULL) ==
	    VERSION_LATER;
	if (*later)
		version_later_said(path, NULL, *data, POHASH_VERSION_LINE,
		    "read as this posync reads its own, never rewritten");
	if ((r = state_read(*data, len, s, marks)) < 0)
		*why = "is damaged";
	return r;
}

/* po-hash written when its text changed: 0, or EX_IOERR (said). */
static int
state_save(const char *path, const char *was, const struct sset *left,
    int marks)
{
	char *text = state_text(left, marks);
	int st = 0;

	if ((!was || strcmp(text, was) != 0) &&
	    spool_write_atomic(path, text, strlen(text)) != 0)
		st = EX_IOERR;	/* said */
	free(text);
	return st;
}

int
pohash_legacy(const char *spooldir, int dry, struct pohash_old *po)
{
	char *path = spool_state_path(spooldir, POHASH_STATE), *data, *stem;
	struct sset was = {0}, out = {0}, marks = {0}, left = {0};
	const char *why, *const *from;
	int r, old = 1, later, ok, read = 1, st = 0;
	size_t i, n;

	memset(po, 0, sizeof *po);
	if ((r = state_load(path, &was, &read, &data, &later, &why)) == 1) {
		free(data);
		free(path);
		return 0;	/* done: the old hash is never looked for */
	}
	if (why)
		msg_warn("%s %s: made again from the spool, as on the first run "
		    "of this posync (po-export-parse(1), FILES)", path, why);
	if (r < 0)
		read = 1;	/* made again: every marker read */
	ok = output_stems(spooldir, &out) == 0 &&
	    markers(spooldir, &marks, read, &old) == 0;
	if (!read)
		old = 0;	/* po-hash said no marker lacks the line */
	/* the orphans: output without a marker, of those po-hash kept, or
	 * of the whole spool when it kept none it could say */
	from = (const char *const *)(r == 0 ? was.v : out.v);
	n = r == 0 ? was.n : out.n;
	for (i = 0; i < n; i++)
		if (!orphan(&marks, from[i]))
			old = 1;	/* a marker by the old hash now */
		else if (ss_has(&out, from[i]))
			ss_add(&left, from[i], strlen(from[i]));
	ss_sort(&left);
	/* a folder not listed tells nothing: written only once all were */
	if (ok && !dry && !later)
		st = state_save(path, data, &left, old);
	po->all = !ok || old;
	po->safe = xcalloc(left.n + 1, sizeof *po->safe);
	for (i = 0; i < left.n; i++) {
		stem = left.v[i];
		stem[strlen(stem) - 17] = '\0';		/* SAFE alone */
		po->safe[po->n++] = stem;
		left.v[i] = NULL;
	}
	sort_strings(po->safe, po->n);
	free(data);
	free(path);
	ss_free(&was);
	ss_free(&out);
	ss_free(&marks);
	free(left.v);
	return st;
}

int
pohash_old_for(const struct pohash_old *po, const char *safe)
{
	struct sset s = { po->safe, po->n, po->n };

	return po->all || ss_has(&s, safe);
}

void
pohash_old_free(struct pohash_old *po)
{
	struct sset s = { po->safe, po->n, po->n };

	ss_free(&s);
	memset(po, 0, sizeof *po);
}
