/*
 * Unit tests for common/flusher.c: every file handed over is closed by
 * the time flusher_join returns, whatever their number against the
 * queue's FLUSHER_FDS; its data is all there; a close that fails is said
 * with the file's path and fails the join, once, and the flusher serves
 * again after a join.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
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

/* n files written and handed over; their fds in fds. */
static void
hand_over(struct flusher *f, int *fds, int n, const char *tag)
{
	char *p;
	int i;

	for (i = 0; i < n; i++) {
		p = xasprintf("%s/%s-%d", scratch, tag, i);
		fds[i] = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fds[i] < 0 || write_all(fds[i], p, strlen(p)) < 0) {
			printf("Bail out! cannot write %s\n", p);
			exit(1);
		}
		flusher_close(f, fds[i], p);	/* p is the flusher's now */
	}
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

static void
test_all_closed(struct flusher *f)
{
	int fds[NFILES], i, whole = 0;
	char *p, *s;

	hand_over(f, fds, NFILES, "a");
	is_int(flusher_join(f), 0, "%d files, %d at once: the join says 0",
	    NFILES, FLUSHER_FDS);
	is_int(still_open(fds, NFILES), 0, "  every file is closed");
	for (i = 0; i < NFILES; i++) {
		p = xasprintf("%s/a-%d", scratch, i);
		s = slurp(p);
		whole += s && strcmp(s, p) == 0;
		free(s);
		free(p);
	}
	is_int(whole, NFILES, "  and holds what was written");
	hand_over(f, fds, 3, "b");
	is_int(flusher_join(f), 0, "used again after a join: 0");
	is_int(still_open(fds, 3), 0, "  its 3 files closed");
	is_int(flusher_join(f), 0, "a join with nothing handed over: 0");
}

/* A close that fails: an fd no file can have (EBADF). */
static void
test_bad_close(struct flusher *f)
{
	int fds[5], bad = INT_MAX;
	char *err;

	hand_over(f, fds, 2, "c");
	flusher_close(f, bad, xasprintf("%s/gone", scratch));
	flusher_close(f, bad, xasprintf("%s/gone-too", scratch));
	hand_over(f, fds + 2, 3, "d");
	cap_begin();
	is_int(flusher_join(f), -1, "a close that fails: the join says -1");
	err = cap_end();
	ok(strstr(err, "cannot write ") && strstr(err, "/gone:"),
	    "  and names the first file it failed for");
	ok(strstr(err, "1 other") != NULL, "  and counts the other");
	is_int(still_open(fds, 5), 0, "  the other files are closed");
	free(err);
	cap_begin();
	is_int(flusher_join(f), 0, "the next join: 0, the failure said once");
	err = cap_end();
	is_str(err, "", "  and nothing said");
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
	hand_over(f, fds, 4, "r");
	is_int(still_open(fds, 4), 0, "  each closed at once, before the join");
	is_int(flusher_join(f), 0, "  and the join says 0");
	flusher_free(f);
	setrlimit(RLIMIT_NOFILE, &was);
}

int
main(void)
{
	struct flusher *f;

	msg_init("unit-flusher");
	scratch_init("flusher");
	f = flusher_new();
	test_all_closed(f);
	test_bad_close(f);
	flusher_free(f);
	test_room();
	f = flusher_new();
	hand_over(f, (int[3]){0}, 3, "e");
	flusher_free(f);	/* joins: nothing leaks (ASan's run) */
	ok(1, "freed with files handed over and no join");
	scratch_remove();
	return done_testing();
}
