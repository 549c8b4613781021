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

int64_t
rfile_name_ms(const char *name)
{
	const char *t = strstr(name, "_PurchaseOrderReceiptFeed_");
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
