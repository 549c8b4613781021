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

/* 1 when the folder at path holds an entry (a folder not there: 0). */
static int
holds(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int any = 0;

	if (!d)
		return errno != ENOENT;	/* unreadable: as if it held some */
	while (!any && (e = readdir(d)))
		any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return any;
}

/* Did the spool hold output an older posync may have named? */
static int
held_output(const char *spooldir)
{
	static const char *const subs[] = { "new", "cur", "failed", "rejects",
	    NULL };
	const char *const *s;
	char *p = parsedmark_dir(spooldir);
	int any = holds(p);

	free(p);
	for (s = subs; !any && *s; s++) {
		p = spool_area_path(spooldir, "po", *s);
		any = holds(p);
		free(p);
	}
	return any;
}

/* A marker in SPOOL/state/parsed named by the old hash (no hash line;
 * one that cannot be read is taken as one): 1, else 0. */
static int
old_marker(const char *spooldir)
{
	char *dir = parsedmark_dir(spooldir), **v, *p, *data;
	const char *why;
	struct stat st;
	size_t i, n, len;
	int old = 0;

	if (stat(dir, &st) < 0 && errno == ENOENT) {
		free(dir);
		return 0;	/* a dry run's spool not made yet */
	}
	if (spool_list(dir, NULL, &v, &n) != 0) {
		free(dir);
		return 1;	/* said */
	}
	for (i = 0; i < n && !old; i++) {
		p = path_join(dir, v[i]);
		if (parsedmark_read(p, &data, &len, &why) < 0)
			old = errno != ENOENT;	/* gone since the listing */
		else {
			old = !parsedmark_hashed(data);
			free(data);
		}
		free(p);
	}
	spool_list_free(v);
	free(dir);
	return old;
}

/* T from the text of SPOOL/state/po-hash: 0, or -1 when it is not this
 * form (a later posync's version line read as this one's). */
static int
until_read(const char *data, size_t len, long long *t)
{
	const char *p;
	char *end;
	enum version_is v;

	v = version_check(data, len, POHASH_TAG, POHASH_V, 0, NULL);
	if ((v != VERSION_SAME && v != VERSION_LATER) ||
	    !(p = memchr(data, '\n', len)) || strncmp(p + 1, "old-until ", 10))
		return -1;
	p += 11;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	*t = strtoll(p, &end, 10);
	if (errno || (*end != '\n' && *end != '\0') || *t < 0)
		return -1;
	return 0;
}

int
pohash_legacy(const char *spooldir, int keep_days, int dry, time_t now)
{
	char *path = spool_state_path(spooldir, POHASH_STATE), *data = NULL;
	long long until = 0, most;
	const char *why = NULL;
	size_t len;

	most = (long long)now + (long long)(keep_days < 0 ? LEGACY_DAYS :
	    keep_days) * 86400;
	if (read_file(path, 256, &data, &len) < 0) {
		if (errno != ENOENT)
			why = "cannot be read";
		else
			until = held_output(spooldir) ? most : 0;
	} else if (until_read(data, len, &until) < 0)
		why = "is damaged";
	else if (version_check(data, len, POHASH_TAG, POHASH_V, 0, NULL) ==
	    VERSION_LATER)
		version_later_said(path, NULL, data, POHASH_VERSION_LINE,
		    "read as this posync reads its own");
	else if (until > most)
		why = "is ahead of the clock";
	if (why) {
		msg_warn("%s %s: the old hash's names are looked for until %lld "
		    "(pohash.h)", path, why, most);
		until = most;
	}
	if (!dry && (why || !data)) {
		free(data);
		data = xasprintf("%s\nold-until %lld\n", POHASH_VERSION_LINE,
		    until);
		spool_write_atomic(path, data, strlen(data));	/* said */
	}
	free(data);
	free(path);
	return now < until || old_marker(spooldir);
}
