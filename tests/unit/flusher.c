/*
 * Unit tests for common/flusher.c: every file handed over is closed by
 * the time flusher_join returns, whatever their number against the
 * queue, and holds what was written; no more are open at once than
 * flusher_fds says, even when writeback is slow (sync_file_range is
 * this file's, slowed at will); a close that fails is said once for its
 * tag, with its words, fails the join and that tag alone, and is
 * forgotten at the next join; under a low open files limit no file is
 * held at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tap.h"
#include "flusher.h"
#include "msg.h"
#include "util.h"
#include "testutil.h"

#define NFILES	(FLUSHER_FDS * 6 + 3)

static useconds_t slow_us;	/* each sync_file_range's wait */

/* The flusher's sync_file_range: this one, taking slow_us (a disk whose
 * writeback queue is full), then libc's work is not needed here. */
int
sync_file_range(int fd, off64_t off, off64_t n, unsigned int flags)
{
	(void)fd; (void)off; (void)n; (void)flags;
	if (slow_us)
		usleep(slow_us);
	return 0;
}

/* How many of fds are still open (the test opens no file meanwhile). */
static int
still_open(const int *fds, int n)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		k += fcntl(fds[i], F_GETFD) != -1;
	return k;
}

/* How many files named SCRATCH/NAME-* this process has open: fd numbers
 * are reused as soon as they are closed, so /proc/self/fd is asked. */
static int
open_named(const char *name)
{
	char *dir = xasprintf("%s/%s-", scratch, name), link[512], fdp[64];
	int fd, k = 0;
	ssize_t n;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(fdp, sizeof fdp, "/proc/self/fd/%d", fd);
		if ((n = readlink(fdp, link, sizeof link - 1)) < 0)
			continue;
		link[n] = 0;
		k += strncmp(link, dir, strlen(dir)) == 0;
	}
	free(dir);
	return k;
}

/* n files written and handed over with tag; their fds in fds; the most
 * of them seen open at once, each time one was handed over (when count). */
static int
hand_over(struct flusher *f, int *fds, int n, const char *name,
    unsigned long tag)
{
	char *p;
	int i, most = 0, k;

	for (i = 0; i < n; i++) {
		p = xasprintf("%s/%s-%d", scratch, name, i);
		fds[i] = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fds[i] < 0 || write_all(fds[i], p, strlen(p)) < 0) {
			printf("Bail out! cannot write %s\n", p);
			exit(1);
		}
		flusher_close(f, fds[i], p, tag);	/* p is the flusher's */
		if (slow_us && (k = open_named(name)) > most)
			most = k;
	}
	return most;
}

static void
test_all_closed(struct flusher *f)
{
	int fds[NFILES], i, whole = 0;
	char *p, *s;

	hand_over(f, fds, NFILES, "a", 1);
	is_int(flusher_join(f), 0, "%d files, %zu at once: the join says 0",
	    NFILES, flusher_fds(f));
	is_int(still_open(fds, NFILES), 0, "  every file is closed");
	for (i = 0; i < NFILES; i++) {
		p = xasprintf("%s/a-%d", scratch, i);
		s = slurp(p);
		whole += s && strcmp(s, p) == 0;
		free(s);
		free(p);
	}
	is_int(whole, NFILES, "  and holds what was written");
	hand_over(f, fds, 3, "b", 2);
	is_int(flusher_join(f), 0, "used again after a join: 0");
	is_int(still_open(fds, 3), 0, "  its 3 files closed");
	is_int(flusher_join(f), 0, "a join with nothing handed over: 0");
}

/* Slow writeback: the thread holds files longer, and the caller may not
 * queue more than the bound while it does. */
static void
test_bound(struct flusher *f)
{
	int fds[FLUSHER_FDS * 4], most;

	slow_us = 3000;
	most = hand_over(f, fds, FLUSHER_FDS * 4, "s", 3);
	slow_us = 0;
	is_int(flusher_join(f), 0, "slow writeback: the join says 0");
	ok(most <= (int)flusher_fds(f),
	    "  at most %zu files open at once, queued or being closed (%d)",
	    flusher_fds(f), most);
	ok(most >= 2, "  and it did hold some (%d)", most);
}

/* A close that fails: an fd no file can have (EBADF), in tag 5 only. */
static void
test_bad_close(struct flusher *f)
{
	int fds[5], bad = INT_MAX;
	char *err;

	hand_over(f, fds, 2, "c", 4);
	flusher_close(f, bad, xstrdup("batch 2 of \"gone.csv\""), 5);
	flusher_close(f, bad, xstrdup("batch 3 of \"gone.csv\""), 5);
	hand_over(f, fds + 2, 3, "d", 6);
	cap_begin();
	is_int(flusher_join(f), -1, "a close that fails: the join says -1");
	err = cap_end();
	has(err, "cannot write batch 2 of \"gone.csv\" (and 1 more like it): "
	    "Bad file descriptor", "  names its first, counts the other");
	is_int(count_lines(err), 1, "  in one line");
	ok(flusher_failed(f, 5), "  its tag failed");
	ok(!flusher_failed(f, 4) && !flusher_failed(f, 6),
	    "  the tags before and after it did not");
	is_int(still_open(fds, 5), 0, "  their files are closed");
	free(err);
	cap_begin();
	is_int(flusher_join(f), 0, "the next join: 0, the failure said once");
	err = cap_end();
	is_str(err, "", "  and nothing said");
	ok(!flusher_failed(f, 5), "  and the tag failed no more");
	free(err);
}

/* Little room under the open files limit: no files held, each closed at
 * once; with room, FLUSHER_FDS at the most. */
static void
test_room(void)
{
	struct rlimit was, low;
	struct flusher *f;
	int fds[4];

	f = flusher_new();
	ok(flusher_fds(f) >= 2 && flusher_fds(f) <= FLUSHER_FDS,
	    "with room: holds 2 to %d files (%zu)", FLUSHER_FDS, flusher_fds(f));
	flusher_free(f);
	if (getrlimit(RLIMIT_NOFILE, &was) != 0)
		return;
	low = was;
	low.rlim_cur = 16;
	if (setrlimit(RLIMIT_NOFILE, &low) != 0) {
		ok(0, "cannot lower RLIMIT_NOFILE: %s", strerror(errno));
		return;
	}
	f = flusher_new();
	is_int(flusher_fds(f), 0, "16 files allowed: holds none");
	hand_over(f, fds, 4, "r", 7);
	is_int(still_open(fds, 4), 0, "  each closed at once, before the join");
	is_int(flusher_join(f), 0, "  and the join says 0");
	flusher_free(f);
	setrlimit(RLIMIT_NOFILE, &was);
}

int
main(void)
{
	struct flusher *f;
	int fds[3];

	msg_init("unit-flusher");
	scratch_init("flusher");
	f = flusher_new();
	test_all_closed(f);
	test_bound(f);
	test_bad_close(f);
	flusher_free(f);
	test_room();
	f = flusher_new();
	hand_over(f, fds, 3, "e", 8);
	flusher_free(f);	/* joins: nothing leaks (ASan's run) */
	is_int(still_open(fds, 3), 0, "freed with files handed over, no join: closed");
	scratch_remove();
	return done_testing();
}
