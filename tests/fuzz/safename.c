/*
 * safename -- common/safename.c's safename, and msg_quote (common/msg.c).
 *
 * The input is split at its first NUL byte (when it has one) into two
 * remote names a and b.  Invariants:
 *  - safename(x) is a safe local name: 1..SAFENAME_MAX bytes (so within
 *    NAME_MAX) of [A-Za-z0-9._+=@,-], not starting with '-' or '.';
 *  - it is stable (the same name twice gives the same result);
 *  - it is reversible when not shortened: decoding =XX gives x back;
 *  - it is injective: safename(a) == safename(b) only when a == b (for
 *    shortened names, up to the documented 64-bit hash);
 *  - msg_quote(x) (common/msg.c) is x in double quotes with no control
 *    byte, at most MSG_QUOTE_MAX escaped bytes, that decodes back to x
 *    (to a prefix of x when it says it was cut).
 */
#include <limits.h>
#include <string.h>

#include "fuzz.h"
#include "msg.h"
#include "safename.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode a name that was not shortened; -1 when it is not an escape. */
static long
unsafe(const char *s, char *out, size_t cap)
{
	size_t i, o = 0;
	int h, l;

	for (i = 0; s[i]; i++) {
		if (o == cap)
			return -1;
		if (s[i] != '=') {
			out[o++] = s[i];
			continue;
		}
		if ((h = hexval(s[i + 1])) < 0 || (l = hexval(s[i + 2])) < 0)
			return -1;
		out[o++] = (char)(h << 4 | l);
		i += 2;
	}
	return (long)o;
}

static char *
check_name(const char *x, size_t n)
{
	static char dec[SAFENAME_MAX + 1];
	char *s = safename(x, n), *again = safename(x, n);
	size_t len = strlen(s);
	long d;

	FUZZ_CHECK(len >= 1 && len <= SAFENAME_MAX && len <= NAME_MAX,
	    "length %zu", len);
	FUZZ_CHECK(strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._+=@,-") == len, "unsafe byte in %s", s);
	FUZZ_CHECK(s[0] != '-' && s[0] != '.', "%s starts with - or .", s);
	FUZZ_CHECK(strcmp(s, again) == 0, "unstable: %s then %s", s, again);
	free(again);
	if (!strstr(s, "=_")) {		/* not shortened: reversible */
		d = unsafe(s, dec, sizeof dec);
		if (n == 0)
			FUZZ_CHECK(strcmp(s, "=") == 0, "empty name gave %s", s);
		else
			FUZZ_CHECK(d == (long)n && memcmp(dec, x, n) == 0,
			    "%s does not decode to the %zu-byte name", s, n);
	}
	/* shortened names: checked by injectivity in the caller */
	return s;
}

static void
check_quote(const char *x, size_t n)
{
	char *q = msg_quote(x, n), *out = malloc(n + 1);
	size_t i, o = 0, len = strlen(q), body;
	int cut;

	/* "ESCAPED" or, when cut, "ESCAPED"... */
	cut = len >= 5 && strcmp(q + len - 4, "\"...") == 0;
	body = len - (cut ? 4 : 1);
	FUZZ_CHECK(len >= 2 && q[0] == '"' && q[body] == '"', "not quoted: %s", q);
	FUZZ_CHECK(body - 1 <= MSG_QUOTE_MAX, "%zu escaped bytes", body - 1);
	for (i = 1; i < body; i++) {
		unsigned char c = (unsigned char)q[i];

		FUZZ_CHECK(c >= 0x20 && c != 0x7f, "byte %02X in msg_quote", c);
		FUZZ_CHECK(c != '"', "a bare quote inside %s", q);
		FUZZ_CHECK(o < n, "msg_quote decodes to more than %zu bytes", n);
		if (c != '\\') {
			out[o++] = (char)c;
			continue;
		}
		c = (unsigned char)q[++i];
		if (c == '\\' || c == '"')
			out[o++] = (char)c;
		else if (c == 'n')
			out[o++] = '\n';
		else if (c == 'r')
			out[o++] = '\r';
		else if (c == 't')
			out[o++] = '\t';
		else {
			int h, l;

			FUZZ_CHECK(c == 'x' && (h = hexval(q[i + 1])) >= 0 &&
			    (l = hexval(q[i + 2])) >= 0, "bad escape in %s", q);
			out[o++] = (char)(h << 4 | l);
			i += 2;
		}
	}
	/* whole, it reads back as x; cut, as a prefix of x */
	FUZZ_CHECK((cut ? o < n : o == n) && memcmp(out, x, o) == 0,
	    "msg_quote %s does not decode back", q);
	free(out);
	free(q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *a = (const char *)data, *b = NULL, *nul;
	size_t na = size, nb = 0;
	char *sa, *sb;

	if ((nul = memchr(data, 0, size)) != NULL) {
		na = (size_t)(nul - a);
		b = nul + 1;
		nb = size - na - 1;
	}
	sa = check_name(a, na);
	check_quote(a, size);
	if (b) {
		sb = check_name(b, nb);
		FUZZ_CHECK((strcmp(sa, sb) == 0) == (na == nb && memcmp(a, b, na) == 0),
		    "names differ but both give %s (or equal names, %s and %s)", sa, sa, sb);
		free(sb);
	}
	free(sa);
	return 0;
}
