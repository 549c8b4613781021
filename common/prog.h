/*
 * prog -- the start and the end every posync program shares, so that
 * each main() reads: prog_parse, prog_start, the one job, prog_finish.
 *
 * Promises, the same in all four programs:
 *  - options -c FILE, -n, -v, -h, -V and their long forms --config FILE,
 *    --dry-run, --verbose, --help, --version, plus the long options a
 *    program adds (struct prog_opt); --help is built here alone: one
 *    wording of each option, -h in it, msg.c's exit table after them;
 *  - -h and -V print on stdout and end as a run ends, through
 *    stdout_finish: a full disk or a closed pipe is 74, said; -V prints
 *    "PROGNAME posync VERSION", PROGNAME as the program was called;
 *  - a bad command line is 64: one message starting with the program's
 *    name, outside text in it quoted (msg_quote), then the usage on
 *    stderr (getopt's own messages, with argv[0] and the option raw,
 *    are off);
 *  - descriptors 0-2 are open before anything is opened (msg_init);
 *  - prog_start: the configuration (-c, else $POSYNC_CONFIG, else the
 *    default), syslog when it asks for it, the program's own checks of
 *    it, then the spool.  A real run makes the spool tree (spool_init),
 *    takes the program's lock and removes what a crashed writer left in
 *    the program's area (spool_clean_tmp).  -n makes nothing and takes
 *    no lock: it only checks the spool as a real run would
 *    (spool_check), so it can run on a spool not made yet or beside a
 *    running copy;
 *  - a program with readonly set never makes or changes the spool
 *    and takes no lock, -n or not; one with its own exits table has
 *    --help print it and ends every failure of the skeleton's own with
 *    its unknown status;
 *  - prog_finish: stdout_finish on every path; then, for a run that
 *    took its lock, the metrics (metrics.h), with the run's final
 *    status, stdout's included; the configuration freed.
 */
#ifndef POSYNC_PROG_H
#define POSYNC_PROG_H

/* posync's version (-V, HotWax's User-Agent): the Makefile's VERSION,
 * "dev" in a build that does not pass it. */
#ifndef POSYNC_VERSION
#define POSYNC_VERSION "dev"
#endif

struct config;
struct prog;

/* A long option of a program's own, e.g. receipt-export's --start-at. */
struct prog_opt {
	const char *name;	/* without "--"; NULL ends the table */
	const char *arg;	/* its argument's name in --help, or NULL */
	const char *help;	/* its --help text; '\n' starts another line */
	/* Called as the option is read (ctx is prog_parse's): 0, or an
	 * exit status after a message, which ends the program there. */
	int (*set)(const char *optarg, void *ctx);
	char letter;	/* its short form ('t': -t), or 0: none */
};

/* What tells one program's start from another's. */
struct prog_spec {
	/* SPOOL/state/LOCK.lock: a fixed name, never argv[0]'s, so that a
	 * copy run through a link of another name finds the running one */
	const char *lock;
	const char *area;	/* its spool area, "po" or "receipt" (tmp/) */
	const char *operands;	/* in the usage line; NULL: takes none */
	const char *dry;	/* -n's line in --help */
	const struct prog_opt *opts;	/* its own long options, or NULL */
	/* The program's name in its metrics is lock's; the queues they
	 * count are spool.h's spool_queues of that name. */
	/* Checks of the configuration of its own, made before the spool is
	 * touched: 0, or EX_CONFIG after a message naming the file and key.
	 * NULL: none. */
	int (*check)(const struct config *cfg);
	/* A program that only reads (posync-status): prog_start makes no
	 * spool tree, takes no lock and cleans nothing, as -n does (the
	 * spool is checked, spool_check), and writes no metrics. */
	int readonly;
	/* Its own exit statuses, for a program run by another convention
	 * (posync-status: Nagios'): the table --help prints instead of
	 * msg.c's, and the status the skeleton ends with where it would
	 * end with one of msg.c's (a bad command line, -h or -V whose
	 * stdout failed, stdout at prog_finish).  NULL, 0: msg.c's. */
	const char *exits;
	int unknown;
};

/* msg_init(argv[0]), then the options.  Returns only for a run: -h, -V,
 * a bad command line and an option whose set() refused end the program
 * here, with stdout_finish.  spec must outlive the struct prog. */
struct prog *prog_parse(const struct prog_spec *spec, int argc, char **argv,
    void *ctx);

/* Load the configuration into *cfg (freed by prog_finish, loaded or
 * not), then the checks and the spool, as above.  0, or the exit status
 * after a message. */
int prog_start(struct prog *prog, struct config *cfg);

/* -n was given. */
int prog_dry(const struct prog *prog);
/* The operands (file arguments), *n of them; argv's own strings. */
char **prog_operands(const struct prog *prog, int *n);

/* The end of every run: the configuration freed, stdout_finish, the
 * prog freed.  Returns st merged with stdout's status: main's exit. */
int prog_finish(struct prog *prog, int st);

#endif
