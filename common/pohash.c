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

#include "map.h"
#include "msg.h"
#include "parsedmark.h"
#include "pohash.h"
#include "safename.h"
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
output_stems(const char *spooldir, struct map *s)
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
					map_putn(s, v[i], (size_t)(end - v[i]),
					    NULL);
			spool_list_free(v);
		}
		free(dir);
	}
	return r;
}

/* The markers in SPOOL/state/parsed: their names into s, and, with read,
 * *old 1 when one is named by the old hash (no hash line; one that
 * cannot be read is taken as one).  0, or -1 when the folder cannot be
 * listed (said). */
static int
markers(const char *spooldir, struct map *s, int read, int *old)
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
		map_putn(s, v[i], 16, NULL);
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
	return 0;
}

/* Is p (n bytes) a stem, SAFE.HASH16: a name the spool takes
 * (safename.h's rule) ending in a hash? */
static int
is_stem(const char *p, size_t n)
{
	char *stem;
	int ok;

	if (n < 18 || p[n - 17] != '.' || !is_hash16(p + n - 16))
		return 0;
	stem = xstrndup(p, n);
	ok = strlen(stem) == n && spool_name_ok(stem, NULL);
	free(stem);
	return ok;
}

/* The text of SPOOL/state/po-hash (NUL-terminated) read: 1 for "old
 * done", 0 with the orphans' stems in s and *marks 0 when it says
 * "hashed" (every marker has the hash line), -1 when it is not this
 * form. */
static int
state_read(const char *data, size_t len, struct map *s, int *marks)
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
		map_putn(s, p + 1, n, NULL);
		p += 1 + n;
	}
	if (strcmp(p, "\n") != 0)
		return -1;
	return 0;
}

/* po-hash's text: "old done", or "old", "hashed" when no marker lacks
 * the hash line, and the orphans' stems. */
static char *
state_text(const struct map *s, int marks)
{
	struct buf b = {0};
	size_t i, n;
	const char **v = map_sorted(s, &n);

	buf_addf(&b, "%s\nold", POHASH_VERSION_LINE);
	if (!marks && !n)
		buf_adds(&b, " done");
	else if (!marks)
		buf_adds(&b, " hashed");
	for (i = 0; i < n; i++)
		buf_addf(&b, " %s", v[i]);
	buf_addc(&b, '\n');
	free(v);
	return b.s;
}

/* The stem's hash: an orphan while no marker has it. */
static int
orphan(const struct map *marks, const char *stem)
{
	return !map_get(marks, stem + strlen(stem) - 16);
}

/* po-hash read: 1 "old done", 0 the orphans in s, -1 missing or not
 * readable as this form (*why what to say, NULL when missing); *data its
 * text, *later a later posync's. */
static int
state_load(const char *path, struct map *s, int *marks, char **data,
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
state_save(const char *path, const char *was, const struct map *left,
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
	char *path = spool_state_path(spooldir, POHASH_STATE), *data;
	struct map *was = map_new(0), *out = map_new(0), *marks = map_new(0),
	    *left = map_new(0), *from;
	const char *why, *stem;
	int r, old = 1, later, ok, read = 1, st = 0;
	size_t it;

	memset(po, 0, sizeof *po);
	po->safe = map_new(0);
	if ((r = state_load(path, was, &read, &data, &later, &why)) == 1)
		goto done;	/* the old hash is never looked for */
	if (why)
		msg_warn("%s %s: made again from the spool, as on the first run "
		    "of this posync (po-export-parse(1), FILES)", path, why);
	if (r < 0)
		read = 1;	/* made again: every marker read */
	ok = output_stems(spooldir, out) == 0 &&
	    markers(spooldir, marks, read, &old) == 0;
	if (!read)
		old = 0;	/* po-hash said no marker lacks the line */
	/* the orphans: output without a marker, of those po-hash kept, or
	 * of the whole spool when it kept none it could say */
	from = r == 0 ? was : out;
	for (it = 0; map_next(from, &it, &stem); )
		if (!orphan(marks, stem))
			old = 1;	/* a marker by the old hash now */
		else if (map_get(out, stem))
			map_put(left, stem, NULL);
	/* a folder not listed tells nothing: written only once all were */
	if (ok && !dry && !later)
		st = state_save(path, data, left, old);
	po->all = !ok || old;
	for (it = 0; map_next(left, &it, &stem); )
		map_putn(po->safe, stem, strlen(stem) - 17, NULL); /* SAFE */
done:
	free(data);
	free(path);
	map_free(was);
	map_free(out);
	map_free(marks);
	map_free(left);
	return st;
}

int
pohash_old_for(const struct pohash_old *po, const char *name)
{
	char *safe;
	int r;

	if (po->all || !map_count(po->safe))
		return po->all;
	safe = safename(name, strlen(name));
	r = map_get(po->safe, safe) != NULL;
	free(safe);
	return r;
}

void
pohash_old_free(struct pohash_old *po)
{
	map_free(po->safe);
	memset(po, 0, sizeof *po);
}
