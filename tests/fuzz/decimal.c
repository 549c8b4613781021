/*
 * decimal -- common/decimal.c: dec_parse, dec_format, dec_from_double.
 *
 * Invariants, for any text:
 *  - dec_parse accepts exactly the plain decimals (digits, optionally '.'
 *    and 1..8 digits) below 1e10, checked against a reference written
 *    here; -2 only for a well-formed number with too many places;
 *  - any quantity below the limit, and what it accepts, dec_format writes back as text that dec_parse reads
 *    to the same value, and that text is the shortest: no leading zero
 *    (but "0"), no trailing zero after the point, no lone point;
 *  - a value written with at most 8 places below 1e7, read as a double
 *    (as cJSON reads HotWax's numbers), comes back exact through
 *    dec_from_double.
 */
#include <math.h>
#include <string.h>

#include "decimal.h"
#include "fuzz.h"

/* The reference: 1 when s is a plain decimal dec_parse must accept. */
static int
plain_decimal(const char *s, size_t n)
{
	size_t i = 0, w, f = 0;

	while (i < n && s[i] == '0')
		i++;
	w = i;			/* leading zeros do not count towards 1e10 */
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || i - w > 10)
		return 0;
	if (i < n) {
		if (s[i++] != '.')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, f++;
		if (f == 0 || f > 8 || i != n)
			return 0;
	}
	return 1;
}

static void
check_text(const char *s, size_t n)
{
	char buf[DEC_BUFSZ], *t;
	dec_t v = -1, w = -1;
	int r = dec_parse(s, n, &v), ref = plain_decimal(s, n);
	double d;

	if (ref && r == -3)
		return;		/* ten digits of 9999999999 and more: too large */
	FUZZ_CHECK((r == 0) == ref, "dec_parse %.*s gave %d", (int)n, s, r);
	if (r != 0)
		return;
	FUZZ_CHECK(v >= 0, "negative value %lld", (long long)v);
	t = dec_format(v, buf);
	FUZZ_CHECK(dec_parse(t, strlen(t), &w) == 0 && w == v,
	    "%.*s formatted as %s reads back as %lld", (int)n, s, t, (long long)w);
	FUZZ_CHECK(strcmp(t, "0") == 0 || t[0] != '0' || t[1] == '.',
	    "%s has a leading zero", t);
	FUZZ_CHECK(!strchr(t, '.') || t[strlen(t) - 1] != '0', "%s: trailing zero", t);
	FUZZ_CHECK(t[strlen(t) - 1] != '.', "%s: lone point", t);
	if (v < 10000000LL * DEC_ONE) {
		d = strtod(t, NULL);
		w = -1;
		FUZZ_CHECK(dec_from_double(d, &w) == 0 && w == v,
		    "%s as a double %.17g came back as %lld", t, d, (long long)w);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	double d;
	dec_t v, w;

	/* The whole input as text... */
	check_text((const char *)data, size);
	/* ...and, when it is 8 bytes, as a quantity (any below the limit
	 * formats to text that reads back equal) and as a double: never
	 * negative, never too large, and a result that round-trips. */
	if (size == sizeof v) {
		memcpy(&v, data, sizeof v);
		v = (dec_t)((uint64_t)v % (10000000000ULL * DEC_ONE));
		dec_format(v, s);
		check_text(s, strlen(s));
		FUZZ_CHECK(dec_parse(s, strlen(s), &w) == 0 && w == v,
		    "%lld formats as %s", (long long)v, s);
	}
	if (size == sizeof d) {
		memcpy(&d, data, sizeof d);
		if (dec_from_double(d, &v) == 0) {
			FUZZ_CHECK(isfinite(d) && d >= 0 && v >= 0, "%.17g gave %lld",
			    d, (long long)v);
			dec_format(v, s);
			check_text(s, strlen(s));
		}
	}
	return 0;
}
