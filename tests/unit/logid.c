/*
 * Unit tests for common/logid: po-import's STEM.logid -- written held,
 * filled with a log id, read back; the previous release's form (no
 * version line); a later posync's (a higher number); damage; the "made"
 * line read strictly (it was a loose sscanf: a sign or blanks taken).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"
#include "testutil.h"
#include "logid.h"
#include "msg.h"
#include "util.h"

static char *path;

/* A file of LOGID_SIZE bytes: blanks, with the line first at 0, version
 * (or blanks) at 160 and made at 192. */
static void
put_sized(const char *first, const char *version, const char *made)
{
	char buf[LOGID_SIZE + 1];

	memset(buf, ' ', LOGID_SIZE);
	buf[LOGID_SIZE] = 0;
	memcpy(buf, first, strlen(first));
	buf[strlen(first)] = '\n';
	if (version)
		memcpy(buf + 160, version, strlen(version));
	buf[159] = buf[191] = buf[LOGID_SIZE - 1] = '\n';
	memcpy(buf + 192, made, strlen(made));
	put_file(path, buf, 0600);
}

static void
round_trip(void)
{
	struct timespec made = { 1700000000, 5 }, t = { 0, 0 };
	struct stat st;
	char *id = NULL, *err;

	is_int(logid_read(path, &id), LOGID_IS_NONE, "no file: none");
	is_int(logid_reserve(path, made), 0, "reserved");
	ok(stat(path, &st) == 0 && st.st_size == LOGID_SIZE, "  LOGID_SIZE bytes");
	is_int(logid_read(path, &id), LOGID_IS_HELD, "  read as held");
	ok(id == NULL, "  no id");
	ok(logid_made(path, &t) == 0 && t.tv_sec == made.tv_sec &&
	    t.tv_nsec == made.tv_nsec, "  its made time read back");
	is_int(logid_fill(path, "LOG-42"), 0, "filled");
	is_int(logid_read(path, &id), LOGID_IS_REAL, "  read as HotWax's");
	is_str(id, "LOG-42", "  the id");
	free(id);
	ok(logid_made(path, &t) == 0 && t.tv_sec == made.tv_sec,
	    "  its made time kept");
	is_int(logid_read(path, NULL), LOGID_IS_REAL, "  id not asked for");
	put_file(path, "short\n", 0600);
	cap_begin();
	is_int(logid_fill(path, "LOG-43"), EX_IOERR, "fill over a file not "
	    "reserved: 74");
	err = cap_end();
	has(err, "not the 256 reserved", "  said");
	free(err);
}

static void
forms(void)
{
	char *id = NULL;
	struct timespec t;

	put_file(path, "LOG-7\n", 0600);
	is_int(logid_read(path, &id), LOGID_IS_REAL, "an older posync's short one");
	is_str(id, "LOG-7", "  its id");
	free(id);
	ok(logid_made(path, &t) < 0, "  no made time");
	put_sized("LOG-8", NULL, "");
	is_int(logid_read(path, NULL), LOGID_IS_REAL, "the release before the "
	    "version line (blanks there)");
	put_sized("LOG-9", "# posync logid v2", "made 5.000000001");
	is_int(logid_read(path, &id), LOGID_IS_LATER, "a later posync's");
	ok(id == NULL, "  nothing read in it");
	put_sized("LOG-9", "# posync logid v1\r", "made 5.000000001");
	is_int(logid_read(path, NULL), LOGID_IS_REAL, "  v1 and a CR: ours");
	put_file(path, "", 0600);
	is_int(logid_read(path, NULL), LOGID_IS_BAD, "empty: damaged");
	put_file(path, " LOG-1\n", 0600);
	is_int(logid_read(path, NULL), LOGID_IS_BAD, "a stray blank: damaged");
	ok(!logid_id_ok(".x") && !logid_id_ok("a/b") && !logid_id_ok("") &&
	    logid_id_ok("a.b:c-d_9"), "logid_id_ok: safe names only");
}

/* made's text (at its offset) read as want_sec (0: none). */
static void
made(const char *text, long long want_sec, long want_ns, const char *what)
{
	struct timespec t = { 0, 0 };
	int r;

	put_sized("(upload not confirmed by HotWax)", "# posync logid v1", text);
	r = logid_made(path, &t);
	if (want_sec)
		ok(r == 0 && t.tv_sec == want_sec && t.tv_nsec == want_ns,
		    "%s", what);
	else
		ok(r < 0, "%s", what);
}

int
main(void)
{
	char big[LOGID_ID_MAX + 2];

	msg_init("unit-logid");
	scratch_init("logid");
	path = scratch_path("b.logid");
	round_trip();
	forms();
	made("made 1700000000.000000005", 1700000000, 5, "made: read");
	made("made 1700000000.5", 1700000000, 5, "  fewer digits: as written");
	made("made +1700000000.5", 0, 0, "  a sign: not read");
	made("made  1700000000.5", 0, 0, "  a blank before: not read");
	made("made 1700000000.-5", 0, 0, "  a sign in ns: not read");
	made("made 1700000000.1234567890", 0, 0, "  ten ns digits: not read");
	made("made 0.000000001", 0, 0, "  second 0: not read");
	made("made 17x.5", 0, 0, "  not a number: not read");
	made("", 0, 0, "  none");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	ok(!logid_id_ok(big), "an id longer than LOGID_ID_MAX refused");
	big[LOGID_ID_MAX] = 0;
	ok(logid_id_ok(big), "  LOGID_ID_MAX bytes taken");
	free(path);
	scratch_remove();
	return done_testing();
}
