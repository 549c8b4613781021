/*
 * lock -- flock(2) on SPOOL/state/NAME.lock.
 *
 * lock_take: one running copy per program; held until the process exits
 * (the descriptor stays open).
 *
 * lock_try / lock_drop: a lock held for one step of a run, such as the
 * publish lock (LOCK_PUBLISH) that receipt-push holds from choosing a
 * receipt file until it is in cur/, and that receipt-export holds while it
 * folds new receipts into a file still waiting (posync(7), THE RECEIPT
 * QUEUE).
 */
#ifndef POSYNC_LOCK_H
#define POSYNC_LOCK_H

#define LOCK_PUBLISH "receipt-publish"

/* 0 when taken; EX_TEMPFAIL (another copy runs, said on stderr) or
 * EX_IOERR. */
int lock_take(const char *spooldir, const char *name);

/* Take NAME's lock, waiting up to wait_s seconds (0: not at all).  0 and
 * *fd set when taken; EX_TEMPFAIL when still busy (not said: the caller
 * knows what busy means); EX_IOERR, said. */
int lock_try(const char *spooldir, const char *name, int wait_s, int *fd);
/* -n: would NAME's lock be busy?  Opened read-only, never created (-n
 * makes nothing); a lock file that is not there is free.  1 or 0. */
int lock_busy(const char *spooldir, const char *name);
/* Release a lock from lock_try (fd < 0: none). */
void lock_drop(int *fd);

#endif
