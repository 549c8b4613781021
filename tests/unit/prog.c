/*
 * Unit tests for common/prog.c, the start-up every program shares: the
 * five options and their long forms, a program's own option, operands,
 * --help and -V (in a child: they end the process), a bad command line
 * (64, one escaped message, the usage on stderr), and prog_start's two
 * meanings of the spool: a real run makes it and takes the lock, -n
 * makes nothing.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "testutil.h"
#include "config.h"
#include "msg.h"
#include "prog.h"
#include "util.h"

static int
set_when(const char *arg, void *ctx)
{
	if (strcmp(arg, "bad") == 0) {
		msg_warn("--when: bad");
		return EX_USAGE;
	}
	*(const char **)ctx = arg;
	return 0;
}

static const struct prog_opt opts[] = {
	{ "when", "TIME", "one line\nand another", set_when, 0 },
	{ NULL, NULL, NULL, NULL, 0 }
};

static const struct prog_spec files_spec = {
	.lock = "unit-prog", .area = "po", .operands = "[file ...]",
	.dry = "dry run: the unit's own words",
};
static const struct prog_spec own_spec = {
	.lock = "unit-prog", .area = "receipt", .operands = NULL,
	.dry = "dry run", .opts = opts,
};

/* prog_finish in this process: it closes stdout (stdout_finish), which
 * carries the TAP, so stdout is opened again on the same descriptor. */
static int
finish(struct prog *p, int st)
{
	int fd;

	fflush(stdout);
	fd = dup(1);
	st = prog_finish(p, st);
	if (fd < 0 || dup2(fd, 1) < 0 || !(stdout = fdopen(1, "w"))) {
		fprintf(stderr, "Bail out! cannot reopen stdout\n");
		exit(1);
	}
	close(fd);
	return st;
}

/* S starts with WANT; S shown when not. */
static void
starts(const char *s, const char *want, const char *desc)
{
	if (!ok(strncmp(s, want, strlen(want)) == 0, "%s", desc)) {
		printf("#   wanted first: %s\n", want);
		diag_text("got", s);
	}
}

/* prog_parse on a NULL-terminated argument list. */
static struct prog *
parse(const struct prog_spec *spec, void *ctx, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	optind = 0;		/* glibc: start afresh */
	verbose = 0;
	return prog_parse(spec, argc, argv, ctx);
}

static void
test_options(void)
{
	char *a1[] = { "x", "-c", "/no/such.conf", "-n", "-v", "f1", "f2",
	    NULL };
	char *a2[] = { "x", "--config=/c", "f1", "--dry-run", "--verbose",
	    NULL };
	char *a3[] = { "x", "--when", "T1", NULL };
	char *a4[] = { "x", "-v", NULL };
	const char *when = NULL;
	struct prog *p;
	char **v;
	int n;

	p = parse(&files_spec, NULL, a1);
	ok(prog_dry(p) && verbose, "-n and -v");
	v = prog_operands(p, &n);
	ok(n == 2 && strcmp(v[0], "f1") == 0 && strcmp(v[1], "f2") == 0,
	    "the operands after the options");
	is_int(finish(p, 0), 0, "prog_finish without prog_start: 0");

	p = parse(&files_spec, NULL, a2);
	ok(prog_dry(p) && verbose, "--dry-run and --verbose, after an operand");
	v = prog_operands(p, &n);
	ok(n == 1 && strcmp(v[0], "f1") == 0, "... the operand kept");
	finish(p, 0);

	p = parse(&own_spec, &when, a3);
	ok(when && strcmp(when, "T1") == 0,
	    "a program's own option reaches its set()");
	ok(!prog_dry(p), "... and -n is not set");
	finish(p, 0);

	p = parse(&own_spec, &when, a4);
	is_int(finish(p, EX_DATAERR), EX_DATAERR,
	    "prog_finish returns the run's status");
}

/* Run prog_parse on argv in a child, stdout into SCRATCH/out (or to
 * /dev/full), stderr into SCRATCH/err; its exit status. */
static int
child(const struct prog_spec *spec, char **argv, int full)
{
	char *out = scratch_path("out"), *err = scratch_path("err");
	const char *when = NULL;
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (!freopen(full ? "/dev/full" : out, "w", stdout) ||
		    !freopen(err, "w", stderr))
			_exit(99);
		parse(spec, &when, argv);
		_exit(42);	/* prog_parse returned: a run */
	}
	free(out);
	free(err);
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static char *
scratch_text(const char *name)
{
	char *p = scratch_path(name), *s = slurp(p);

	free(p);
	return s ? s : xstrdup("");
}

static void
test_help_version(void)
{
	char *h[] = { "/some/where/other-name", "--help", NULL };
	char *V[] = { "/some/where/other-name", "-V", NULL };
	char *s;

	is_int(child(&own_spec, h, 0), 0, "--help: exit 0");
	s = scratch_text("out");
	starts(s, "usage: other-name [-nv] [-c config] [--when TIME]\n",
	    "... the usage line names the program as called, its own option");
	ok(strstr(s, "\n  -c, --config FILE    configuration (else "
	    "$POSYNC_CONFIG,\n                       else " CONFIG_DEFAULT_PATH
	    ")\n") != NULL,
	    "... -c and --config, one wording");
	ok(strstr(s, "\n  -n, --dry-run        dry run\n") &&
	    strstr(s, "\n  -v, --verbose        progress on stderr\n") &&
	    strstr(s, "\n  -h, --help           this help\n") &&
	    strstr(s, "\n  -V, --version        "),
	    "... -n -v -h -V and their long forms");
	ok(strstr(s, "\n      --when TIME      one line\n"
	    "                       and another\n") != NULL,
	    "... the program's option, its second line under its first");
	ok(strstr(s, msg_exit_table()) != NULL, "... and the exit table");
	free(s);

	is_int(child(&own_spec, V, 0), 0, "-V: exit 0");
	s = scratch_text("out");
	starts(s, "other-name posync ",
	    "... PROGNAME posync VERSION, from argv[0]");
	free(s);

	is_int(child(&own_spec, h, 1), EX_IOERR, "--help to /dev/full: 74");
	s = scratch_text("err");
	has(s, "other-name: writing to standard output: "
	    "No space left on device", "... said");
	free(s);
	is_int(child(&own_spec, V, 1), EX_IOERR, "-V to /dev/full: 74");
}

static void
test_bad(void)
{
	/* a bad command line: 64, and what stderr says of it */
	static struct {
		char *argv[3];
		const char *desc, *said, *saydesc;
	} bad[] = {
		{ { "p", "-nx", NULL }, "an unknown letter: 64",
		    "p: unknown option: \"-x\"\n", "... named" },
		{ { "p", "-c", NULL }, "-c without its argument: 64",
		    "p: option needs an argument: \"-c\"\n", "... said" },
		{ { "p", "--when", NULL }, "--when without its argument: 64",
		    "p: option needs an argument: \"--when\"\n", "... said" },
		{ { "p", "--verbose=yes", NULL }, "--verbose=yes: 64",
		    "p: option takes no argument: \"--verbose=yes\"\n",
		    "... said" },
	};
	char *unknown[] = { "p", "--bo\033[31mgus", NULL };
	char *operand[] = { "p", "file", NULL };
	char *refused[] = { "p", "--when", "bad", NULL };
	char *ok_run[] = { "p", "--when=T", NULL };
	char *s;
	size_t i;

	is_int(child(&own_spec, unknown, 0), EX_USAGE,
	    "an unknown long option: 64");
	s = scratch_text("err");
	starts(s, "p: unknown or ambiguous option: "
	    "\"--bo\\x1b[31mgus\"\nusage: p ",
	    "... one message, the program's name first, the option escaped");
	ok(strstr(s, msg_exit_table()) != NULL, "... then the usage on stderr");
	free(s);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		is_int(child(&own_spec, bad[i].argv, 0), EX_USAGE, "%s",
		    bad[i].desc);
		s = scratch_text("err");
		has(s, bad[i].said, bad[i].saydesc);
		free(s);
	}
	is_int(child(&own_spec, operand, 0), EX_USAGE,
	    "an operand to a program that takes none: 64");
	is_int(child(&files_spec, operand, 0), 42,
	    "... taken by one that does");
	is_int(child(&own_spec, refused, 0), EX_USAGE,
	    "an own option's set() refusing: its status");
	s = scratch_text("err");
	is_str(s, "p: --when: bad\n", "... its message alone, no usage");
	free(s);
	is_int(child(&own_spec, ok_run, 0), 42, "--when=T: a run");
}

/* prog_start: a real run makes the spool and takes the lock; -n makes
 * nothing; a config check of the program's own comes before the spool. */
static int checked;
static int
check_fails(const struct config *cfg)
{
	(void)cfg;
	checked++;
	return EX_CONFIG;
}

static void
test_start(void)
{
	char *conf = scratch_path("p.conf"), *spool = scratch_path("spool");
	char *lock = xasprintf("%s/state/unit-prog.lock", spool);
	char *text = xasprintf("[spool]\ndir = %s\n", spool);
	char *dry[] = { "x", "-n", "-c", conf, NULL };
	char *real[] = { "x", "-c", conf, NULL };
	struct prog_spec bad = files_spec;
	struct config cfg;
	struct prog *p;

	put_file(conf, text, 0600);
	p = parse(&files_spec, NULL, dry);
	is_int(prog_start(p, &cfg), 0, "-n on a spool not made yet: 0");
	ok(!exists(spool), "... and nothing made, not even the spool");
	finish(p, 0);

	bad.check = check_fails;
	p = parse(&bad, NULL, real);
	is_int(prog_start(p, &cfg), EX_CONFIG,
	    "the program's own config check: its status");
	ok(checked == 1 && !exists(spool),
	    "... made before the spool is touched");
	finish(p, 0);

	p = parse(&files_spec, NULL, real);
	is_int(prog_start(p, &cfg), 0, "a real run: 0");
	ok(exists(lock), "... the spool made and the lock taken (its file)");
	is_str(cfg.spool.dir, spool, "... the configuration loaded");
	finish(p, 0);
	free(conf);
	free(spool);
	free(lock);
	free(text);
}

/* A read-only program of its own exit table (posync-status's kind): a
 * short form of its own option, its table in --help, its unknown status
 * for the skeleton's failures, and a start that makes nothing. */
static int tab;
static int
set_tab(const char *arg, void *ctx)
{
	(void)arg;
	(void)ctx;
	tab = 1;
	return 0;
}

static const struct prog_opt ro_opts[] = {
	{ "tab", NULL, "tabs", set_tab, 't' },
	{ NULL, NULL, NULL, NULL, 0 }
};
static const struct prog_spec ro_spec = {
	.lock = "unit-ro", .area = "po", .operands = "[PO ...]",
	.dry = "dry run", .opts = ro_opts, .readonly = 1,
	.exits = "exit status:\n   0  OK\n   3  UNKNOWN\n", .unknown = 3,
};

static void
test_readonly(void)
{
	char *conf = scratch_path("ro.conf"), *spool = scratch_path("rospool");
	char *text = xasprintf("[spool]\ndir = %s\n", spool);
	char *h[] = { "ro", "-h", NULL }, *bad[] = { "ro", "-x", NULL };
	char *t[] = { "ro", "-t", "-c", conf, "P1", NULL };
	char *tv[] = { "ro", "-tv", NULL };
	struct config cfg;
	struct prog *p;
	char *s;

	is_int(child(&ro_spec, h, 0), 0, "own exits: -h is 0");
	s = scratch_text("out");
	starts(s, "usage: ro [-nv] [-c config] [-t] [PO ...]\n",
	    "... the short form in the usage line");
	ok(strstr(s, "\n  -t, --tab            tabs\n") != NULL,
	    "... and beside its long form");
	ok(strstr(s, "exit status:\n   0  OK\n   3  UNKNOWN\n") &&
	    !strstr(s, msg_exit_table()), "... its own table, not msg.c's");
	free(s);
	is_int(child(&ro_spec, bad, 0), 3, "a bad command line: its unknown");
	is_int(child(&ro_spec, h, 1), 3, "--help to /dev/full: its unknown");
	is_int(child(&ro_spec, tv, 0), 42, "-tv: letters bundled");
	put_file(conf, text, 0600);
	p = parse(&ro_spec, NULL, t);
	ok(tab, "-t reaches its set()");
	is_int(prog_start(p, &cfg), 0, "a read-only start: 0");
	ok(!exists(spool), "... nothing made, no lock");
	is_int(finish(p, 2), 2, "... prog_finish keeps its own status");
	free(conf);
	free(spool);
	free(text);
}

int
main(void)
{
	scratch_init("prog");
	test_options();
	test_help_version();
	test_bad();
	test_start();
	test_readonly();
	scratch_remove();
	return done_testing();
}
