/*
 * testutil.h -- helpers shared by the C unit tests (tap.h stays the TAP
 * producer alone): a scratch folder made under $TMPDIR and removed at the
 * end, stderr of the code under test captured into a string, small
 * file helpers, a list of strings as one comparable string, and the
 * environment a .t file sets for its unit test.  Functions are static inline so that a test using only
 * some of them still builds clean with -Wall -Wextra -Werror.
 * Include after tap.h and util.h.
 */
#ifndef POSYNC_TESTUTIL_H
#define POSYNC_TESTUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

static char scratch[256];		/* "" until scratch_init */
static int tu_saved_err = -1;

/* A fresh folder $TMPDIR/posync-NAME.XXXXXX; the test bails out without it. */
static inline const char *
scratch_init(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(scratch, sizeof scratch, "%s/posync-%s.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp", name);

	if (n < 0 || (size_t)n >= sizeof scratch || !mkdtemp(scratch)) {
		printf("Bail out! cannot make a scratch folder %s: %s\n", scratch,
		    n < 0 || (size_t)n >= sizeof scratch ? "name too long" : strerror(errno));
		exit(1);
	}
	return scratch;
}

static inline int
tu_rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	if (remove(p) < 0)
		printf("# cannot remove %s: %s\n", p, strerror(errno));
	return 0;	/* go on: remove all that can be removed */
}

/* The scratch folder and everything in it, gone (symlinks not followed). */
static inline void
scratch_remove(void)
{
	if (scratch[0])
		nftw(scratch, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	scratch[0] = 0;
}

/* SCRATCH/NAME, to free. */
static inline char *
scratch_path(const char *name)
{
	return xasprintf("%s/%s", scratch, name);
}

/* SCRATCH/NAME made a folder (mode 0750). */
static inline void
scratch_mkdir(const char *name)
{
	char *p = scratch_path(name);

	if (mkdir(p, 0750) < 0)
		printf("# cannot make %s: %s\n", p, strerror(errno));
	free(p);
}

/* stderr into SCRATCH/.stderr until cap_end: what the code under test
 * said.  Not nested. */
static inline void
cap_begin(void)
{
	char *p;
	int fd;

	if (!scratch[0])
		scratch_init("unit");
	p = scratch_path(".stderr");
	fflush(stderr);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	tu_saved_err = dup(2);
	if (fd < 0 || tu_saved_err < 0 || dup2(fd, 2) < 0) {
		printf("Bail out! cannot capture stderr in %s: %s\n", p, strerror(errno));
		exit(1);
	}
	close(fd);
	free(p);
}

/* stderr back; what was said since cap_begin, to free. */
static inline char *
cap_end(void)
{
	char *p = scratch_path(".stderr"), *s;
	size_t n;

	fflush(stderr);
	dup2(tu_saved_err, 2);
	close(tu_saved_err);
	tu_saved_err = -1;
	if (read_file(p, 1 << 20, &s, &n) < 0)
		s = xstrdup("");
	free(p);
	return s;
}

/* PATH holds exactly TEXT, with MODE; the test exits when it cannot. */
static inline void
put_file(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text);
	int fd;

	/* a fresh file: one left 0400 by an earlier case cannot be opened
	 * for writing but by root (the tests run as any user) */
	(void)unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write_all(fd, text, len) < 0 || fchmod(fd, mode) < 0 ||
	    close(fd) < 0) {
		printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* The contents of a file (up to 16 MB), or NULL when it cannot be read. */
static inline char *
slurp(const char *path)
{
	char *s;
	size_t n;

	return read_file(path, 1 << 24, &s, &n) < 0 ? NULL : s;
}

static inline int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static inline int
count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* TEXT as TAP diagnostics, each line prefixed "#   LABEL: ". */
static inline void
diag_text(const char *label, const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		printf("#   %s: %.*s\n", label, nl ? (int)(nl - p) : (int)strlen(p), p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* A check that ERR (captured stderr) holds WANT; shows ERR when not. */
static inline void
has(const char *err, const char *want, const char *desc)
{
	if (!ok(strstr(err, want) != NULL, "%s", desc)) {
		printf("#   wanted in stderr: %s\n", want);
		diag_text("stderr", err);
	}
}

/* The N strings of V sorted and joined into one string to compare: each
 * followed by a space when TRAILING, else separated by one.  Each string
 * is freed (V itself is the caller's); "" for none. */
static inline char *
joined_strings(char **v, size_t n, int trailing)
{
	struct buf b = {0};
	size_t i;

	sort_strings(v, n);
	for (i = 0; i < n; i++) {
		if (i && !trailing)
			buf_addc(&b, ' ');
		buf_adds(&b, v[i]);
		if (trailing)
			buf_addc(&b, ' ');
		free(v[i]);
	}
	return b.s ? b.s : xstrdup("");
}

/* The environment variable NAME, which RUNNER (the .t file that starts
 * this test) sets; without it the test bails out, naming RUNNER. */
static inline const char *
need_env(const char *name, const char *runner)
{
	const char *v = getenv(name);

	if (!v || !*v) {
		printf("Bail out! %s is not set (run %s)\n", name, runner);
		exit(1);
	}
	return v;
}

#endif
