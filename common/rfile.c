/*
 * rfile -- see rfile.h.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "rfile.h"
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
	size_t dl = strlen(newdir);
	struct stat st;
	int64_t ms, now = now_ms();

	if (posync && (ms = rfile_name_ms(name)) >= 0)
		return ms;
	if (strncmp(path, newdir, dl) == 0 && path[dl] == '/' &&
	    stat(path, &st) == 0) {
		ms = (int64_t)st.st_mtim.tv_sec * 1000 +
		    st.st_mtim.tv_nsec / 1000000;
		/* an mtime ahead of this host's clock (touch -d, a copy from
		 * a host whose clock runs ahead) would sort the file behind
		 * every posync file made until then, and stop every fold:
		 * it entered now, at the latest */
		return ms > now ? now : ms;
	}
	return now;
}
