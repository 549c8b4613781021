/*
 * future -- when a remote file is old enough to read, by the SFTP
 * server's own clock.
 *
 * One rule for every remote inbox: po-export-parse's CSVs (SPOOL/state/
 * po-future) and NetSuite's receipt error CSVs (SPOOL/state/
 * receipt-push.errors-future).
 *
 * The server's mtimes are never compared with this host's clock alone: a
 * host ahead of the server would take a file NetSuite is still writing, a
 * host behind would wait as long as the clocks disagree.  future_clock
 * learns the server's time from a file posync writes there itself
 * (sftp_server_now), once per run and only when a file is to be judged;
 * ages are measured by it from then on.  Clocks more than FUTURE_SKEW_SAY
 * seconds apart are said once per run without -v; when the server will
 * not tell (no permission to write in the folder), this host's clock is
 * used and -v says so.
 *
 * A file whose mtime is ahead of that clock cannot say by its age whether
 * its writer has finished, and waiting for the age would wait in silence;
 * so it is said once per run without -v, with how far ahead; its size and
 * mtime are noted in the state file with the time; and a later run takes
 * it once the same size and mtime have held for min_age (at the earliest
 * the next run: two listings agree).  Any other file is read once it is
 * min_age seconds old.
 *
 * future_open: read SPOOL/state/NAME, a notes file (notes.h; missing: no
 *   notes; unreadable: said, ignored).  future_clock: above; dir is a
 *   folder posync owns, made first when missing; with dry, nothing is
 *   written on the server and this host's clock is used (said under -v);
 *   0, or the status of a lost connection.
 *   future_now: the time by the clock chosen (this host's before
 *   future_clock).  future_wait: 1 when e must wait, said as above (a
 *   young file under -v; with dry, on stdout too).  future_save: write the
 *   notes for the next run (none: the file goes); not with dry, nor after
 *   a run that saw only some files.
 *
 * The second half of the rule is the second look: a file old enough is
 * still read only when it did not move while it was read.  future_fetch
 * downloads the file e was listed as (remote, in folder: "the inbox", for
 * messages) into fd, at most max bytes and never more than listed (what
 * it grew by since is the look's to see, not read: sftp_get_listed),
 * and looks at it again: 0 when it is still as listed (the same size and
 * mtime, and that many bytes came); FUTURE_LATER when it is not settled:
 * it changed meanwhile, grew past max though listed within it, went away
 * since listed (all said under -v), or its read failed as a file
 * changing under it does (sftp said so) and it did move, on a connection
 * still in time (looked at once more: a read failing on a file still as
 * listed is the read's status, EX_TEMPFAIL, not a quiet later): left for
 * a later run, which judges it again as it is listed then; else
 * sftp_get's or sftp_stat's status (EX_DATAERR: listed over max), for
 * the caller to word.  FUTURE_LATER is negative: never an exit status.  future_judge
 * is that judgement alone, for a read done otherwise (sftp_fetch_many):
 * st and got the read's answer, now the look after it.  future_same is
 * the one "same remote file" test (size and mtime; got: the bytes read,
 * or FUTURE_UNREAD when none were).
 */
#ifndef POSYNC_FUTURE_H
#define POSYNC_FUTURE_H

#include <time.h>

#include "sftp.h"
#include "util.h"

#define FUTURE_SKEW_SAY 300	/* s: clocks further apart are said */

struct notes;

struct future {
	struct notes *notes;	/* SPOOL/state/NAME: "SAFE SIZE MTIME SEEN" (notes.h) */
	int min_age;		/* s the same size and mtime must hold */
	time_t skew;		/* the server's clock less this host's */
	int server;		/* 1: skew was measured */
};

void future_open(struct future *f, const char *spooldir, const char *name,
    int min_age);
int future_clock(struct future *f, struct sftp *s, const char *dir, int dry);
time_t future_now(const struct future *f);
int future_wait(struct future *f, const struct sftp_entry *e, const char *safe,
    const char *quoted, int dry);
int future_save(struct future *f);
#define FUTURE_LATER	(-1)
int future_fetch(struct sftp *s, const struct sftp_entry *e,
    const char *remote, const char *folder, int fd, uint64_t max);
int future_judge(struct sftp *s, const struct sftp_entry *e,
    const char *remote, const char *folder, uint64_t max, int st,
    uint64_t got, const struct sftp_entry *now);
#define FUTURE_UNREAD	UINT64_MAX
int future_same(const struct sftp_entry *listed, const struct sftp_entry *now,
    uint64_t got);
void future_close(struct future *f);

#endif
