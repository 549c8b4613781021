/*
 * Unit tests for common/spool.c and common/lock.c: the Maildir protocol
 * (create/commit/abort, move, fail with its .err, has, list, clean_tmp,
 * prune, write_atomic) and the one-copy lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "lock.h"
#include "msg.h"
#include "spool.h"
#include "util.h"

static char *spool, *po;

/* The names in a folder, sorted and joined by spaces, by readdir alone
 * (not by the code under test). */
static char *
dir_names(const char *dir)
{
	struct dirent *e;
	char *v[64];
	size_t n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return xstrdup("(none)");
	while ((e = readdir(d)) && n < 64)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			v[n++] = xstrdup(e->d_name);
	closedir(d);
	return joined_strings(v, n, 0);
}

static char *
joinv(char **v)
{
	struct buf b = {0};

	for (; v && *v; v++) {
		if (b.len)
			buf_addc(&b, ' ');
		buf_adds(&b, *v);
	}
	return b.s ? b.s : xstrdup("");
}

static void
check_dir(const char *dir, const char *want, const char *desc)
{
	char *got = dir_names(dir);

	is_str(got, want, "%s", desc);
	free(got);
}

/* The file at path holds want (read by slurp, not the code under test). */
static void
file_is(const char *path, const char *want, const char *desc)
{
	char *s = slurp(path);

	is_str(s, want, "%s", desc);
	free(s);
}

/* PO/rel holds want. */
static void
po_file_is(const char *rel, const char *want, const char *desc)
{
	char *p = xasprintf("%s/%s", po, rel);

	file_is(p, want, desc);
	free(p);
}

/* PO/rel is not there. */
static void
po_gone(const char *rel, const char *desc)
{
	char *p = xasprintf("%s/%s", po, rel);

	ok(!exists(p), "%s", desc);
	free(p);
}

static void
test_init(void)
{
	static const char *const subs[] = {
		"po/tmp", "po/new", "po/cur", "po/failed", "po/rejects", "po/raw",
		"receipt/tmp", "receipt/new", "receipt/cur", "receipt/failed",
		"receipt/errors", "state", "state/parsed", NULL
	};
	const char *const *s;
	struct stat st;
	char *p;
	int all = 1;

	is_int(spool_init(spool), 0, "spool_init");
	for (s = subs; *s; s++) {
		p = path_join(spool, *s);
		if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode) || (st.st_mode & 0777) != 0750) {
			printf("# %s missing or not mode 0750\n", p);
			all = 0;
		}
		free(p);
	}
	ok(all, "every spool folder exists, mode 0750");
	p = spool_state_path("/s", "polines");
	is_str(p, "/s/state/polines", "spool_state_path: a state file");
	free(p);
	p = spool_state_path("/s", NULL);
	is_str(p, "/s/state", "spool_state_path: the state folder");
	free(p);
	p = spool_area_path("/s", "receipt", "cur");
	is_str(p, "/s/receipt/cur", "spool_area_path: a folder of an area");
	free(p);
	p = spool_area_path("/s", "po", NULL);
	is_str(p, "/s/po", "spool_area_path: the area");
	free(p);
	is_int(spool_init(spool), 0, "spool_init again is harmless");
}

static void
test_create_commit(void)
{
	struct spool_file sf;
	char *tmp, *dst, *s, *err;

	is_int(spool_create(&sf, po, "batch-1.json"), 0, "spool_create");
	tmp = xasprintf("%s/tmp/batch-1.json.%ld", po, (long)getpid());
	is_str(sf.tmppath, tmp, "the tmp file is tmp/NAME.PID");
	ok(exists(tmp), "  and exists while being written");
	fputs("[{\"externalId\": \"1\"}]\n", sf.fp);
	fputs("second line\n", sf.fp);
	dst = xasprintf("%s/new", po);
	check_dir(dst, "", "nothing in new/ before commit");
	free(dst);
	is_int(spool_commit(&sf, "new"), 0, "spool_commit");
	ok(sf.fp == NULL && sf.tmppath == NULL, "commit frees the spool_file");
	ok(!exists(tmp), "no tmp file after commit");
	dst = xasprintf("%s/new/batch-1.json", po);
	s = slurp(dst);
	is_str(s, "[{\"externalId\": \"1\"}]\nsecond line\n", "the content is whole in new/");
	free(s);

	/* Same name again: replaced, not doubled. */
	spool_create(&sf, po, "batch-1.json");
	fputs("v2\n", sf.fp);
	is_int(spool_commit(&sf, "new"), 0, "a commit of the same name");
	s = slurp(dst);
	is_str(s, "v2\n", "  replaces the file");
	free(s);

	spool_create(&sf, po, "batch-2.json");
	fputs("abandoned\n", sf.fp);
	spool_abort(&sf);
	ok(!exists(tmp) && sf.tmppath == NULL, "spool_abort removes the tmp file");
	free(tmp);
	tmp = xasprintf("%s/tmp", po);
	check_dir(tmp, "", "tmp/ is empty");
	free(tmp);
	tmp = xasprintf("%s/new", po);
	check_dir(tmp, "batch-1.json", "new/ holds only the committed file");
	free(tmp);

	cap_begin();
	ok(spool_create(&sf, po, "../escape") != 0, "a name with '/' is refused");
	ok(spool_create(&sf, po, ".hidden") != 0, "a name with a leading '.' is refused");
	ok(spool_create(&sf, po, "") != 0, "an empty name is refused");
	err = cap_end();
	has(err, "\"../escape\" is not a valid spool file name", "  with a message");
	free(err);

	/* A commit into a folder that is not there fails and cleans up. */
	spool_create(&sf, po, "batch-3.json");
	tmp = xstrdup(sf.tmppath);
	fputs("x\n", sf.fp);
	cap_begin();
	is_int(spool_commit(&sf, "nosuchdir"), EX_IOERR, "a failed commit is EX_IOERR");
	err = cap_end();
	has(err, "cannot rename", "  and says so");
	ok(!exists(tmp), "  and removes the tmp file");
	free(tmp);
	free(err);
	free(dst);
}

static void
test_move_fail(void)
{
	static const char *const done[] = {"cur", "failed", NULL};
	static const char *const waiting[] = {"new", NULL};
	char *p, *err;

	is_int(spool_move(po, "new", "cur", "batch-1.json"), 0, "spool_move new -> cur");
	po_file_is("cur/batch-1.json", "v2\n", "the file is in cur/ with its content");
	po_gone("new/batch-1.json", "and no longer in new/");
	is_int(spool_has(po, done, "batch-1.json"), 1, "spool_has finds it in cur/ or failed/");
	is_int(spool_has(po, waiting, "batch-1.json"), 0, "spool_has: not in new/");
	is_int(spool_has(po, done, "batch-9.json"), 0, "spool_has: an unknown name");

	cap_begin();
	is_int(spool_move(po, "new", "cur", "batch-9.json"), EX_IOERR, "moving a missing file");
	err = cap_end();
	p = xasprintf("cannot move %s/new/batch-9.json to %s/cur: No such file", po, po);
	has(err, p, "  names the file and the error");
	free(p);
	free(err);

	p = xasprintf("%s/new/bad.json", po);
	put_file(p, "nonsense\n", 0640);
	free(p);
	is_int(spool_fail(po, "new", "bad.json", "HotWax refused %s: %s", "bad.json", "no such SKU"),
	    0, "spool_fail");
	po_file_is("failed/bad.json", "nonsense\n", "the file is in failed/");
	po_file_is("failed/bad.json.err", "HotWax refused bad.json: no such SKU\n",
	    "with NAME.err saying why");
	po_gone("new/bad.json", "and not in new/");
	p = xasprintf("%s/tmp", po);
	check_dir(p, "", "no tmp file left by spool_fail");
	free(p);
	is_int(spool_has(po, done, "bad.json"), 1, "spool_has sees the failed file");

	cap_begin();
	ok(spool_fail(po, "new", "gone.json", "why") != 0, "failing a missing file is an error");
	free(cap_end());
	po_gone("failed/gone.json.err", "  and leaves no .err behind");
}

static void
test_list(void)
{
	char *dir = xasprintf("%s/list", scratch), *p, **v, *got;
	static const char *const files[] = {
		"b.json", "a.json", "c.txt", ".hidden.json", "x.json.err", "a b.json", NULL
	};
	const char *const *f;
	size_t n;

	mkdir(dir, 0750);
	for (f = files; *f; f++) {
		p = path_join(dir, *f);
		put_file(p, "x", 0640);
		free(p);
	}
	p = path_join(dir, "d.json");
	mkdir(p, 0750);
	free(p);
	p = path_join(dir, "l.json");
	if (symlink("a.json", p) < 0)
		perror(p);
	free(p);

	is_int(spool_list(dir, ".json", &v, &n), 0, "spool_list .json");
	got = joinv(v);
	is_str(got, "a b.json a.json b.json", "sorted; no dot file, folder, symlink or .err");
	is_int(n, 3, "n counts them");
	ok(v[n] == NULL, "the vector ends with NULL");
	free(got);
	spool_list_free(v);

	spool_list(dir, NULL, &v, &n);
	got = joinv(v);
	is_str(got, "a b.json a.json b.json c.txt", "spool_list NULL: every name, no .err");
	free(got);
	spool_list_free(v);

	spool_list(dir, ".err", &v, &n);
	got = joinv(v);
	is_str(got, "x.json.err", "spool_list .err lists the .err files");
	free(got);
	spool_list_free(v);

	p = path_join(dir, "empty");
	mkdir(p, 0750);
	is_int(spool_list(p, NULL, &v, &n), 0, "an empty folder");
	ok(n == 0 && v && v[0] == NULL, "  gives an empty vector");
	spool_list_free(v);
	free(p);

	p = path_join(dir, "missing");
	cap_begin();
	is_int(spool_list(p, NULL, &v, &n), EX_IOERR, "a missing folder is EX_IOERR");
	got = cap_end();
	has(got, p, "  naming the folder");
	free(got);
	free(p);
	free(dir);
}

static pid_t
dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void
age(const char *path, long seconds)
{
	struct timeval tv[2];

	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= seconds;
	tv[1] = tv[0];
	if (utimes(path, tv) < 0)
		perror(path);
}

/* DIR/NAME, one byte, SECONDS old */
static void
aged_file(const char *dir, const char *name, long seconds)
{
	char *p = path_join(dir, name);

	put_file(p, "x", 0640);
	age(p, seconds);
	free(p);
}

static void
test_clean_prune(void)
{
	char *dead, *live, *old, *nopid, *errtmp, *tmpdir = xasprintf("%s/tmp", po);
	char *dir, *p, *want;
	pid_t d = dead_pid();

	ok(kill(d, 0) < 0 && errno == ESRCH, "pid %ld is not running", (long)d);
	dead = xasprintf("%s/a.json.%ld", tmpdir, (long)d);
	live = xasprintf("%s/b.json.%ld", tmpdir, (long)getpid());
	old = xasprintf("%s/c.json.%ld", tmpdir, (long)getpid());
	nopid = xasprintf("%s/d.json", tmpdir);
	errtmp = xasprintf("%s/e.json.err.%ld", tmpdir, (long)d);
	put_file(dead, "x", 0640);
	put_file(live, "x", 0640);
	put_file(old, "x", 0640);
	put_file(nopid, "x", 0640);
	put_file(errtmp, "x", 0640);
	age(old, 2 * 86400);
	is_int(spool_clean_tmp(po), 0, "spool_clean_tmp");
	ok(!exists(dead), "a dead writer's file is removed");
	ok(!exists(errtmp), "a dead writer's .err tmp file is removed");
	ok(exists(live), "a live writer's file is kept");
	/* its age is its inode's (ctime, which no test can set back): a
	 * live writer's batch with its source's mtime, days old, waits in
	 * tmp/ until the writer publishes it (po-export-parse, 1020) */
	ok(exists(old), "a live writer's file with an old mtime is kept");
	ok(!exists(nopid), "a file with no pid is removed");
	unlink(live);
	unlink(old);

	/* spool_write_atomic's leftovers beside their target, in cur/ and in
	 * the spool's state/: a dead writer's go, a live one's and ordinary
	 * names that merely end in a number stay. */
	{
		char *cd = xasprintf("%s/cur/x.logid.tmp.%ld", po, (long)d);
		char *cl = xasprintf("%s/cur/y.logid.tmp.%ld", po, (long)getpid());
		char *cn = xasprintf("%s/cur/batch.00001", po);
		char *sd = xasprintf("%s/state/cursor.tmp.%ld", spool, (long)d);

		put_file(cd, "x", 0640);
		put_file(cl, "x", 0640);
		put_file(cn, "x", 0640);
		put_file(sd, "x", 0640);
		is_int(spool_clean_tmp(po), 0, "spool_clean_tmp beside targets");
		ok(!exists(cd), "a dead writer's PATH.tmp.PID in cur/ is removed");
		ok(!exists(sd), "a dead writer's PATH.tmp.PID in state/ is removed");
		ok(exists(cl), "a live writer's PATH.tmp.PID is kept");
		ok(exists(cn), "a name that is no .tmp.PID is kept");
		unlink(cl);
		unlink(cn);
		free(cd);
		free(cl);
		free(cn);
		free(sd);
	}

	dir = xasprintf("%s/cur", po);
	aged_file(dir, "old.json", 40 * 86400);
	aged_file(dir, "old.json.err", 31 * 86400);
	aged_file(dir, "recent.json", 29 * 86400);
	p = path_join(dir, "sub");
	mkdir(p, 0750);
	age(p, 40 * 86400);
	free(p);
	is_int(spool_prune(dir, 30), 0, "spool_prune 30 days");
	want = xasprintf("batch-1.json recent.json sub");
	check_dir(dir, want, "files older than 30 days are gone, newer ones and folders stay");
	free(want);
	free(dir);
	free(dead);
	free(live);
	free(old);
	free(nopid);
	free(errtmp);
	free(tmpdir);
}

static int
keep_one(const char *name, void *arg)
{
	return strcmp(name, arg) == 0;
}

/* 1 when path's mtime is within a minute of now. */
static int
stamped_now(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && time(NULL) - st.st_mtime < 60 &&
	    st.st_mtime - time(NULL) < 60;
}

/* spool_move and spool_fail stamp a file with the time it arrived, which
 * spool_prune goes by: a batch that waited 40 days in new/ is not pruned
 * from cur/ the moment it gets there (issue 9, finding 7). */
static void
test_move_stamp(void)
{
	char *p = xasprintf("%s/new/aged.json", po), *q, *dir, *want;

	put_file(p, "x\n", 0640);
	age(p, 40 * 86400);
	is_int(spool_move(po, "new", "cur", "aged.json"), 0, "spool_move of a file 40 days old");
	q = xasprintf("%s/cur/aged.json", po);
	ok(stamped_now(q), "  its mtime is now, when it reached cur/");
	dir = xasprintf("%s/cur", po);
	is_int(spool_prune(dir, 30), 0, "spool_prune 30 days");
	ok(exists(q), "  keeps it");
	free(p);
	free(q);

	p = xasprintf("%s/new/aged2.json", po);
	put_file(p, "x\n", 0640);
	age(p, 40 * 86400);
	is_int(spool_fail(po, "new", "aged2.json", "why"), 0, "spool_fail of a file 40 days old");
	q = xasprintf("%s/failed/aged2.json", po);
	ok(stamped_now(q), "  its mtime in failed/ is now");
	free(p);
	free(q);

	aged_file(dir, "keep.json", 40 * 86400);
	aged_file(dir, "drop.json", 40 * 86400);
	is_int(spool_prune_keep(dir, 30, keep_one, "keep.json"), 0, "spool_prune_keep");
	want = xasprintf("aged.json batch-1.json keep.json recent.json sub");
	check_dir(dir, want, "  spares what keep() says, prunes the rest as old");
	free(want);
	free(dir);
}

static void
test_atomic(void)
{
	char *p = xasprintf("%s/state/cursor", spool), *dir;

	is_int(spool_write_atomic(p, "12345\n", 6), 0, "spool_write_atomic");
	file_is(p, "12345\n", "the content is there");
	is_int(spool_write_atomic(p, "67", 2), 0, "and again");
	file_is(p, "67", "  replaced");
	dir = xasprintf("%s/state", spool);
	/* parsed: po-export-parse's markers, made by spool_init */
	check_dir(dir, "cursor parsed", "no tmp file left beside it");
	free(dir);
	free(p);
}

static void
test_deliver(void)
{
	char *area = xasprintf("%s/receipt", spool);
	char *p = xasprintf("%s/receipt/new/r.json", spool), *dir;

	is_int(spool_deliver(area, "new", "r.json", "[1]\n", 4), 0, "spool_deliver");
	file_is(p, "[1]\n", "the whole content is in new/");
	dir = xasprintf("%s/receipt/tmp", spool);
	check_dir(dir, "", "and nothing is left in tmp/");
	free(dir);
	free(area);
	free(p);
}

static void
test_lock(void)
{
	char *err, *want;
	pid_t pid;
	int st;

	is_int(lock_take(spool, "po-import"), 0, "lock_take");
	cap_begin();
	is_int(lock_take(spool, "po-import"), EX_TEMPFAIL, "a second lock_take is EX_TEMPFAIL");
	err = cap_end();
	want = xasprintf("po-import is already running (lock %s/state/po-import.lock)", spool);
	has(err, want, "  and says who holds it");
	free(want);
	free(err);

	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		_exit(lock_take(spool, "po-import") * 2 + (lock_take(spool, "receipt-push") ? 1 : 0));
	}
	waitpid(pid, &st, 0);
	is_int(WIFEXITED(st) ? WEXITSTATUS(st) : -1, EX_TEMPFAIL * 2,
	    "another process: refused for po-import, free for receipt-push");
	pid = fork();
	if (pid == 0)
		_exit(lock_take(spool, "receipt-push"));
	waitpid(pid, &st, 0);
	is_int(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0,
	    "the child's lock went with it");

	cap_begin();
	is_int(lock_take("/nonexistent/spool", "x"), EX_IOERR, "a lock in a missing spool is EX_IOERR");
	free(cap_end());
}

/* spool_in: in the folder itself, however the path is spelt */
static void
test_in(void)
{
	char *p = xasprintf("%s/new/x.json", po), *q = xasprintf("%s/./new/../new/x.json", po);
	char *d = xasprintf("%s/new", po), *sub = xasprintf("%s/new/sub/x.json", po);

	ok(spool_in(d, p), "spool_in: a file in the folder");
	ok(spool_in(d, q), "  spelt another way");
	ok(!spool_in(d, sub), "  not one in a folder below it");
	ok(!spool_in(po, p), "  nor one in a folder above it");
	ok(!spool_in(NULL, p), "  NULL: no folder yet");
	free(p);
	free(q);
	free(d);
	free(sub);
}

int
main(void)
{
	msg_init("unit-spool");
	scratch_init("unit-spool");
	spool = xasprintf("%s/spool", scratch);
	po = xasprintf("%s/po", spool);
	test_init();
	test_create_commit();
	test_move_fail();
	test_list();
	test_clean_prune();
	test_move_stamp();
	test_atomic();
	test_deliver();
	test_lock();
	test_in();
	scratch_remove();
	free(spool);
	free(po);
	return done_testing();
}
