/*
 * rfile -- see rfile.h.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "rfile.h"
#include "spool.h"
#include "util.h"

#define FEED	"_PurchaseOrderReceiptFeed_"

int
rfile_name(char *buf, size_t size, const char *prefix, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms < 0 || !gmtime_r(&t, &tm))
		return -1;
	return bsnprintf(buf, size,
	    "%s" FEED "%04d-%02d-%02d-%02d_%02d_%02d_%03d.json",
	    prefix, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* The time of t, FEED and the rest of a name; -1 when it is not that. */
static int64_t
feed_ms(const char *t)
{
	struct tm tm = {0};
	int ms, len = 0;
	time_t s;

	if (!t || sscanf(t, "_PurchaseOrderReceiptFeed_%4d-%2d-%2d-%2d_"
	    "%2d_%2d_%3d.json%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &len) != 7 || t[len])
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((s = timegm(&tm)) == (time_t)-1)
		return -1;
	return (int64_t)s * 1000 + ms;
}

int64_t
rfile_name_ms(const char *name)
{
	const char *t = strstr(name, FEED), *u;

	/* the last one: a prefix may hold the words too (config allows it) */
	while (t && (u = strstr(t + 1, FEED)) != NULL)
		t = u;
	return feed_ms(t);
}

int
rfile_is_posync(const char *prefix, const char *name)
{
	size_t pl = strlen(prefix);
	char again[RFILE_NAME_SIZE];
	int64_t ms;

	/* sscanf takes more than rfile_name writes (signs, spaces, short
	 * fields): only a name written back the same is posync's */
	if (strncmp(name, prefix, pl) != 0 || (ms = feed_ms(name + pl)) < 0 ||
	    rfile_name(again, sizeof again, prefix, ms) < 0)
		return 0;
	return strcmp(again, name) == 0;
}

int64_t
rfile_entered(const char *newdir, const char *name, const char *path,
    int posync)
{
	int64_t ms, ns, now = now_ms();

	if (posync && (ms = rfile_name_ms(name)) >= 0)
		return ms;
	/* the spool's own rule (spool_entered), in ms */
	if (spool_in(newdir, path) && (ns = spool_entered(path)) >= 0)
		return ns / 1000000;
	return now;
}
