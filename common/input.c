/*
 * input -- see input.h.  The mblaze loop: a program is called with its
 * operands as argc, argv AFTER getopt, i.e.
 *
 *     input_loop(argc - optind, argv + optind, dir, ".json", fn, arg);
 *
 * Items come from the arguments; else from stdin, one path a line, when
 * stdin is open and not a terminal (so `a | b` streams: fn runs for each
 * line as it arrives); else, when that gave no item at all, from the
 * files in spooldir_sub, sorted, as full paths.  A closed stdin or
 * /dev/null gives nothing and so falls through to the spool, which is
 * what cron and a person at a shell both want.  Blank lines are skipped;
 * a line is taken as is otherwise (a path may hold spaces), but a line
 * longer than PATH_MAX or holding a NUL byte is refused and reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "msg.h"
#include "spool.h"
#include "util.h"

/* The source of the items, as a callback: collect or process. */
typedef int sink_fn(const char *path, void *arg);

static int
stdin_usable(void)
{
	if (fcntl(0, F_GETFD) < 0)
		return 0;	/* closed */
	return !isatty(0);
}

/* Feed stdin's lines to sink; *count is the number of items. */
static int
from_stdin(sink_fn *sink, void *arg, size_t *count)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int status = 0;

	clearerr(stdin);	/* a caller may have read it before */
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = 0;
		if (n == 0)
			continue;
		if ((size_t)n >= PATH_MAX || memchr(line, 0, (size_t)n)) {
			msg_warn("stdin line %lu: not a path (too long or holds a NUL byte)",
			    lineno);
			status = exit_merge(status, EX_DATAERR);
			(*count)++;	/* it was meant as an item */
			continue;
		}
		(*count)++;
		status = exit_merge(status, sink(line, arg));
	}
	if (ferror(stdin) && errno != EBADF) {
		msg_warnerr("cannot read stdin");
		status = exit_merge(status, EX_IOERR);
	}
	free(line);
	return status;
}

static int
from_spool(const char *dir, const char *suffix, sink_fn *sink, void *arg)
{
	char **v, *p;
	size_t n, i;
	int status;

	if ((status = spool_list(dir, suffix, &v, &n)) != 0)
		return status;
	for (i = 0; i < n; i++) {
		p = path_join(dir, v[i]);
		status = exit_merge(status, sink(p, arg));
		free(p);
	}
	spool_list_free(v);
	return status;
}

static int
gather(int argc, char **argv, const char *dir, const char *suffix,
    sink_fn *sink, void *arg, int *used_spool)
{
	size_t count = 0;
	int status = 0, i;

	*used_spool = 0;
	if (argc > 0) {
		for (i = 0; i < argc; i++)
			status = exit_merge(status, sink(argv[i], arg));
		return status;
	}
	if (stdin_usable())
		status = from_stdin(sink, arg, &count);
	if (count > 0 || !dir)
		return status;
	*used_spool = 1;
	return exit_merge(status, from_spool(dir, suffix, sink, arg));
}

struct loop {
	input_fn *fn;
	void *arg;
};

static int
loop_sink(const char *path, void *arg)
{
	struct loop *l = arg;

	return l->fn(path, l->arg);
}

int
input_loop(int argc, char **argv, const char *spooldir_sub,
    const char *suffix, input_fn *fn, void *arg)
{
	struct loop l = {fn, arg};
	int used;

	return gather(argc, argv, spooldir_sub, suffix, loop_sink, &l, &used);
}

struct vec {
	char **v;
	size_t n, cap;
};

static int
vec_sink(const char *path, void *arg)
{
	struct vec *v = arg;

	if (v->n + 2 > v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = xstrdup(path);
	v->v[v->n] = NULL;
	return 0;
}

/* NULL (after a message) when stdin or the spool folder could not be
 * read: a partial list would let a caller act on half of the work as if
 * it were all.  A bad stdin line is reported and left out (the interface
 * has no way to pass on EX_DATAERR). */
char **
input_collect(int argc, char **argv, const char *spooldir_sub,
    const char *suffix, size_t *n, int *from_spool_used)
{
	struct vec v = {0};
	int used, status;

	status = gather(argc, argv, spooldir_sub, suffix, vec_sink, &v, &used);
	if (from_spool_used)
		*from_spool_used = used;
	/* vec_sink never fails: a bad stdin line is EX_DATAERR, stdin or the
	 * spool folder unread EX_IOERR, by name (no rank of statuses) */
	if (status == EX_IOERR) {
		v.v = v.v ? v.v : xcalloc(1, sizeof *v.v);
		input_free(v.v);
		*n = 0;
		return NULL;
	}
	if (!v.v)
		v.v = xcalloc(1, sizeof *v.v);
	*n = v.n;
	return v.v;
}

int
input_status(int err)
{
	switch (err) {
	case ENOENT: case EACCES: case EPERM: case ENOTDIR: case EISDIR:
	case ENOTREG: case ELOOP: case ENAMETOOLONG: case ENXIO: case ENODEV:
		return EX_NOINPUT;
	default:
		return EX_IOERR;
	}
}

void
input_free(char **v)
{
	spool_list_free(v);
}
