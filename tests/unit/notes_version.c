/*
 * Unit tests for the version line of common/notes.c as a person or an
 * editor may leave it (review S, issue 10): "# posync notes v1" with a
 * trailing CR (a file saved CRLF) or blanks is v1, not "written by a
 * later posync" -- receipt-push refused its errors-seen for that, exit 74
 * every run; only a higher number is a later version, and a later
 * version's file, ignored, is said to be replaced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testutil.h"
#include "msg.h"
#include "notes.h"
#include "util.h"

/* The file holding text, opened as a caller that must read it. */
static void
reads_as_v1(const char *p, const char *text, const char *what)
{
	struct notes *n;
	char *err, *got;

	put_file(p, text, 0600);
	cap_begin();
	n = notes_open(p, 1);
	err = cap_end();
	ok(n != NULL, "%s: read, not refused", what);
	is_str(err, "", "  quietly");
	ok(n && notes_find(n, "k") && strncmp(notes_find(n, "k"), "1\n", 2) == 0,
	    "  its keys found");
	ok(n && notes_find(n, "# posync") == NULL, "  the version line no key");
	if (n) {
		notes_keepf(n, "k", "1");
		is_int(notes_save(n), 0, "  saved");
	}
	notes_close(n);
	got = slurp(p);
	is_str(got, NOTES_VERSION "\nk 1\n", "  with the version line as written");
	free(got);
	free(err);
}

static void
later(const char *p, const char *text, const char *what)
{
	struct notes *n;
	char *err;

	put_file(p, text, 0600);
	cap_begin();
	n = notes_open(p, 1);
	err = cap_end();
	ok(n == NULL, "%s: a later version's, refused when it must be read", what);
	has(err, "written by a later posync", "  said");
	free(err);
	cap_begin();
	n = notes_open(p, 0);
	err = cap_end();
	ok(n && notes_find(n, "k") == NULL, "  else ignored");
	has(err, "ignored; it will be replaced", "  said, and that it goes");
	if (n) {
		notes_keep(n, "j");
		is_int(notes_save(n), 0, "  replaced at the next save");
	}
	notes_close(n);
	free(err);
	err = slurp(p);
	is_str(err, NOTES_VERSION "\nj\n", "  by this version's file");
	free(err);
}

int
main(void)
{
	char *p;

	msg_init("unit-notes-version");
	scratch_init("unit-notes-version");
	p = scratch_path("n");
	reads_as_v1(p, "# posync notes v1\r\nk 1\n", "v1 and a CR (CRLF)");
	reads_as_v1(p, "# posync notes v1  \nk 1\n", "v1 and blanks");
	reads_as_v1(p, "# posync notes v1 \t\r\nk 1\n", "v1, blanks and a CR");
	reads_as_v1(p, "# posync notes v1\nk 1\n", "v1 as written");
	reads_as_v1(p, "# posync notes v0\nk 1\n", "v0: no later version");
	later(p, "# posync notes v2\nk 1\n", "v2");
	later(p, "# posync notes v2\r\nk 1\n", "v2 and a CR");
	later(p, "# posync notes v10\nk 1\n", "v10");
	later(p, "# posync notes v99999999999999999999999\nk 1\n",
	    "a number past unsigned long");
	free(p);
	scratch_remove();
	return done_testing();
}
