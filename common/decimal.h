/*
 * decimal -- exact quantities: fixed point with 8 decimal places, as
 * NetSuite allows.  Sums and comparisons are integer arithmetic; never
 * floating point.
 */
#ifndef POSYNC_DECIMAL_H
#define POSYNC_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t dec_t;			/* units of 1e-8 */
#define DEC_ONE 100000000LL
#define DEC_PLACES 8
#define DEC_BUFSZ 32
/* Every quantity is below this, 1e10 whole units (far above any real
 * one): dec_parse refuses more, and a sum kept must stay below too. */
#define DEC_LIMIT (10000000000LL * DEC_ONE)

/* Parse a plain decimal: digits, optionally '.' and 1..8 digits; no sign,
 * exponent or spaces.  0 on success, else why not. */
#define DEC_MALFORMED	(-1)
#define DEC_TOO_PRECISE	(-2)	/* more than 8 places */
#define DEC_TOO_LARGE	(-3)
int dec_parse(const char *s, size_t len, dec_t *out);
/* A JSON number (as cJSON gives it, a double) to dec_t, rounded to 8
 * places: exact for any value written with at most 8 places below 1e7.
 * -1 when negative, not finite or too large. */
int dec_from_double(double d, dec_t *out);
/* The shortest exact decimal: "5", "0.3", "12.00000001"; into buf. */
char *dec_format(dec_t v, char buf[DEC_BUFSZ]);

#endif
