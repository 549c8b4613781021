/*
 * Unit tests for common/parsedmark: the text of a parsed marker, every
 * form older posyncs left read the same, and brought to the current form
 * once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsedmark.h"
#include "tap.h"
#include "util.h"

static void
counts_are(const char *data, int ret, unsigned long rows, unsigned long rej,
    unsigned long batches, unsigned long rec, const char *desc)
{
	struct parsedmark_counts c;
	int r = parsedmark_counts(data, &c);

	if (!ok(r == ret && c.rows == rows && c.rejected == rej &&
	    c.batches == batches && c.recovered == rec, "%s", desc))
		printf("#   r=%d rows %lu rejected %lu batches %lu recovered %lu\n",
		    r, c.rows, c.rejected, c.batches, c.recovered);
}

static void
upgrade_is(const char *data, const char *name, const char *want,
    const char *what, const char *desc)
{
	const char *w = NULL;
	char *got = parsedmark_upgrade(data, strlen(data), name, &w);

	if (!want) {
		ok(got == NULL, "%s: already current", desc);
	} else {
		is_str(got, want, "%s", desc);
		is_str(w, what, "%s: says it %s", desc, what);
	}
	free(got);
}

/* A later posync's marker is version N, read, never rewritten; a version
 * line with a CR or blanks after it is still one (review I, item 1). */
static void
later_and_crlf(void)
{
	const char *v3 = "posync-parsed 3\nrows 3 rejected 1 batches 1 "
	    "recovered 0\nfile m.csv\nnew-v3-key yes\n";
	const char *crlf = "posync-parsed 2\r\nrows 3 rejected 1 batches 1 "
	    "recovered 0\r\nfile m.csv\r\n";
	char *f;

	is_int(parsedmark_version(v3), 3, "a later posync's marker: version 3");
	is_int(parsedmark_version("posync-parsed 20\n"), 20, "  and 20 is 20");
	is_int(parsedmark_version("posync-parsed 99999999999999999999\n"),
	    2147483647, "  a version too big for an int: the biggest");
	counts_are(v3, 0, 3, 1, 1, 0, "  its counts read");
	upgrade_is(v3, "m.csv", NULL, NULL, "  never rewritten");
	ok(parsedmark_damage(v3, strlen(v3)) == NULL, "  not damaged");
	is_int(parsedmark_version(crlf), 2, "a CRLF marker: version 2");
	is_int(parsedmark_version("posync-parsed 2 \nrows 1 rejected 0\n"), 2,
	    "a version line with a blank after it: version 2");
	is_str(f = parsedmark_file(crlf), "m.csv", "  its file without the CR");
	free(f);
	upgrade_is(crlf, "m.csv", NULL, NULL, "  current: no second version line");
	upgrade_is("posync-parsed 2 \nrows 1 rejected 0\n", "b.csv",
	    "posync-parsed 2 \nrows 1 rejected 0\nfile b.csv\n", "names it",
	    "  with a blank: named, no second version line");
	is_int(parsedmark_version("posync-parsed 1\n"), 1,
	    "\"posync-parsed 1\" is no version line (none was ever written)");
}

static void
damage_is(const char *data, size_t len, const char *want, const char *desc)
{
	const char *w = NULL, *got = parsedmark_damage(data, len);
	char *up = parsedmark_upgrade(data, len, "m.csv", &w);

	if (want)
		is_str(got, want, "%s", desc);
	else
		ok(got == NULL, "%s: readable", desc);
	if (want)
		ok(up == NULL, "  %s: not rewritten", desc);
	free(up);
}

/* Damaged markers are told from every form a posync wrote (review I,
 * items 2 and 3). */
static void
damaged(void)
{
	const char nul[] = "rows 3 rejected 1 batches 1 recovered 0\0garbage\n";
	const char *cut = "it holds a NUL byte";

	damage_is(nul, sizeof nul - 1, cut, "a NUL byte in a marker");
	damage_is("\0\0\0\0", 4, cut, "a marker of NUL bytes");
	damage_is("posync-parsed 2\nrows 3 rej", 26,
	    "its counts are cut short or missing", "a marker cut mid-record");
	damage_is("posync-parsed 2\n", 16,
	    "its counts are cut short or missing", "a version line alone");
	damage_is("posync-parsed 2\nrows 3 rejected 1 batches 1 recovered 0\n"
	    "file m.c", 64, "its file line is cut short", "a file line cut short");
	damage_is("\x8f\x01random bytes\n", 15,
	    "its counts are cut short or missing", "bytes of no marker");
	damage_is("", 0, NULL, "an older posync's empty marker");
	damage_is("rows 5 rejected 0", 17, NULL, "an older two-count marker without LF");
	damage_is("posync-parsed 2\nfile e.csv\n", 27, NULL,
	    "an upgraded empty marker");
	damage_is("\n", 1, NULL, "a blank line");
	/* sscanf's %lu took a sign: "-1" read as ULONG_MAX */
	damage_is("posync-parsed 2\nrows -1 rejected 0\nfile m.csv\n", 46,
	    "its counts are cut short or missing", "a negative row count");
	damage_is("posync-parsed 2\nrows 3 rejected +1\nfile m.csv\n", 46,
	    "its counts are cut short or missing", "a signed reject count");
	damage_is("posync-parsed 2\nrows  3 rejected 1\nfile m.csv\n", 46,
	    "its counts are cut short or missing", "a blank before a count");
}

int
main(void)
{
	struct parsedmark_counts c = { 7, 2, 1, 3 };
	char *t, *f;

	t = parsedmark_text("a b.csv", &c, 1);
	is_str(t, "posync-parsed 2\nrows 7 rejected 2 batches 1 recovered 3\n"
	    "hash xxh3\nfile a b.csv\n", "a new marker: version line, counts, hash, file");
	is_int(parsedmark_version(t), 2, "  version 2");
	is_int(parsedmark_hashed(t), 1, "  named by the current hash");
	ok(parsedmark_damage(t, strlen(t)) == NULL, "  not damaged");
	counts_are(t, 0, 7, 2, 1, 3, "  its counts read back");
	is_str(f = parsedmark_file(t), "a b.csv", "  its file read back");
	free(f);
	upgrade_is(t, "a b.csv", NULL, NULL, "  a current marker");
	free(t);
	t = parsedmark_text("o.csv", &c, 0);
	is_str(t, "posync-parsed 2\nrows 7 rejected 2 batches 1 recovered 3\n"
	    "file o.csv\n", "a new marker named by the old hash: no hash line");
	is_int(parsedmark_hashed(t), 0, "  named by the old hash");
	upgrade_is(t, "o.csv", NULL, NULL, "  current all the same: never given the line");
	free(t);
	is_int(parsedmark_hashed("posync-parsed 2\nhash xxh3\r\nfile a\n"), 1,
	    "a hash line with a CR: named by the current hash");
	is_int(parsedmark_hashed("posync-parsed 2\nhash xxh3x\nfile a\n"), 0,
	    "\"hash xxh3x\": another hash's line");
	is_int(parsedmark_hashed("posync-parsed 2\nfile hash xxh3\n"), 0,
	    "a file named \"hash xxh3\" is no hash line");

	t = parsedmark_name("x\n%y\xc3\xa9.csv");
	is_str(t, "x%0A%25y%C3%A9.csv", "a name on one line: control bytes, %s and non-ASCII as %%XX", "%");
	free(t);

	/* the forms older posyncs left: version 1 */
	counts_are("rows 4 rejected 1 batches 1 recovered 0\nfile old.csv\n", 0,
	    4, 1, 1, 0, "the previous release's marker: its counts");
	is_int(parsedmark_version("rows 4 rejected 1 batches 1 recovered 0\nfile old.csv\n"),
	    1, "  version 1");
	upgrade_is("rows 4 rejected 1 batches 1 recovered 0\nfile old.csv\n", "old.csv",
	    "posync-parsed 2\nrows 4 rejected 1 batches 1 recovered 0\nfile old.csv\n",
	    "has its version line", "  brought to the current form");
	counts_are("rows 5 rejected 0\n", 0, 5, 0, 0, 0, "an older marker of two counts");
	upgrade_is("rows 5 rejected 0", "o.csv",
	    "posync-parsed 2\nrows 5 rejected 0\nfile o.csv\n",
	    "names it and has its version line", "  without its LF: upgraded");
	counts_are("", -1, 0, 0, 0, 0, "an empty marker: no counts");
	f = parsedmark_file("");
	ok(f == NULL, "  and no file");
	upgrade_is("", "e.csv", "posync-parsed 2\nfile e.csv\n",
	    "names it and has its version line", "  upgraded");
	upgrade_is("posync-parsed 2\nrows 1 rejected 0 batches 1 recovered 0\n", "n.csv",
	    "posync-parsed 2\nrows 1 rejected 0 batches 1 recovered 0\nfile n.csv\n",
	    "names it", "a current marker without its file line");
	/* was "posync-parsed 20" -> 1, the bug of review I: N is the version */
	is_int(parsedmark_version("posync-parsed 2x\n"), 1, "a version line must be whole");
	upgrade_is("posync-parsed 2\nrows 1 rejected 0 batches 1 recovered 0\n"
	    "later 9\nfile k.csv\n", "k.csv", NULL, NULL, "a line of a later version is kept");
	later_and_crlf();
	damaged();
	return done_testing();
}
