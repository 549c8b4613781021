/*
 * json -- see json.h.
 */
#include <string.h>

#include "json.h"
#include "util.h"

/* What cJSON writes for each byte: 0 the byte itself, 'u' \u00XX,
 * else a backslash and that letter. */
static const char esc[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	['"'] = '"', ['\\'] = '\\',
};

void
json_strn(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i, run = 0;
	char e[6] = { '\\', 'u', '0', '0' };

	buf_addc(out, '"');
	for (i = 0; i < n; i++) {
		if (!esc[u[i]])
			continue;
		buf_add(out, s + run, i - run);
		run = i + 1;
		if (esc[u[i]] == 'u') {
			e[4] = hex[u[i] >> 4], e[5] = hex[u[i] & 15];
			buf_add(out, e, 6);
		} else {
			e[1] = esc[u[i]];
			buf_add(out, e, 2);
			e[1] = 'u';
		}
	}
	buf_add(out, s + run, n - run);
	buf_addc(out, '"');
}

void
json_str(struct buf *out, const char *s)
{
	json_strn(out, s, strlen(s));
}
