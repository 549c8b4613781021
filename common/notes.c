/*
 * notes -- see notes.h.  future.c's notes and receipt-push's .unread
 * and errors-seen lists were three copies of one "name, then what is
 * known of it" file; this is the one.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "notes.h"
#include "spool.h"
#include "util.h"
#include "version.h"

#define NOTES_MAX	(16 << 20)	/* bytes of a notes file */

struct notes {
	char *path;
	char *raw;		/* the file as read, NULL when there was none */
	const char *lines;	/* raw past its version line */
	struct buf next;	/* NOTES_VERSION and the lines kept */
};

/* The lines of a file as read: past its version line, or all of an
 * older posync's (none); NULL for a later version's (version.h: a
 * trailing CR or blanks are not a later version, only a higher number
 * is).  A line with the tag but no number is skipped, as ever. */
static const char *
past_version(const char *raw)
{
	const char *nl;

	switch (version_check(raw, strlen(raw), NOTES_TAG, NOTES_V, 0, NULL)) {
	case VERSION_NONE:
		return raw;	/* no version line: an older posync's */
	case VERSION_LATER:
		return NULL;
	default:
		nl = strchr(raw, '\n');
		return nl ? nl + 1 : raw + strlen(raw);
	}
}

struct notes *
notes_open(const char *path, int must_read)
{
	struct notes *n = xcalloc(1, sizeof *n);
	size_t len;

	n->path = xstrdup(path);
	buf_adds(&n->next, NOTES_VERSION "\n");
	if (read_file(path, NOTES_MAX, &n->raw, &len) < 0) {
		n->raw = NULL;
		if (errno == ENOENT)
			return n;
		if (must_read) {
			msg_cannot_read(path);
			notes_close(n);
			return NULL;
		}
		msg_warnerr("%s: ignored", path);
		return n;
	}
	if ((n->lines = past_version(n->raw)) == NULL) {
		version_later_said(path, NULL, NULL, NOTES_VERSION, must_read ?
		    "not read" : "ignored; it will be replaced");
		if (must_read) {
			notes_close(n);
			return NULL;
		}
		n->lines = "";
	}
	return n;
}

const char *
notes_find(const struct notes *n, const char *key)
{
	size_t kl = strlen(key);
	const char *p;

	if (!n->lines || kl == 0)
		return NULL;
	for (p = n->lines; (p = strstr(p, key)) != NULL; p++)
		if ((p == n->lines || p[-1] == '\n') &&
		    (p[kl] == ' ' || p[kl] == '\n' || p[kl] == 0))
			return p[kl] == ' ' ? p + kl + 1 : p + kl;
	return NULL;
}

void
notes_each(const struct notes *n, notes_fn *fn, void *arg)
{
	const char *p, *e;
	size_t kl;
	char *key;

	for (p = n->lines; p && *p; p = *e ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if ((kl = strcspn(p, " \n")) == 0)
			continue;
		key = xstrndup(p, kl);
		fn(key, p[kl] == ' ' ? p + kl + 1 : p + kl, arg);
		free(key);
	}
}

int
notes_nums(const char *rest, long long *v, int n)
{
	const char *p = rest;
	int i;

	for (i = 0; i < n; i++)	/* one blank between, none before */
		if ((i && *p++ != ' ') || read_digits(&p, 19, &v[i]) < 0)
			return -1;
	p += strspn(p, " \t\r");	/* as an editor may leave a line */
	return *p && *p != '\n' ? -1 : 0;
}

void
notes_keep(struct notes *n, const char *key)
{
	buf_addf(&n->next, "%s\n", key);
}

void
notes_keepf(struct notes *n, const char *key, const char *fmt, ...)
{
	va_list ap;

	buf_adds(&n->next, key);
	buf_addc(&n->next, ' ');
	va_start(ap, fmt);
	buf_vaddf(&n->next, fmt, ap);
	va_end(ap);
	buf_addc(&n->next, '\n');
}

int
notes_save(struct notes *n)
{
	int none = n->next.len == strlen(NOTES_VERSION "\n");

	if (none && !n->raw)
		return 0;
	if (!none && n->raw && strcmp(n->raw, n->next.s) == 0)
		return 0;
	if (none) {
		if (unlink(n->path) < 0 && errno != ENOENT) {
			msg_warnerr("cannot remove %s", n->path);
			return EX_IOERR;
		}
		return 0;
	}
	return spool_write_atomic(n->path, n->next.s, n->next.len) ? EX_IOERR : 0;
}

void
notes_close(struct notes *n)
{
	if (!n)
		return;
	free(n->path);
	free(n->raw);
	buf_free(&n->next);
	free(n);
}
