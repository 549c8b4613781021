/*
 * version -- the one reading of a state file's version line and the one
 * wording of "written by a later posync".  What it promises:
 *   - a version line is TAG then a number (digits alone), then at most
 *     blanks, TABs or a CR (an editor's CRLF) before its LF or the end
 *     of the data; version_check says how it compares with this
 *     posync's number: a higher one (or one too big to hold) is a later
 *     posync's, whatever follows it;
 *   - with VERSION_EXACT (files only posync writes, read byte for byte)
 *     a line of this posync's number or lower followed by anything is
 *     not a version line (VERSION_BAD); a later number stays LATER;
 *   - it reads, it decides nothing: each format keeps its own policy
 *     (refuse, ignore, read as its own) for a later posync's file, and
 *     says it with version_later_said.
 */
#ifndef POSYNC_VERSION_H
#define POSYNC_VERSION_H

#include <stddef.h>

/* A version line from its tag and number, both given once: "tag" "N". */
#define VERSION_LINE(tag, n)	tag VERSION_STR_(n)
#define VERSION_STR_(n)		#n

#define VERSION_EXACT	1	/* version_check: no blanks after the number */

enum version_is {
	VERSION_NONE,	/* the data does not start with the tag */
	VERSION_BAD,	/* the tag, then no number, or more than blanks */
	VERSION_OLDER,	/* a lower number: an older posync's */
	VERSION_SAME,	/* this posync's number */
	VERSION_LATER	/* a higher number: a later posync's */
};

/* The version line at data (len bytes; it need not end with a NUL) by
 * tag and this posync's number cur; *n (when not NULL) its number, or
 * LONG_MAX when it does not fit. */
enum version_is version_check(const char *data, size_t len, const char *tag,
    long cur, int flags, long *n);

/* Say (msg_warn) "WHO: [WHAT ]written by a later posync", naming the
 * version line expected (current) and, when found is not NULL, the
 * first line found (up to its line end), then what is done with the
 * file (then).  who is its path, or "PATH:LINE", or the job's name with
 * what naming the file ("its marker PATH was"); what may be NULL. */
void version_later_said(const char *who, const char *what, const char *found,
    const char *current, const char *then);

#endif
