/*
 * logid -- the format of po-import's cur/STEM.logid, the record that
 * HotWax has a batch, and its one reader and writers.  What it promises:
 *   - a .logid written now is LOGID_SIZE bytes: from 0 the held line
 *     ("upload not confirmed"; logid_reserve) or, once HotWax answered,
 *     the log id then '\n's (logid_fill, over the bytes before the
 *     version line only: no new space needed); from a fixed offset the
 *     version line, padded with blanks; last the "made SEC.NSEC" line
 *     (when the batch was made), padded with blanks;
 *   - a .logid of the release before the version line (blanks or '\n's
 *     there, or a file of any size up to 1024 bytes) is read the same;
 *   - a later posync's (a higher number in its version line, version.h)
 *     is LOGID_IS_LATER and nothing else in it is read;
 *   - numbers are read strictly (digits alone: no sign, no blank).
 * The caller names the file (po-import: cur/STEM.logid) and decides
 * what to do with each answer.
 */
#ifndef POSYNC_LOGID_H
#define POSYNC_LOGID_H

#include <time.h>

#include "hotwax.h"

#define LOGID_SIZE	256	/* bytes of every .logid written now */
#define LOGID_ID_MAX	HOTWAX_ID_MAX	/* bytes of a log id (logid_id_ok) */

/* What a .logid says (logid_read). */
enum logid_is {
	LOGID_IS_NONE,		/* no file */
	LOGID_IS_HELD,		/* the upload was not confirmed */
	LOGID_IS_REAL,		/* HotWax took the batch: its log id */
	LOGID_IS_BAD,		/* anything else: damaged (empty, a blank) */
	LOGID_IS_UNREAD,	/* it cannot be read (said) */
	LOGID_IS_LATER		/* a later posync's: nothing in it read */
};

/* Is s a log id this posync keeps: 1 to LOGID_ID_MAX bytes of letters,
 * digits and ._:- (not first '.'), safe in a URL path and a file. */
int logid_id_ok(const char *s);

/* What the .logid at path says; *id (malloc'd) for LOGID_IS_REAL, when
 * id is not NULL (else NULL).  A read error is said. */
enum logid_is logid_read(const char *path, char **id);

/* The "made" time of the .logid at path into *t: 0, or -1 when it has
 * none to read (no file, an older posync's, or damaged there). */
int logid_made(const char *path, struct timespec *t);

/* Write the .logid at path whole, held (spool_write_atomic, fsync'd):
 * 0, or EX_IOERR said. */
int logid_reserve(const char *path, struct timespec made);

/* Write log_id (logid_id_ok) over the held line of the .logid at path,
 * reserved before, fsync'd: 0, or EX_IOERR said. */
int logid_fill(const char *path, const char *log_id);

/* Say that the .logid at path is a later posync's, then what is done. */
void logid_later_said(const char *path, const char *then);

#endif
