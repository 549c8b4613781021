/*
 * tsv -- see tsv.h.
 */
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "util.h"

void
tsv_esc(struct buf *out, const char *s)
{
	const char *run = s;

	/* one append per run of plain bytes */
	for (; *s; s++) {
		if (*s != '\\' && *s != '\t' && *s != '\n')
			continue;
		buf_add(out, run, (size_t)(s - run));
		run = s + 1;
		buf_adds(out, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : "\\n");
	}
	buf_add(out, run, (size_t)(s - run));
}

int
tsv_unesc(char *out, const char *s, size_t len)
{
	size_t i, o = 0;
	char c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == '\\') {
			if (++i == len)
				return -1;
			if (s[i] == '\\')
				c = '\\';
			else if (s[i] == 't')
				c = '\t';
			else if (s[i] == 'n')
				c = '\n';
			else
				return -1;
		}
		if (out)
			out[o++] = c;
	}
	if (out)
		out[o] = 0;
	return 0;
}

char *
tsv_unesc_dup(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);

	if (tsv_unesc(out, s, len) == 0)
		return out;
	free(out);
	return NULL;
}

int
tsv_split(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	for (; *line; line++)
		if (*line == '\t') {
			if (n == max)
				return max + 1;
			*line = 0;
			f[n++] = line + 1;
		}
	return n;
}
