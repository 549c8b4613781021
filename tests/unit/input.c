/*
 * Unit tests for common/input.c: items from the arguments, from stdin
 * (a file, a pipe), and from a spool folder when stdin is a terminal,
 * closed, /dev/null or gives no line.
 */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "input.h"
#include "msg.h"
#include "util.h"

static char *dir;
static int saved_in = -1;

/* stdin from fd (closed here); fd -1 closes stdin. */
static void
stdin_from(int fd)
{
	if (fd < 0)
		close(0);
	else if (fd != 0) {	/* open() may have given 0 itself */
		dup2(fd, 0);
		close(fd);
	}
	clearerr(stdin);
}

static void
stdin_text(const char *text)
{
	char *p = xasprintf("%s/.stdin", scratch);

	put_file(p, text, 0640);
	stdin_from(open(p, O_RDONLY));
	free(p);
}

static char *
joinv(char **v, const char *sep)
{
	struct buf b = {0};

	for (; v && *v; v++) {
		if (b.len)
			buf_adds(&b, sep);
		buf_adds(&b, *v);
	}
	return b.s ? b.s : xstrdup("");
}

static void
collect_is(int argc, char **argv, const char *d, const char *suffix,
    const char *want, int want_spool, const char *desc)
{
	size_t n = 99;
	int sp = -1;
	char **v = input_collect(argc, argv, d, suffix, &n, &sp);
	char *got = joinv(v, "|");

	if (!ok(v && strcmp(got, want) == 0 && sp == want_spool, "%s", desc))
		printf("#   got  %s (from_spool %d)\n#   want %s (from_spool %d)\n",
		    v ? got : "(NULL)", sp, want, want_spool);
	if (v) {
		size_t k = 0;

		while (v[k])
			k++;
		if (!ok(n == k, "  n is the count"))
			printf("#   n=%zu, %zu items\n", n, k);
	}
	free(got);
	input_free(v);
}

struct seen {
	struct buf b;
	int fail_on;		/* the item number that returns EX_DATAERR */
	int count;
};

static int
each(const char *path, void *arg)
{
	struct seen *s = arg;

	s->count++;
	if (s->b.len)
		buf_addc(&s->b, '|');
	buf_adds(&s->b, path);
	return s->count == s->fail_on ? EX_DATAERR : 0;
}

/* Arguments win over everything. */
static void
test_arguments(void)
{
	char *argv[] = {"a b.json", "-weird", "/x/y.json", NULL};
	struct seen s = {.b = {0}};
	int r;

	stdin_text("from-stdin\n");
	collect_is(3, argv, dir, ".json", "a b.json|-weird|/x/y.json", 0,
	    "arguments are the items, as they are");
	s.fail_on = 2;
	r = input_loop(3, argv, dir, ".json", each, &s);
	is_str(s.b.s, "a b.json|-weird|/x/y.json", "input_loop calls fn for each argument in order");
	is_int(r, EX_DATAERR, "  and merges their statuses");
	buf_free(&s.b);
}

/* stdin from a file, then from a pipe written by another process. */
static void
test_stdin(void)
{
	struct seen s = {.b = {0}};
	int fds[2], r;
	pid_t pid;

	stdin_text("one\n\n  two with spaces \n/three/3.json\n\nlast-no-newline");
	collect_is(0, NULL, dir, ".json", "one|  two with spaces |/three/3.json|last-no-newline", 0,
	    "stdin lines, blank ones skipped, others as they are");

	if (pipe(fds) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (write(fds[1], "p1\n", 3) != 3 || write(fds[1], "p2\n", 3) != 3)
			_exit(1);
		usleep(100000);	/* the reader waits for the rest */
		if (write(fds[1], "p3\n", 3) != 3)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	stdin_from(fds[0]);
	r = input_loop(0, NULL, dir, ".json", each, &s);
	waitpid(pid, NULL, 0);
	is_str(s.b.s, "p1|p2|p3", "input_loop reads a pipe to its end");
	is_int(r, 0, "  status 0");
	buf_free(&s.b);
}

/* Nothing on stdin: the spool folder. */
static void
test_spool_folder(void)
{
	char *want = xasprintf("%s/a.json|%s/b.json", dir, dir);
	int fds[2];

	stdin_from(open("/dev/null", O_RDONLY));
	collect_is(0, NULL, dir, ".json", want, 1, "stdin /dev/null: the spool folder, sorted, full paths");
	stdin_text("\n\n");
	collect_is(0, NULL, dir, ".json", want, 1, "only blank lines on stdin: the spool folder");
	if (pipe(fds) < 0)
		exit(1);
	close(fds[1]);
	stdin_from(fds[0]);
	collect_is(0, NULL, dir, ".json", want, 1, "an empty pipe: the spool folder");
	stdin_from(-1);
	collect_is(0, NULL, dir, ".json", want, 1, "a closed stdin: the spool folder");
	free(want);
	want = xasprintf("%s/a.json|%s/b.json|%s/c.txt", dir, dir, dir);
	stdin_from(open("/dev/null", O_RDONLY));
	collect_is(0, NULL, dir, NULL, want, 1, "no suffix: every file of the folder");
	collect_is(0, NULL, NULL, NULL, "", 0, "no folder: no items");
	free(want);
}

/* A terminal on stdin is a person, not a list: not read. */
static void
test_terminal(void)
{
	char *want;
	int pt;

	pt = posix_openpt(O_RDWR | O_NOCTTY);
	if (pt >= 0 && grantpt(pt) == 0 && unlockpt(pt) == 0) {
		int slave = open(ptsname(pt), O_RDWR | O_NOCTTY);

		stdin_from(slave);
		ok(isatty(0), "stdin is a terminal now");
		want = xasprintf("%s/a.json|%s/b.json", dir, dir);
		collect_is(0, NULL, dir, ".json", want, 1, "stdin a terminal: the spool folder");
		free(want);
		close(pt);
	} else {
		ok(1, "# SKIP no pseudo-terminal");
		ok(1, "# SKIP no pseudo-terminal");
		ok(1, "# SKIP no pseudo-terminal");
	}
}

/* A missing spool folder; a line on stdin too long for a path. */
static void
test_errors(void)
{
	struct seen s = {.b = {0}};
	char *p, *err, *longline;
	int r;

	stdin_from(open("/dev/null", O_RDONLY));
	p = xasprintf("%s/missing", scratch);
	cap_begin();
	r = input_loop(0, NULL, p, NULL, each, &s);
	err = cap_end();
	is_int(r, EX_IOERR, "a missing spool folder is EX_IOERR");
	ok(strstr(err, p) != NULL, "  naming it");
	free(err);
	cap_begin();
	ok(input_collect(0, NULL, p, NULL, &(size_t){0}, NULL) == NULL,
	    "input_collect gives NULL then");
	free(cap_end());
	free(p);

	longline = xmalloc(5000);
	memset(longline, 'z', 4998);
	longline[4998] = '\n';
	longline[4999] = 0;
	p = xasprintf("ok1\n%sok2\n", longline);
	stdin_text(p);
	free(p);
	free(longline);
	buf_free(&s.b);
	s.count = 0;
	cap_begin();
	r = input_loop(0, NULL, dir, NULL, each, &s);
	err = cap_end();
	is_str(s.b.s, "ok1|ok2", "a line too long for a path is skipped");
	is_int(r, EX_DATAERR, "  status EX_DATAERR");
	ok(strstr(err, "stdin line 2: not a path") != NULL, "  and reported with its line");
	free(err);
	buf_free(&s.b);
}

/* input_status: what a program exits with for an input it cannot open */
static void
test_status(void)
{
	is_int(input_status(ENOENT), EX_NOINPUT, "missing: 66");
	is_int(input_status(EACCES), EX_NOINPUT, "unreadable: 66");
	is_int(input_status(ENOTREG), EX_NOINPUT, "a FIFO or device (open_regular): 66");
	is_int(input_status(EISDIR), EX_NOINPUT, "a directory: 66");
	is_int(input_status(ENOTDIR), EX_NOINPUT, "a path through a file: 66");
	is_int(input_status(EIO), EX_IOERR, "a failing disk is not the input's fault: 74");
	is_int(input_status(ENOMEM), EX_IOERR, "nor is no memory");
}

int
main(void)
{
	char *p;

	msg_init("unit-input");
	saved_in = dup(0);
	scratch_init("unit-input");
	dir = xasprintf("%s/new", scratch);
	mkdir(dir, 0750);
	put_file((p = xasprintf("%s/b.json", dir)), "x", 0640); free(p);
	put_file((p = xasprintf("%s/a.json", dir)), "x", 0640); free(p);
	put_file((p = xasprintf("%s/c.txt", dir)), "x", 0640); free(p);
	put_file((p = xasprintf("%s/.d.json", dir)), "x", 0640); free(p);

	test_arguments();
	test_stdin();
	test_spool_folder();
	test_terminal();
	test_errors();

	dup2(saved_in, 0);
	close(saved_in);
	scratch_remove();
	free(dir);
	test_status();
	return done_testing();
}
