/*
 * future -- remote files whose mtime is ahead of this host's clock.
 *
 * Such a file's age cannot say whether NetSuite has finished writing it,
 * and waiting for the age would wait as long as the clocks disagree, in
 * silence.  So it is said once per run without -v, with how far ahead;
 * its size and mtime are noted in a state file with our own time; and a
 * later run takes it once the same size and mtime have held for min_age
 * by our clock (at the earliest the next run: two listings agree).  One
 * rule for every remote inbox: po-export-parse's CSVs (SPOOL/state/
 * po-future) and NetSuite's receipt error CSVs (SPOOL/state/
 * receipt-push.errors-future).
 *
 * future_open: read SPOOL/state/NAME (missing: no notes; unreadable: said,
 *   ignored).  future_is: e's mtime is ahead of now (a second of rounding
 *   is no skew).  future_ok: say it; 1 to take it now, else noted for the
 *   next run.  future_save: write the notes for the next run (none: the
 *   file goes); not with dry, nor after a run that saw only some files.
 */
#ifndef POSYNC_FUTURE_H
#define POSYNC_FUTURE_H

#include <time.h>

#include "sftp.h"
#include "util.h"

struct future {
	char *path;		/* SPOOL/state/NAME */
	char *notes;		/* its lines as read: "SAFE SIZE MTIME SEEN" */
	struct buf next;	/* the lines to keep for the next run */
	int min_age;		/* s the same size and mtime must hold */
};

void future_open(struct future *f, const char *spooldir, const char *name,
    int min_age);
int future_is(const struct sftp_entry *e, time_t now);
int future_ok(struct future *f, const struct sftp_entry *e, const char *safe,
    const char *quoted, time_t now);
int future_save(struct future *f);
void future_close(struct future *f);

#endif
