/*
 * tsv -- see tsv.h.
 */
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "util.h"

char *
tsv_put(char *d, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\':
			*d++ = '\\', *d++ = '\\';
			break;
		case '\t':
			*d++ = '\\', *d++ = 't';
			break;
		case '\n':
			*d++ = '\\', *d++ = 'n';
			break;
		default:
			*d++ = s[i];
		}
	}
	return d;
}

void
tsv_esc(struct buf *out, const char *s)
{
	char t[2 * 512];
	size_t n = strlen(s), k;

	for (; n > 0; s += k, n -= k) {
		k = n < 512 ? n : 512;
		buf_add(out, t, (size_t)(tsv_put(t, s, k) - t));
	}
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
