/*
 * isotime -- the one time a person types (receipt-export --start-at), and
 * the latest time posync holds.  What it promises: one format, parsed
 * strictly (exact digit counts, real dates), into epoch ms within
 * 1970-01-01T00:00:00Z .. ISOTIME_MS_MAX; no I/O, no locale, no TZ.
 */
#ifndef POSYNC_ISOTIME_H
#define POSYNC_ISOTIME_H

#include <stdint.h>

/* 9999-12-31T23:59:59.999Z: the latest time a receipt file's name
 * (a 4-digit year) or receipt-export's state can hold. */
#define ISOTIME_MS_MAX	INT64_C(253402300799999)

/* TIME for receipt-export --start-at, in its one format:
 * YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM), fraction 1 to 3 digits,
 * from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (a state's range,
 * ISOTIME_MS_MAX).
 * 0 and *ms set (epoch ms), or -1 with *why saying what is wrong. */
int isotime_parse(const char *s, int64_t *ms, const char **why);

#endif
