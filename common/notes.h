/*
 * notes -- a small state file of one line per key, "KEY" or "KEY REST",
 * read at the start of a run and written back at its end with only the
 * keys still of use.  The keys are safenames (safename.h: no blank, no
 * newline).  The one format of SPOOL/state/po-future and
 * receipt-push.errors-future (future.c: "SAFE SIZE MTIME SEEN"),
 * receipt-push.unread ("SAFE TIME") and receipt-push.errors-seen
 * ("SAFE").
 *
 * Promises:
 *  - A file this module writes starts with the line NOTES_VERSION, so a
 *    later format can tell its own from this one.  A file without it (an
 *    older posync's) is read the same, and gets it at its next write.  A
 *    file whose first line is a later version's (a higher number: a CR
 *    or blanks after it, as an editor may leave, are not) is said and
 *    read as no notes, then replaced at the next write (or refused, for
 *    a caller that must not forget).
 *  - notes_open: a missing file is no notes.  One that cannot be read is
 *    said; with must_read, NULL (the caller stops: forgetting would redo
 *    work, as reporting NetSuite's errors twice), else no notes.
 *  - notes_find: the REST of KEY's line in the file as read ("" for a
 *    bare KEY; it runs to the '\n'), NULL when KEY has no line.
 *  - notes_each: fn(KEY, REST) for each line of the file as read, in
 *    its order (KEY a copy, REST as notes_find's); for a reader that
 *    does not know the keys (posync-status).
 *  - notes_nums: a REST of exactly n decimal numbers (0 to LLONG_MAX,
 *    one blank apart; trailing blanks or a CR allowed) into v: 0, else
 *    -1 (a damaged line: the caller takes it as unknown).
 *  - notes_keep: a line "KEY" for the next run; notes_keepf: "KEY REST",
 *    REST formatted.  notes_save writes nothing when
 *    the lines kept are those read (version line included), removes the
 *    file when none are kept, else writes it whole (spool_write_atomic):
 *    0 or EX_IOERR, said.  Callers do not save in a dry run.
 */
#ifndef POSYNC_NOTES_H
#define POSYNC_NOTES_H

#include "version.h"

#define NOTES_TAG	"# posync notes v"
#define NOTES_V		1
#define NOTES_VERSION	VERSION_LINE(NOTES_TAG, NOTES_V)

struct notes;

struct notes *notes_open(const char *path, int must_read);
const char *notes_find(const struct notes *n, const char *key);
typedef void notes_fn(const char *key, const char *rest, void *arg);
void notes_each(const struct notes *n, notes_fn *fn, void *arg);
int notes_nums(const char *rest, long long *v, int n);
void notes_keep(struct notes *n, const char *key);
void notes_keepf(struct notes *n, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int notes_save(struct notes *n);
void notes_close(struct notes *n);

#endif
