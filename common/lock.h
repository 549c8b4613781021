/*
 * lock -- one running copy per program: flock(2) on SPOOL/state/NAME.lock.
 * The lock is held until the process exits (the descriptor stays open).
 */
#ifndef POSYNC_LOCK_H
#define POSYNC_LOCK_H

/* 0 when taken; EX_TEMPFAIL (another copy runs, said on stderr) or
 * EX_IOERR. */
int lock_take(const char *spooldir, const char *name);

#endif
