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

/* "00" to "99": two digits a division (po-export-parse formats one
 * quantity a row, for the ledger). */
static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The 4 digits of v (< 10000) at d. */
static void
four(char *d, unsigned v)
{
	memcpy(d, pairs + 2 * (v / 100), 2);
	memcpy(d + 2, pairs + 2 * (v % 100), 2);
}

char *
dec_format(dec_t v, char buf[DEC_BUFSZ])
{
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	unsigned long long whole = m / DEC_ONE;
	unsigned frac = (unsigned)(m % DEC_ONE);
	char t[24], *w = t + sizeof t;
	size_t n = 0, k;

	/* The whole part backwards into t, two digits at a time. */
	for (; whole >= 100; whole /= 100)
		memcpy(w -= 2, pairs + 2 * (whole % 100), 2);
	if (whole >= 10)
		memcpy(w -= 2, pairs + 2 * whole, 2);
	else
		*--w = (char)('0' + whole);
	if (v < 0)
		buf[n++] = '-';
	memcpy(buf + n, w, (size_t)(t + sizeof t - w));
	n += (size_t)(t + sizeof t - w);
	/* The 8 places, less their trailing zeros. */
	if (frac) {
		buf[n++] = '.';
		four(buf + n, frac / 10000);
		four(buf + n + 4, frac % 10000);
		for (k = DEC_PLACES; buf[n + k - 1] == '0'; k--)
			;
		n += k;
	}
	buf[n] = 0;
	return buf;
}
