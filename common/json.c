/*
 * json -- see json.h.
 */
#include <stdint.h>
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

/* 1 when one of the 8 bytes in x needs escaping: below 0x20, '"' or
 * '\\' (exact for "any", not for which: the table says that). */
static int
any_esc(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) |
	    ((b - ones) & ~b)) & highs ? 1 : 0;
}

char *
json_put(char *d, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, end;
	uint64_t x;

	while (i < n) {
		/* 8 plain bytes at a time, most of them */
		if (n - i >= 8 && (memcpy(&x, u + i, 8), !any_esc(x))) {
			memcpy(d, &x, 8);
			d += 8, i += 8;
			continue;
		}
		for (end = n - i >= 8 ? i + 8 : n; i < end; i++) {
			if (!esc[u[i]]) {
				*d++ = (char)u[i];
				continue;
			}
			*d++ = '\\';
			if (esc[u[i]] == 'u') {
				memcpy(d, "u00", 3);
				d[3] = hex[u[i] >> 4], d[4] = hex[u[i] & 15];
				d += 5;
			} else
				*d++ = esc[u[i]];
		}
	}
	return d;
}

void
json_strn(struct buf *out, const char *s, size_t n)
{
	char t[6 * 512];
	size_t k;

	buf_addc(out, '"');
	for (; n > 0; s += k, n -= k) {
		k = n < 512 ? n : 512;
		buf_add(out, t, (size_t)(json_put(t, s, k) - t));
	}
	buf_addc(out, '"');
}

void
json_str(struct buf *out, const char *s)
{
	json_strn(out, s, strlen(s));
}
