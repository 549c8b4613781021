/*
 * isotime -- see isotime.h.
 */
#include <stdint.h>

#include "isotime.h"

/* exactly n ASCII digits at *p, advanced past them */
static int
digits(const char **p, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
isotime_parse(const char *s, int64_t *out, const char **why)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s;
	int y, mo, d, h, mi, sec, frac = 0, scale = 1000, oh = 0, om = 0, sign = 0;
	int64_t ms;

	*why = "not YYYY-MM-DDTHH:MM:SS followed by Z or +HH:MM or -HH:MM";
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d) || *p++ != 'T' ||
	    digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) ||
	    *p++ != ':' || digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			frac += (*p - '0') * scale;
		}
		if (scale == 1000 || (*p >= '0' && *p <= '9')) {
			*why = "a fraction of a second is 1 to 3 digits";
			return -1;
		}
	}
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
			return -1;
	} else
		return -1;
	if (*p)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))) ||
	    h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59) {
		*why = "no such date or time";
		return -1;
	}
	ms = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60)) * 1000 + frac;
	if (ms < 0 || ms > ISOTIME_MS_MAX) {
		*why = "before 1970-01-01T00:00:00Z or after 9999-12-31T23:59:59.999Z";
		return -1;
	}
	*out = ms;
	return 0;
}

