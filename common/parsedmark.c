/*
 * parsedmark -- see parsedmark.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsedmark.h"
#include "util.h"

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
parsedmark_text(const char *name, const struct parsedmark_counts *c)
{
	char *n = parsedmark_name(name), *t;

	t = xasprintf("%s\nrows %lu rejected %lu batches %lu recovered %lu\n"
	    "file %s\n", PARSEDMARK_VERSION_LINE, c->rows, c->rejected,
	    c->batches, c->recovered, n);
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
parsedmark_counts(const char *data, struct parsedmark_counts *c)
{
	const char *p = find_line(data, "rows ");

	memset(c, 0, sizeof *c);
	if (!p)
		return -1;
	sscanf(p, "%lu rejected %lu batches %lu recovered %lu", &c->rows,
	    &c->rejected, &c->batches, &c->recovered);
	return 0;
}

char *
parsedmark_file(const char *data)
{
	const char *p = find_line(data, "file ");

	return p ? xstrndup(p, strcspn(p, "\n")) : NULL;
}

int
parsedmark_version(const char *data)
{
	size_t n = strlen(PARSEDMARK_VERSION_LINE);

	return strncmp(data, PARSEDMARK_VERSION_LINE, n) == 0 &&
	    (data[n] == '\n' || data[n] == 0) ? 2 : 1;
}

char *
parsedmark_upgrade(const char *data, size_t len, const char *name,
    const char **what)
{
	char *file = parsedmark_file(data), *n;
	int old = parsedmark_version(data) < 2, named = file != NULL;
	struct buf b = {0};

	free(file);
	*what = !named && old ? "names it and has its version line" :
	    !named ? "names it" : "has its version line";
	if (named && !old)
		return NULL;
	if (old)
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
