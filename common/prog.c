/*
 * prog -- see prog.h.  One start-up for the four programs: before it each
 * main() had its own option table, usage text and order of start-up
 * steps, and they had drifted (long options in some programs only, -h
 * missing from one --help, a -V with a program's name typed in).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "lock.h"
#include "metrics.h"
#include "msg.h"
#include "prog.h"
#include "spool.h"
#include "util.h"

#define OWN	256	/* getopt_long's value for the program's option i:
			 * OWN + i, past every letter */
#define HELP_COL 23	/* where an option's text starts in --help */

struct prog {
	const struct prog_spec *spec;
	const char *cfgpath;	/* -c, or NULL */
	int dry;
	char **operands;
	int noperands;
	struct config *cfg;	/* prog_start's, freed by prog_finish */
	int locked;		/* a real run that took its lock: metrics */
};

/* One option of --help: its left part, then its text, each further line
 * of the text under the first. */
static void
help_line(FILE *fp, const char *left, const char *text)
{
	const char *nl;
	int col;

	if ((col = fprintf(fp, "  %s", left)) < 0)
		col = 0;
	for (;;) {
		fprintf(fp, "%*s", col < HELP_COL ? HELP_COL - col : 1, "");
		nl = strchr(text, '\n');
		fprintf(fp, "%.*s\n",
		    nl ? (int)(nl - text) : (int)strlen(text), text);
		if (!nl)
			break;
		text = nl + 1;
		col = 0;
	}
}

static void
usage(const struct prog_spec *s, FILE *fp)
{
	const struct prog_opt *o;
	char *left;

	fprintf(fp, "usage: %s [-nv] [-c config]", progname);
	for (o = s->opts; o && o->name; o++)
		if (o->letter)
			fprintf(fp, " [-%c%s%s]", o->letter, o->arg ? " " : "",
			    o->arg ? o->arg : "");
		else
			fprintf(fp, " [--%s%s%s]", o->name, o->arg ? " " : "",
			    o->arg ? o->arg : "");
	fprintf(fp, "%s%s\n", s->operands ? " " : "",
	    s->operands ? s->operands : "");
	/* two lines: every --help line fits 80 columns (tests/6023) */
	help_line(fp, "-c, --config FILE", "configuration (else $POSYNC_CONFIG,\n"
	    "else " CONFIG_DEFAULT_PATH ")");
	help_line(fp, "-n, --dry-run", s->dry);
	help_line(fp, "-v, --verbose", "progress on stderr");
	for (o = s->opts; o && o->name; o++) {
		left = xasprintf("%c%c%c --%s%s%s", o->letter ? '-' : ' ',
		    o->letter ? o->letter : ' ', o->letter ? ',' : ' ',
		    o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		help_line(fp, left, o->help);
		free(left);
	}
	help_line(fp, "-h, --help", "this help");
	help_line(fp, "-V, --version",
	    "the program's name and posync's version");
	fputs(s->exits ? s->exits : msg_exit_table(), fp);
}

/* The status the skeleton ends with, st's and stdout's (so): merged by
 * msg.c's ranks, or for a program of its own exits, st unless the
 * skeleton failed. */
static int
end_status(const struct prog_spec *s, int st, int so, int own)
{
	if (!s->exits)
		return exit_merge(st, so);
	return so || !own ? s->unknown : st;
}

#define GO_ON	(-1)	/* an option read: parsing goes on */

/* A bad command line: what is wrong (arg quoted), then the usage. */
static int
bad_usage(const struct prog_spec *s, const char *what, const char *arg)
{
	char *q = msg_quote(arg, strlen(arg));

	msg_warn("%s %s", what, q);
	free(q);
	usage(s, stderr);
	return EX_USAGE;
}

/* getopt_long's table: the five options of every program, then its own. */
static struct option *
long_options(const struct prog_spec *s)
{
	static const struct option common[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
	};
	size_t nc = sizeof common / sizeof common[0], n = 0, i;
	struct option *lo;

	while (s->opts && s->opts[n].name)
		n++;
	lo = xcalloc(nc + n + 1, sizeof *lo);	/* ends in a zeroed one */
	memcpy(lo, common, sizeof common);
	for (i = 0; i < n; i++) {
		lo[nc + i].name = s->opts[i].name;
		lo[nc + i].has_arg = s->opts[i].arg ? required_argument :
		    no_argument;
		lo[nc + i].val = OWN + (int)i;
	}
	return lo;
}

/* getopt's letters: the five of every program, then the program's own
 * short forms (malloc'd). */
static char *
short_options(const struct prog_spec *s)
{
	struct buf b = {0};
	const struct prog_opt *o;

	buf_adds(&b, ":c:nvhV");
	for (o = s->opts; o && o->name; o++)
		if (o->letter)
			buf_addf(&b, "%c%s", o->letter, o->arg ? ":" : "");
	return b.s;
}

/* The index of the program's own option read as ch: a long one (OWN +
 * i) or a short form; -1 for none. */
static int
own_option(const struct prog_spec *s, int ch)
{
	int i;

	if (ch >= OWN)
		return ch - OWN;
	for (i = 0; s->opts && s->opts[i].name; i++)
		if (s->opts[i].letter && s->opts[i].letter == ch)
			return i;
	return -1;
}

/*
 * What getopt_long refused, said by us: its own message carries argv[0]
 * as typed (a path, perhaps) and the option unescaped.  optopt is 0 for
 * a long option unknown or ambiguous, an option's value for a missing
 * argument (':') or one given to an option taking none, else the unknown
 * letter.  A long option's text is argv[optind - 1]: getopt_long has
 * stepped past it.
 */
static int
refused(const struct prog_spec *s, int ch, char **argv)
{
	char letter[3] = { '-', (char)optopt, 0 };
	const char *given = argv[optind - 1];

	if (ch == ':')
		return bad_usage(s, "option needs an argument:",
		    strncmp(given, "--", 2) == 0 ? given : letter);
	if (optopt == 0)
		return bad_usage(s, "unknown or ambiguous option:", given);
	if (optopt >= OWN || strchr("cnvhV", optopt) ||
	    own_option(s, optopt) >= 0)
		return bad_usage(s, "option takes no argument:", given);
	return bad_usage(s, "unknown option:", letter);
}

/* -c FILE.  An empty FILE (-c "", --config=: a wrapper's unset
 * variable) is refused, never taken for no -c: that would read
 * $POSYNC_CONFIG's or the default configuration, another installation's
 * spool and servers. */
static int
config_path(struct prog *p, const char *arg)
{
	if (!*arg)
		return bad_usage(p->spec, "-c, --config: the configuration "
		    "file's name is empty:", arg);
	p->cfgpath = arg;
	return GO_ON;
}

/* One option read: GO_ON, or the status to end with (-h, -V: 0). */
static int
option(struct prog *p, int ch, char **argv, void *ctx)
{
	int st;

	switch (ch) {
	case 'c': return config_path(p, optarg);
	case 'n': p->dry = 1; return GO_ON;
	case 'v': verbose = 1; return GO_ON;
	case 'h': usage(p->spec, stdout); return 0;
	case 'V': printf("%s posync %s\n", progname, POSYNC_VERSION); return 0;
	case ':': case '?': return refused(p->spec, ch, argv);
	}
	st = p->spec->opts[own_option(p->spec, ch)].set(optarg, ctx);
	return st ? st : GO_ON;
}

struct prog *
prog_parse(const struct prog_spec *spec, int argc, char **argv, void *ctx)
{
	struct prog *p = xcalloc(1, sizeof *p);
	struct option *lo = long_options(spec);
	char *so = short_options(spec);
	int ch, st = GO_ON;

	msg_init(argc > 0 ? argv[0] : NULL);
	p->spec = spec;
	opterr = 0;
	while (st == GO_ON &&
	    (ch = getopt_long(argc, argv, so, lo, NULL)) != -1)
		st = option(p, ch, argv, ctx);
	free(lo);
	free(so);
	if (st == GO_ON && optind < argc && !spec->operands)
		st = bad_usage(spec, "takes no file arguments:", argv[optind]);
	if (st != GO_ON) {	/* -h, -V: stdout checked as a run's is */
		free(p);
		exit(end_status(spec, st, stdout_finish(), st == 0));
	}
	p->operands = argv + optind;
	p->noperands = argc - optind;
	return p;
}

int
prog_start(struct prog *p, struct config *cfg)
{
	const struct prog_spec *s = p->spec;
	char *area;
	int st;

	p->cfg = cfg;
	if ((st = config_load(cfg, p->cfgpath)) != 0)
		return st;
	msg_syslog(cfg->spool.syslog);
	if (s->check && (st = s->check(cfg)) != 0)
		return st;
	/* -n makes nothing, not even the spool tree or the lock: it only
	 * reads, and what it reads is replaced by renames, never torn */
	if (p->dry || s->readonly)
		return spool_check(cfg->spool.dir);
	if ((st = spool_init(cfg->spool.dir)) != 0 ||
	    (st = lock_take(cfg->spool.dir, s->lock)) != 0)
		return st;
	p->locked = 1;
	metrics_start();
	area = path_join(cfg->spool.dir, s->area);
	st = spool_clean_tmp(area);
	free(area);
	return st;
}

int
prog_dry(const struct prog *p)
{
	return p->dry;
}

char **
prog_operands(const struct prog *p, int *n)
{
	*n = p->noperands;
	return p->operands;
}

int
prog_finish(struct prog *p, int st)
{
	st = end_status(p->spec, st, stdout_finish(), 1);
	if (p->locked)
		metrics_finish(p->cfg, p->spec->lock, st);
	if (p->cfg)
		config_free(p->cfg);
	free(p);
	return st;
}
