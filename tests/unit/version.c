/*
 * Unit tests for common/version: the one reading of a state file's
 * version line (tag, number, trailing CR or blanks, a higher number a
 * later posync's, VERSION_EXACT for files read byte for byte) and the
 * one wording of "written by a later posync".
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "msg.h"
#include "version.h"

#define TAG	"posync thing "

static void
check(const char *data, int flags, int want, long wantn, const char *what)
{
	long n = -1;

	is_int(version_check(data, strlen(data), TAG, 2, flags, &n), want,
	    "%s", what);
	if (wantn >= 0)
		is_int(n, wantn, "  its number");
}

static void
reading(void)
{
	check("posync thing 2\nx\n", 0, VERSION_SAME, 2, "this posync's");
	check("posync thing 2", 0, VERSION_SAME, 2, "  without its LF");
	check("posync thing 2\r\nx", 0, VERSION_SAME, 2, "  a CR after it");
	check("posync thing 2 \t\n", 0, VERSION_SAME, 2, "  blanks after it");
	check("posync thing 1\n", 0, VERSION_OLDER, 1, "an older posync's");
	check("posync thing 3\n", 0, VERSION_LATER, 3, "a later posync's");
	check("posync thing 3\r\n", 0, VERSION_LATER, 3, "  with a CR");
	check("posync thing 99999999999999999999999\n", 0, VERSION_LATER,
	    LONG_MAX, "  a number too big to hold");
	check("other 2\n", 0, VERSION_NONE, -1, "another first line");
	check("", 0, VERSION_NONE, -1, "nothing");
	check("posync thing \n", 0, VERSION_BAD, -1, "the tag, no number");
	check("posync thing x\n", 0, VERSION_BAD, -1, "the tag, a word");
	check("posync thing 2x\n", 0, VERSION_BAD, -1, "more than blanks after");
	check("posync thing 2\r\n", VERSION_EXACT, VERSION_BAD, -1,
	    "exact: a CR after our own number is not our line");
	check("posync thing 2\n", VERSION_EXACT, VERSION_SAME, 2,
	    "exact: our own line");
	check("posync thing 3\r\n", VERSION_EXACT, VERSION_LATER, 3,
	    "exact: a later number is later all the same");
	is_int(version_check("posync thing 2", 13, TAG, 2, 0, NULL),
	    VERSION_BAD, "len is where the data ends (no number in it)");
	is_int(version_check("posync thing 3junk", 14, TAG, 2, 0, NULL),
	    VERSION_LATER, "  nor is a NUL needed after it");
}

static void
wording(void)
{
	char *err;

	cap_begin();
	version_later_said("dir/f", NULL, NULL, "posync thing 2", "ignored");
	err = cap_end();
	has(err, "dir/f: written by a later posync (its version line is not "
	    "\"posync thing 2\"): ignored", "the wording, no line found");
	free(err);
	cap_begin();
	version_later_said("x.csv", "its marker m was", "posync thing 3\r\nz",
	    "posync thing 2", "left as it is");
	err = cap_end();
	has(err, "x.csv: its marker m was written by a later posync (its first "
	    "line is \"posync thing 3\", not \"posync thing 2\"): left as it is",
	    "the wording, the line found (up to its CR) and a subject");
	ok(count_lines(err) == 1, "  one line");
	free(err);
	is_str(VERSION_LINE("a v", 7), "a v7", "VERSION_LINE: tag and number");
}

int
main(void)
{
	msg_init("unit-version");
	reading();
	wording();
	return done_testing();
}
