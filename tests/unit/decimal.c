/*
 * Unit tests for common/decimal.c: strict parsing, exact formatting,
 * overflow, and doubles from JSON coming back exact.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "decimal.h"

static void
parse_ok(const char *s, dec_t want)
{
	dec_t v = -1;
	int r = dec_parse(s, strlen(s), &v);

	if (!ok(r == 0 && v == want, "parse \"%s\"", s))
		printf("#   got r=%d v=%lld, want %lld\n", r, (long long)v, (long long)want);
}

static void
parse_bad(const char *s, size_t len, int want)
{
	dec_t v = 12345;
	int r = dec_parse(s, len, &v);

	if (!ok(r == want && v == 12345, "parse \"%.*s\" refused with %d", (int)len, s, want))
		printf("#   got r=%d v=%lld\n", r, (long long)v);
}

static void
format_is(dec_t v, const char *want)
{
	char buf[DEC_BUFSZ];

	is_str(dec_format(v, buf), want, "format %lld", (long long)v);
}

static void
double_is(double d, const char *text, dec_t want)
{
	dec_t v = -1;
	int r = dec_from_double(d, &v);

	if (!ok(r == 0 && v == want, "dec_from_double(%s)", text))
		printf("#   got r=%d v=%lld, want %lld\n", r, (long long)v, (long long)want);
}

static void
test_parse(void)
{
	dec_t w = 0;

	parse_ok("0", 0);
	parse_ok("5", 5 * DEC_ONE);
	parse_ok("11", 1100000000LL);
	parse_ok("0.3", 30000000LL);
	parse_ok("1.5", 150000000LL);
	parse_ok("12.00000001", 1200000001LL);
	parse_ok("007.50", 750000000LL);
	parse_ok("0.12345678", 12345678LL);
	parse_ok("9999999999.99999999", 999999999999999999LL);
	is_int(dec_parse("12abc", 2, &w), 0, "only len bytes are read");
	is_int(w, 12 * DEC_ONE, "  giving 12");
}

static void
test_parse_bad(void)
{
	parse_bad("-1", 2, -1);
	parse_bad("1e3", 3, -1);
	parse_bad("1.123456789", 11, -2);
	parse_bad("", 0, -1);
	parse_bad(".", 1, -1);
	parse_bad("1.", 2, -1);
	parse_bad(" 1", 2, -1);
	parse_bad("1 ", 2, -1);
	parse_bad("+1", 2, -1);
	parse_bad(".5", 2, -1);
	parse_bad("1.2.3", 5, -1);
	parse_bad("0x10", 4, -1);
	parse_bad("1,5", 3, -1);
	parse_bad("1.5x", 4, -1);
	parse_bad("1.123456789x", 12, -1);
	parse_bad("NaN", 3, -1);
	parse_bad("10000000000", 11, -3);
	parse_bad("99999999999999999999999999", 26, -3);
	parse_bad("9223372036854775807", 19, -3);
}

static void
test_format(void)
{
	format_is(0, "0");
	format_is(5 * DEC_ONE, "5");
	format_is(30000000LL, "0.3");
	format_is(150000000LL, "1.5");
	format_is(1200000001LL, "12.00000001");
	format_is(1, "0.00000001");
	format_is(1000 * DEC_ONE, "1000");
	format_is(-30000000LL, "-0.3");
	format_is(INT64_MAX, "92233720368.54775807");
	format_is(INT64_MIN, "-92233720368.54775808");
}

/* dec_format against printf's digits, trailing zeros cut by hand, for
 * values of every length, both signs, the pairs of digits at each place. */
static void
test_format_many(void)
{
	char buf[DEC_BUFSZ], want[64];
	unsigned long long m;
	dec_t v;
	int i, bad = 0;
	size_t n;

	srand(7);
	for (i = 0; i < 300000; i++) {
		m = ((unsigned long long)rand() << 32 | (unsigned)rand()) >> (rand() % 64);
		v = (dec_t)(m & INT64_MAX);
		if (i & 1)
			v = -v;
		n = (size_t)snprintf(want, sizeof want, "%s%llu.%08llu", v < 0 ? "-" : "",
		    (unsigned long long)llabs(v) / DEC_ONE,
		    (unsigned long long)llabs(v) % DEC_ONE);
		while (want[n - 1] == '0')
			want[--n] = 0;
		if (want[n - 1] == '.')
			want[--n] = 0;
		if (v == 0)
			strcpy(want, "0");
		if (strcmp(dec_format(v, buf), want) != 0 && bad++ < 5)
			printf("#   %lld: got %s, want %s\n", (long long)v, buf, want);
	}
	is_int(bad, 0, "300000 random values formatted as printf's digits");
}

/* Parsed then formatted, a canonical text comes back as it was; and
 * 0.1 + 0.2 is 0.3, exactly. */
static void
test_round_trip(void)
{
	static const char *const trips[] = {
		"0", "5", "0.3", "1.5", "12.00000001", "0.00000001", "100",
		"99999999.99999999", "9999999999.99999999", "1234567.1234567",
		"10.1", NULL
	};
	const char *const *t;
	char buf[DEC_BUFSZ];
	dec_t a, b, c, v;

	for (t = trips; *t; t++) {
		v = -1;
		if (dec_parse(*t, strlen(*t), &v) != 0) {
			ok(0, "round trip \"%s\": parse failed", *t);
			continue;
		}
		is_str(dec_format(v, buf), *t, "round trip \"%s\"", *t);
	}

	dec_parse("0.1", 3, &a);
	dec_parse("0.2", 3, &b);
	dec_parse("0.3", 3, &c);
	ok(a + b == c, "0.1 + 0.2 == 0.3 exactly");
	is_str(dec_format(a + b, buf), "0.3", "  and prints as 0.3");
	ok(0.1 + 0.2 != 0.3, "  (while in doubles it is not)");
}

static void
test_from_double(void)
{
	dec_t v;

	double_is(0.1, "0.1", 10000000LL);
	double_is(1.5, "1.5", 150000000LL);
	double_is(12.00000001, "12.00000001", 1200000001LL);
	double_is(0.1 + 0.2, "0.1 + 0.2 as a double", 30000000LL);
	double_is(11, "11", 1100000000LL);
	double_is(-0.0, "-0.0", 0);
	double_is(9999999.99999999, "9999999.99999999", 999999999999999LL);
	v = 7;
	is_int(dec_from_double(-1, &v), -1, "dec_from_double(-1) refused");
	is_int(dec_from_double(NAN, &v), -1, "dec_from_double(NaN) refused");
	is_int(dec_from_double(INFINITY, &v), -1, "dec_from_double(inf) refused");
	is_int(dec_from_double(1e300, &v), -1, "dec_from_double(1e300) refused");
	is_int(v, 7, "  and *out untouched");
}

/* Any value written with at most 8 places below 1e7, read by strtod
 * as cJSON would, comes back exact. */
static void
test_random_doubles(void)
{
	char text[64];
	dec_t v;
	int i, bad;
	double d;

	srand(42);
	bad = 0;
	for (i = 0; i < 200000; i++) {
		long whole = rand() % 10000000;
		long frac = rand() % 100000000;
		dec_t want = (dec_t)whole * DEC_ONE + frac;

		snprintf(text, sizeof text, "%ld.%08ld", whole, frac);
		d = strtod(text, NULL);
		if (dec_from_double(d, &v) != 0 || v != want) {
			if (bad++ < 5)
				printf("#   %s came back as %lld\n", text, (long long)v);
		}
	}
	is_int(bad, 0, "200000 random 8-place values below 1e7 come back exact");
}

int
main(void)
{
	test_parse();
	test_parse_bad();
	test_format();
	test_format_many();
	test_round_trip();
	test_from_double();
	test_random_doubles();
	return done_testing();
}
