/*
 * safename -- a remote file name (any bytes but '/' and NUL: spaces,
 * colons, parentheses, newlines, a leading '-') made into a local name
 * that is safe (printable ASCII from [A-Za-z0-9._+=@,-], never starting
 * with '-' or '.', never "." or ".."), unique (different remote names give
 * different local names) and stable (the same remote name always gives the
 * same local name), at most SAFENAME_MAX bytes.  The original name is kept
 * by the caller for messages and remote operations.
 */
#ifndef POSYNC_SAFENAME_H
#define POSYNC_SAFENAME_H

#include <stddef.h>

#define SAFENAME_MAX 200

/* malloc'd safe name for remote (len bytes). */
char *safename(const char *remote, size_t len);

/* Quote any string for a one-line message: printable ASCII as is, other
 * bytes as \n, \t, \\ or \xHH.  malloc'd. */
char *msgquote(const char *s, size_t len);

#endif
