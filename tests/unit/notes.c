/*
 * Unit tests for common/notes.c (the one "KEY REST" state file, with its
 * version line, read in its older form too) and for the rule of
 * common/future.c that needs no server: a remote file is read once it is
 * po_min_age old, one with an mtime in the future once its size and mtime
 * held across two runs, and only when the second look finds it as listed
 * (future_same).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "future.h"
#include "msg.h"
#include "notes.h"
#include "util.h"

static ino_t
inode(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? st.st_ino : 0;
}

static void
test_new_file(void)
{
	char *p = scratch_path("n1"), *text;
	struct notes *n;
	ino_t ino;

	n = notes_open(p, 1);
	ok(n != NULL, "a missing file is no notes");
	ok(notes_find(n, "a") == NULL, "  holding no key");
	notes_keepf(n, "a", "%d %s", 1, "x");
	notes_keep(n, "b=20c");
	is_int(notes_save(n), 0, "saved");
	notes_close(n);
	text = slurp(p);
	is_str(text, NOTES_VERSION "\na 1 x\nb=20c\n", "  with the version line first");
	free(text);

	n = notes_open(p, 1);
	is_str(notes_find(n, "a"), "1 x\nb=20c\n", "a key's rest runs to its line's end");
	is_str(notes_find(n, "b=20c"), "\n", "a bare key's rest is empty");
	ok(notes_find(n, "b") == NULL, "a key's prefix is no key");
	ok(notes_find(n, "1") == NULL, "nor is a word inside a line");
	ok(notes_find(n, "# posync") == NULL, "nor the version line");
	ino = inode(p);
	notes_keepf(n, "a", "1 x");
	notes_keep(n, "b=20c");
	is_int(notes_save(n), 0, "the same lines saved");
	ok(inode(p) == ino, "  leave the file as it was");
	notes_close(n);

	n = notes_open(p, 1);
	is_int(notes_save(n), 0, "no line kept");
	ok(!exists(p), "  removes the file");
	is_int(notes_save(n), 0, "  and again, with none there");
	notes_close(n);
	free(p);
}

static void
test_old_form(void)
{
	char *p = scratch_path("n2"), *text;
	struct notes *n;
	long long t = 0;

	/* what receipt-push.unread, po-future and errors-seen held before */
	put_file(p, "posync_R_1.json 1700000000\nx.csv 10 20 30\nseen=2Ecsv\n", 0600);
	n = notes_open(p, 1);
	ok(n && sscanf(notes_find(n, "posync_R_1.json"), "%lld", &t) == 1 &&
	    t == 1700000000, "an older posync's file (no version line) is read");
	is_str(notes_find(n, "seen=2Ecsv"), "\n", "  a bare name in it too");
	notes_keepf(n, "posync_R_1.json", "%lld", t);
	is_int(notes_save(n), 0, "kept");
	notes_close(n);
	text = slurp(p);
	is_str(text, NOTES_VERSION "\nposync_R_1.json 1700000000\n",
	    "  and written with the version line");
	free(text);

	put_file(p, "# posync notes v2\nk 1\n", 0600);
	cap_begin();
	n = notes_open(p, 0);
	text = cap_end();
	ok(n && notes_find(n, "k") == NULL, "a later version's file is ignored");
	has(text, "written by a later posync", "  said");
	notes_close(n);
	free(text);
	cap_begin();
	n = notes_open(p, 1);
	free(cap_end());
	ok(n == NULL, "  or refused when it must be read");
	free(p);

	p = scratch_path("adir");
	mkdir(p, 0700);
	cap_begin();
	n = notes_open(p, 1);
	text = cap_end();
	ok(n == NULL, "an unreadable file, when it must be read: refused");
	has(text, p, "  said, naming it");
	free(text);
	cap_begin();
	n = notes_open(p, 0);
	free(cap_end());
	ok(n && notes_find(n, "x") == NULL, "  else read as no notes");
	notes_close(n);
	rmdir(p);
	free(p);
}

/* notes_nums: the REST of a line as numbers, strictly (review D) */
static void
test_nums(void)
{
	long long v[3] = { 0, 0, 0 };

	ok(notes_nums("1 2 3", v, 3) == 0 && v[0] == 1 && v[1] == 2 &&
	    v[2] == 3, "notes_nums: three numbers");
	ok(notes_nums("1 2 3\nnext 4", v, 3) == 0, "  the line ends at its newline");
	ok(notes_nums("1 2 3 \r", v, 3) == 0, "  trailing blanks or a CR: read");
	ok(notes_nums("1 2", v, 3) != 0, "  too few: damaged");
	ok(notes_nums("1 2 3 4", v, 3) != 0, "  too many: damaged");
	ok(notes_nums("1 -2 3", v, 3) != 0, "  a sign: damaged");
	ok(notes_nums(" 1 2 3", v, 3) != 0, "  a blank before: damaged");
	ok(notes_nums("1  2 3", v, 3) != 0, "  two blanks: damaged");
	ok(notes_nums("1x 2 3", v, 3) != 0, "  a letter: damaged");
	ok(notes_nums("99999999999999999999", v, 1) != 0, "  too large: damaged");
	ok(notes_nums("", v, 1) != 0, "  nothing: damaged");
}

/* future_wait on e (x.csv) is want; what it says on stderr is dropped. */
static void
wait_is(struct future *f, const struct sftp_entry *e, int want,
    const char *desc)
{
	cap_begin();
	is_int(future_wait(f, e, "x.csv", "\"x.csv\"", 0), want, "%s", desc);
	free(cap_end());
}

static void
test_future(void)
{
	struct future f;
	struct sftp_entry e = { "x.csv", 100, 0, 1, 0 }, now2 = e;
	time_t now = time(NULL);
	char *state = scratch_path("state"), *p;

	ok(future_same(&e, &now2, 100), "the second look: as listed");
	now2.size = 101;
	ok(!future_same(&e, &now2, 100), "  a new size: changed");
	now2.size = 100;
	now2.mtime = 1;
	ok(!future_same(&e, &now2, 100), "  a new mtime: changed");
	now2.mtime = 0;
	ok(!future_same(&e, &now2, 99), "  fewer bytes read than listed: changed");
	ok(future_same(&e, &now2, FUTURE_UNREAD), "  nothing read: size and mtime");
	now2.size = 99;
	ok(!future_same(&e, &now2, FUTURE_UNREAD), "  nothing read, a new size");
	now2.size = 100;

	mkdir(state, 0700);
	p = scratch_path("state/fut");
	future_open(&f, scratch, "fut", 60);
	e.mtime = now - 100;
	is_int(future_wait(&f, &e, "x.csv", "\"x.csv\"", 0), 0, "older than min_age: read");
	e.mtime = now - 10;
	is_int(future_wait(&f, &e, "x.csv", "\"x.csv\"", 0), 1, "younger: left");
	e.mtime = now + 3600;
	wait_is(&f, &e, 1, "an mtime in the future: left, the first time");
	is_int(future_save(&f), 0, "  noted");
	future_close(&f);
	ok(exists(p), "  in the notes file");

	future_open(&f, scratch, "fut", 0);
	wait_is(&f, &e, 0, "  taken when its size and mtime held for min_age");
	is_int(future_save(&f), 0, "  and its note goes");
	future_close(&f);
	ok(!exists(p), "  with the file");

	future_open(&f, scratch, "fut", 0);
	cap_begin();
	future_wait(&f, &e, "x.csv", "\"x.csv\"", 0);
	free(cap_end());
	future_save(&f);
	future_close(&f);
	e.size = 200;
	future_open(&f, scratch, "fut", 0);
	wait_is(&f, &e, 1, "  a new size since: left again");
	future_close(&f);
	free(p);
	free(state);
}

/* notes_each: every line as read, in order, KEY and REST apart. */
static void
each_line(const char *key, const char *rest, void *arg)
{
	struct buf *b = arg;
	size_t n = strcspn(rest, "\n");

	buf_addf(b, "[%s|%.*s]", key, (int)n, rest);
}

static void
test_each(void)
{
	char *p = scratch_path("n-each");
	struct buf b = {0};
	struct notes *n;

	put_file(p, NOTES_VERSION "\na 1\n\nbare\nc 3 4\n", 0600);
	n = notes_open(p, 1);
	notes_each(n, each_line, &b);
	is_str(b.s ? b.s : "", "[a|1][bare|][c|3 4]",
	    "notes_each: each line past the version, KEY and REST");
	notes_close(n);
	buf_free(&b);
	unlink(p);
	n = notes_open(p, 1);
	notes_each(n, each_line, &b);
	ok(b.len == 0, "notes_each: no file, no line");
	notes_close(n);
	free(p);
}

int
main(void)
{
	msg_init("unit-notes");
	scratch_init("unit-notes");
	test_new_file();
	test_old_form();
	test_nums();
	test_each();
	test_future();
	scratch_remove();
	return done_testing();
}
