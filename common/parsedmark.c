/*
 * parsedmark -- see parsedmark.h.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parsedmark.h"
#include "spool.h"
#include "util.h"
#include "version.h"

#define TEXT_(n)	#n
#define TEXT(n)		TEXT_(n)	/* a number, said: TEXT(PARSEDMARK_MAX) */

char *
parsedmark_dir(const char *spooldir)
{
	return spool_state_path(spooldir, "parsed");
}

char *
parsedmark_path(const char *dir, const char *hash)
{
	return xasprintf("%s/%s", dir, hash);
}

int
parsedmark_read(const char *path, char **data, size_t *len, const char **why)
{
	ssize_t r;
	int fd, e;

	*why = NULL;
	if (read_file(path, PARSEDMARK_MAX, data, len) == 0) {
		*why = parsedmark_damage(*data, *len);
		return 0;
	}
	if (errno != EFBIG || (fd = open_regular(path, O_RDONLY)) < 0)
		return -1;
	*data = xmalloc(PARSEDMARK_MAX + 1);
	for (*len = 0, r = 1; *len < PARSEDMARK_MAX && r != 0; )
		if ((r = read(fd, *data + *len, PARSEDMARK_MAX - *len)) > 0)
			*len += (size_t)r;
		else if (r < 0 && errno != EINTR)
			break;
	e = errno;
	close(fd);
	if (r < 0) {
		free(*data);
		errno = e;
		return -1;
	}
	(*data)[*len] = 0;	/* shorter: rewritten meanwhile, judged so */
	*why = *len < PARSEDMARK_MAX ? parsedmark_damage(*data, *len) :
	    "it is over " TEXT(PARSEDMARK_MAX) " bytes";
	return 0;
}

char *
parsedmark_name(const char *name)
{
	struct buf b = {0};
	unsigned char ch;

	buf_adds(&b, "");
	for (; *name; name++) {
		ch = (unsigned char)*name;
		if (ch < 0x20 || ch == '%' || ch >= 0x7f)
			buf_addf(&b, "%%%02X", ch);
		else
			buf_addc(&b, (char)ch);
	}
	return b.s;
}

char *
parsedmark_text(const char *name, const struct parsedmark_counts *c,
    int hashed)
{
	char *n = parsedmark_name(name), *t;

	t = xasprintf("%s\nrows %lu rejected %lu batches %lu recovered %lu\n"
	    "%s%sfile %s\n", PARSEDMARK_VERSION_LINE, c->rows, c->rejected,
	    c->batches, c->recovered, hashed ? PARSEDMARK_HASH_LINE : "",
	    hashed ? "\n" : "", n);
	free(n);
	return t;
}

/* The first line of data that starts with prefix (the prefix skipped),
 * or NULL. */
static const char *
find_line(const char *data, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p;

	for (p = data; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, n) == 0)
			return p + n;
	return NULL;
}

int
parsedmark_hashed(const char *data)
{
	const char *p = find_line(data, PARSEDMARK_HASH_LINE);

	return p && (*p == '\n' || *p == '\0' || (*p == '\r' && p[1] == '\n'));
}

/* "R rejected J batches B recovered C" read strictly (digits alone, no
 * sign or blank: sscanf's %lu would take "-1" as ULONG_MAX): how many of
 * the four numbers were read, in order. */
static int
scan_counts(const char *p, struct parsedmark_counts *c)
{
	static const char *const word[] = { "", " rejected ", " batches ",
	    " recovered " };
	unsigned long *v[] = { &c->rows, &c->rejected, &c->batches,
	    &c->recovered };
	long long x;
	size_t n;
	int i;

	for (i = 0; i < 4; i++) {
		n = strlen(word[i]);
		if (strncmp(p, word[i], n) != 0)
			return i;
		p += n;
		if (read_digits(&p, 19, &x) < 0)
			return i;
		*v[i] = (unsigned long)x;
	}
	return 4;
}

int
parsedmark_counts(const char *data, struct parsedmark_counts *c)
{
	const char *p = find_line(data, "rows ");

	memset(c, 0, sizeof *c);
	if (!p)
		return -1;
	scan_counts(p, c);
	return 0;
}

char *
parsedmark_file(const char *data)
{
	const char *p = find_line(data, "file ");
	size_t n;

	if (!p)
		return NULL;
	n = strcspn(p, "\n");	/* a CR before it is a CRLF line's: a CR in */
	if (n && p[n - 1] == '\r')	/* a name is %0D (parsedmark_name) */
		n--;
	return xstrndup(p, n);
}

/* 1 when data's first line is a version line, "posync-parsed N" (N >= 2,
 * read by version.h: trailing CR or blanks tolerated, a marker edited by
 * hand), N in *n (INT_MAX when it does not fit). */
static int
version_line(const char *data, int *n)
{
	long v;

	switch (version_check(data, strlen(data), PARSEDMARK_TAG, PARSEDMARK_V,
	    0, &v)) {
	case VERSION_SAME:
	case VERSION_LATER:
		*n = v < INT_MAX ? (int)v : INT_MAX;
		return 1;
	default:
		return 0;	/* none, or below 2: an older posync's */
	}
}

int
parsedmark_version(const char *data)
{
	int n;

	return version_line(data, &n) ? n : 1;
}

int
parsedmark_later(const char *data)
{
	return parsedmark_version(data) > PARSEDMARK_V;
}

/* The end of the line at p: its LF, or the NUL ending data. */
static const char *
line_end(const char *p)
{
	return p + strcspn(p, "\n");
}

/* Is a line of data neither blank nor a version or "file" line?  (Tells an
 * empty marker of an older posync, upgraded or not, from one whose counts
 * were lost.) */
static int
has_other_line(const char *data)
{
	const char *p;
	int n;

	for (p = data; *p; p = *line_end(p) ? line_end(p) + 1 : line_end(p)) {
		if (p == data && version_line(p, &n))
			continue;
		if (strncmp(p, "file ", 5) != 0 && line_end(p) != p &&
		    strspn(p, " \t\r") < (size_t)(line_end(p) - p))
			return 1;
	}
	return 0;
}

const char *
parsedmark_damage(const char *data, size_t len)
{
	struct parsedmark_counts c;
	const char *rows, *file;
	int n;

	if (memchr(data, 0, len) != NULL)
		return "it holds a NUL byte";
	rows = find_line(data, "rows ");
	file = find_line(data, "file ");
	memset(&c, 0, sizeof c);
	if (rows ? scan_counts(rows, &c) < 2 :
	    has_other_line(data) || (version_line(data, &n) && !file))
		return "its counts are cut short or missing";
	if (file && *line_end(file) == 0)
		return "its file line is cut short";
	return NULL;
}

char *
parsedmark_upgrade(const char *data, size_t len, const char *name,
    const char **what)
{
	char *file, *n;
	int v = parsedmark_version(data), named;
	struct buf b = {0};

	*what = NULL;
	if (v > PARSEDMARK_V || parsedmark_damage(data, len))
		return NULL;	/* not this posync's to rewrite */
	file = parsedmark_file(data);
	named = file != NULL;
	free(file);
	*what = !named && v < PARSEDMARK_V ? "names it and has its version line" :
	    !named ? "names it" : "has its version line";
	if (named && v == PARSEDMARK_V)
		return NULL;
	if (v < PARSEDMARK_V)
		buf_addf(&b, "%s\n", PARSEDMARK_VERSION_LINE);
	buf_add(&b, data, len);
	if (len && data[len - 1] != '\n')
		buf_addc(&b, '\n');
	if (!named) {
		n = parsedmark_name(name);
		buf_addf(&b, "file %s\n", n);
		free(n);
	}
	return b.s;
}
