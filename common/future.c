/*
 * future -- see future.h.  Moved here from po-export-parse so that its
 * CSVs and NetSuite's receipt error CSVs follow one rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "future.h"
#include "msg.h"
#include "spool.h"

#define FUTURE_MAX	(1 << 20)	/* bytes of the notes */

void
future_open(struct future *f, const char *spooldir, const char *name,
    int min_age)
{
	size_t len;

	memset(f, 0, sizeof *f);
	f->min_age = min_age;
	f->path = xasprintf("%s/state/%s", spooldir, name);
	if (read_file(f->path, FUTURE_MAX, &f->notes, &len) < 0) {
		if (errno != ENOENT)
			msg_warnerr("%s: ignored", f->path);
		f->notes = NULL;
	}
}

int
future_is(const struct sftp_entry *e, time_t now)
{
	return e->mtime > now + 1;
}

int
future_ok(struct future *f, const struct sftp_entry *e, const char *safe,
    const char *q, time_t now)
{
	unsigned long long size, mtime, seen = (unsigned long long)now;
	const char *p = f->notes;
	size_t sl = strlen(safe);
	int take = 0, known = 0;

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		if (strncmp(p, safe, sl) == 0 && p[sl] == ' ' &&
		    sscanf(p + sl, " %llu %llu %llu", &size, &mtime, &seen) == 3) {
			known = size == e->size && mtime == (unsigned long long)e->mtime;
			break;
		}
	if (!known)
		seen = (unsigned long long)now;
	else
		take = (long long)now - (long long)seen >= f->min_age;
	msg_warn("%s: its mtime is %lld s in the future (is the SFTP server's clock "
	    "ahead of this host's?): %s", q, (long long)(e->mtime - now), take ?
	    "taken, its size and mtime unchanged since an earlier run" :
	    "left until its size and mtime have held for po_min_age by this "
	    "host's clock");
	if (!take)
		buf_addf(&f->next, "%s %llu %llu %llu\n", safe,
		    (unsigned long long)e->size, (unsigned long long)e->mtime, seen);
	return take;
}

int
future_save(struct future *f)
{
	const char *next = f->next.s ? f->next.s : "";

	if (strcmp(next, f->notes ? f->notes : "") == 0)
		return 0;
	if (!*next) {
		if (unlink(f->path) < 0 && errno != ENOENT) {
			msg_warnerr("cannot remove %s", f->path);
			return EX_IOERR;
		}
		return 0;
	}
	return spool_write_atomic(f->path, next, strlen(next));
}

void
future_close(struct future *f)
{
	free(f->notes);
	free(f->path);
	buf_free(&f->next);
	memset(f, 0, sizeof *f);
}
