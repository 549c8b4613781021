/*
 * version -- see version.h.  notes, polines, parsedmark, the .logid,
 * receipt-export's state and its journal each read their version line
 * here, so that a higher number is a later posync's in every one.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "util.h"
#include "version.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum version_is
version_check(const char *data, size_t len, const char *tag, long cur,
    int flags, long *n)
{
	size_t tl = strlen(tag), i;
	long v = 0;
	int blanks = 0;

	if (n)
		*n = 0;
	if (len < tl || memcmp(data, tag, tl) != 0)
		return VERSION_NONE;
	if (len == tl || !is_digit(data[tl]))
		return VERSION_BAD;
	for (i = tl; i < len && is_digit(data[i]); i++)
		v = v > (LONG_MAX - 9) / 10 ? LONG_MAX : v * 10 + (data[i] - '0');
	if (n)
		*n = v;
	if (v > cur)
		return VERSION_LATER;
	for (; i < len && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\r'); i++)
		blanks = 1;
	if ((i < len && data[i] != '\n') || (blanks && (flags & VERSION_EXACT)))
		return VERSION_BAD;
	return v < cur ? VERSION_OLDER : VERSION_SAME;
}

void
version_later_said(const char *who, const char *what, const char *found,
    const char *current, const char *then)
{
	char *f, *w = what ? xasprintf("%s ", what) : xstrdup("");

	if (!found) {
		msg_warn("%s: %swritten by a later posync (its version line is "
		    "not \"%s\"): %s", who, w, current, then);
		free(w);
		return;
	}
	f = xstrndup(found, strcspn(found, "\r\n"));
	msg_warn("%s: %swritten by a later posync (its first line is \"%s\", "
	    "not \"%s\"): %s", who, w, f, current, then);
	free(f);
	free(w);
}
