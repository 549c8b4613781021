/*
 * parsedmark -- the text of po-export-parse's parsed markers,
 * SPOOL/state/parsed/<hash16>: a marker says a CSV was parsed (its
 * batches and ledger records are written), so the file is only archived
 * the next time it is seen.  What it promises:
 *   - a marker written now is four lines:
 *         posync-parsed 2
 *         rows R rejected J batches B recovered C
 *         hash xxh3
 *         file NAME
 *     NAME the CSV's own name on one line (parsedmark_name); the "hash"
 *     line says the marker, and the file's output, are named by the
 *     current hash (pohash.h): one without it was named by the old hash
 *     (parsedmark_hashed), and parsedmark_upgrade never adds it;
 *   - the forms older posyncs left are read too: no version line, the
 *     "rows" line alone, or nothing at all (version 1).  Such a marker
 *     still counts as parsed; parsedmark_upgrade gives its text in the
 *     current form, keeping what it says, for the caller to write once;
 *   - lines it does not know are kept, so a later version can add some;
 *     a later version's marker ("posync-parsed 3") is read, never
 *     rewritten;
 *   - a damaged marker (parsedmark_damage) is told from every form above,
 *     so that its reader can say so instead of reading counts of 0.
 *   - it owns where a marker lives (parsedmark_dir, parsedmark_path),
 *     its bounded read (parsedmark_read: MARKER_MAX bytes at most) and
 *     whether it is a later posync's (parsedmark_later): the caller
 *     writes the files and says what it does.
 * Besides parsedmark_read, pure text.  Every data it
 * takes ends with a NUL byte at data[len] (or is NUL-terminated, where
 * no len is given): a marker may hold NULs of its own, so len says where
 * it ends, and the NUL after it where reading must stop.
 */
#ifndef POSYNC_PARSEDMARK_H
#define POSYNC_PARSEDMARK_H

#include <stddef.h>

#include "version.h"

#define PARSEDMARK_TAG		"posync-parsed "
#define PARSEDMARK_V		2	/* the version this posync writes */
#define PARSEDMARK_VERSION_LINE	VERSION_LINE(PARSEDMARK_TAG, PARSEDMARK_V)
#define PARSEDMARK_MAX		4096	/* bytes of a marker read at most */
#define PARSEDMARK_HASH_LINE	"hash xxh3"	/* named by pohash.h's hash */

/* The markers' folder in the spool at spooldir, SPOOL/state/parsed, and
 * the marker of the file whose hash16 is hash in the folder dir
 * (both malloc'd). */
char *parsedmark_dir(const char *spooldir);
char *parsedmark_path(const char *dir, const char *hash);

/* The marker at path, its first PARSEDMARK_MAX bytes at most,
 * NUL-terminated in *data (malloc'd), its length in *len: 0 with *why
 * NULL, or with *why saying why it cannot be read whole (too big, or
 * damaged: parsedmark_damage) -- what was read is still there, for its
 * file line -- or -1 with errno when it cannot be read at all. */
int parsedmark_read(const char *path, char **data, size_t *len,
    const char **why);

/* What a marker says. */
struct parsedmark_counts {
	unsigned long rows, rejected, batches, recovered;
};

/* NAME on one line: '%', control bytes and anything not ASCII as %XX, so
 * that any name NetSuite gives (newlines included) reads back as one. */
char *parsedmark_name(const char *name);

/* The text of a new marker for the file named name; hashed: named by
 * the current hash (its PARSEDMARK_HASH_LINE), else by the old one. */
char *parsedmark_text(const char *name, const struct parsedmark_counts *c,
    int hashed);

/* 1 when data (NUL-terminated) has the line PARSEDMARK_HASH_LINE: its
 * marker is named by the current hash, else by the old one (pohash.h). */
int parsedmark_hashed(const char *data);

/* The counts in data (NUL-terminated, either form): 0, or -1 (all 0)
 * when it has no "rows" line (an empty marker of an older posync). */
int parsedmark_counts(const char *data, struct parsedmark_counts *c);

/* The NAME of data's "file" line, malloc'd (as parsedmark_name wrote
 * it), or NULL when it has none (an older posync's marker). */
char *parsedmark_file(const char *data);

/* The version of data: N when its first line is "posync-parsed N"
 * (N >= 2; a trailing CR or blanks tolerated), 1 without one.  A version
 * above 2 is a later posync's marker: it still counts as parsed, its
 * "rows" line read as this posync reads its own, and it is never
 * rewritten. */
int parsedmark_version(const char *data);

/* 1 when data is a later posync's marker (a version above
 * PARSEDMARK_V): read as this posync reads its own, never rewritten. */
int parsedmark_later(const char *data);

/* Why data (len bytes) cannot be read as a marker, or NULL when it can:
 * it holds a NUL byte, its counts are cut short or missing (a "rows" line
 * without "rows R rejected J", or none in a marker that is not an older
 * posync's empty one), or its last line is a "file" line cut short (no
 * LF).  The caller still counts such a file as parsed, but cannot know
 * whether rows were rejected. */
const char *parsedmark_damage(const char *data, size_t len);

/* data (len bytes) in the current form for the file named name: a
 * malloc'd text with the version line first and a "file" line last
 * when either is missing (*what says which: "names it", "has its version
 * line" or both), else NULL: the marker is current, or not this posync's
 * to rewrite (a later version's, or damaged: parsedmark_damage).  The
 * text never holds a NUL byte: its length is strlen's. */
char *parsedmark_upgrade(const char *data, size_t len, const char *name,
    const char **what);

#endif
