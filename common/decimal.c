/*
 * decimal -- see decimal.h.  A quantity is an int64 count of 1e-8 units.
 * Parsed values are capped below DEC_LIMIT (1e10 whole units, far above
 * any real quantity), so a sum of up to 900 of them cannot overflow; code
 * that adds more checks with __builtin_add_overflow as usual.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"

#define DEC_LIMIT (10000000000LL * DEC_ONE)	/* 1e10 whole units */

int
dec_parse(const char *s, size_t len, dec_t *out)
{
	dec_t whole = 0, frac = 0;
	size_t i = 0, nd = 0, nf = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if (whole >= DEC_LIMIT / DEC_ONE)
			return DEC_TOO_LARGE;	/* checked before it can overflow */
		whole = whole * 10 + (s[i] - '0');
		i++;
		nd++;
	}
	if (nd == 0)
		return DEC_MALFORMED;
	if (whole >= DEC_LIMIT / DEC_ONE)
		return DEC_TOO_LARGE;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (++nf > DEC_PLACES) {
				/* Say "too many places" only for a number
				 * that is otherwise well formed. */
				while (i < len && s[i] >= '0' && s[i] <= '9')
					i++;
				return i == len ? DEC_TOO_PRECISE : DEC_MALFORMED;
			}
			frac = frac * 10 + (s[i] - '0');
			i++;
		}
		if (nf == 0)
			return DEC_MALFORMED;
	}
	if (i != len)
		return DEC_MALFORMED;
	for (; nf < DEC_PLACES; nf++)
		frac *= 10;
	*out = whole * DEC_ONE + frac;
	return 0;
}

int
dec_from_double(double d, dec_t *out)
{
	char buf[64];
	int n;

	if (!isfinite(d) || d < 0)
		return -1;
	if (d == 0) {		/* also -0.0, which printf would sign */
		*out = 0;
		return 0;
	}
	if (d >= (double)(DEC_LIMIT / DEC_ONE))
		return -1;
	/* printf rounds the double's exact binary value correctly to 8
	 * places; for a value written with at most 8 places below 1e7 the
	 * double is within far less than half a unit of the 8th place, so
	 * this gives back exactly what was written. */
	n = snprintf(buf, sizeof buf, "%.8f", d);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	return dec_parse(buf, (size_t)n, out) == 0 ? 0 : -1;
}

char *
dec_format(dec_t v, char buf[DEC_BUFSZ])
{
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	unsigned long long whole = m / DEC_ONE, frac = m % DEC_ONE;
	char t[DEC_BUFSZ];
	size_t n = 0, i = 0;
	int places = DEC_PLACES;

	/* Backwards into t, by hand (no printf: po-export-parse formats one
	 * a row): the places without trailing zeros, the point, the rest. */
	while (places > 0 && frac % 10 == 0)
		frac /= 10, places--;
	for (; places > 0; places--, frac /= 10)
		t[n++] = (char)('0' + frac % 10);
	if (n)
		t[n++] = '.';
	do
		t[n++] = (char)('0' + whole % 10);
	while ((whole /= 10) > 0);
	if (v < 0)
		t[n++] = '-';
	while (n)
		buf[i++] = t[--n];
	buf[i] = 0;
	return buf;
}
