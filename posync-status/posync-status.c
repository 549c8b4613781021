/*
 * posync-status -- is posync healthy, and where is a PO: from local files
 * only (the spool, its state files, the metrics' state files), never the
 * servers.
 *
 * Promises:
 *  - It never makes or changes the spool and takes no lock (prog.h's
 *    readonly), so it runs beside any posync program, as any user that
 *    can read the spool; the one exception is --seen, which writes
 *    SPOOL/state/posync-status.seen (not with -n).
 *  - Without operands: the Nagios plugin form.  A first line "POSYNC
 *    STATUS - summary | perfdata", then one line per check "CHECK
 *    STATUS: text"; the exit status is the worst check's (OK 0,
 *    WARNING 1, CRITICAL 2, UNKNOWN 3; CRITICAL worst, then WARNING,
 *    then UNKNOWN).  A configuration that does not load or a spool that
 *    cannot be read is UNKNOWN, 3, and so is every failure of the
 *    skeleton's own (a bad command line, stdout).
 *  - Rows a person must see (po/rejects, receipt/excess.csv,
 *    receipt/errors) are counted against what --seen recorded: a row is
 *    reported until a person runs --seen after reading it.
 *  - With operands, PO ids: the trace (trace_pos below), every fact one
 *    row; a PO posync never saw is said and the status is 1.  A PO id is
 *    outside text: quoted or escaped when shown, compared, never a path.
 */
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "csvio.h"
#include "logid.h"
#include "metrics.h"
#include "msg.h"
#include "notes.h"
#include "pocsv.h"
#include "polines.h"
#include "prog.h"
#include "receipt_state.h"
#include "safename.h"
#include "spool.h"
#include "tsv.h"
#include "util.h"

enum { S_OK, S_WARNING, S_CRITICAL, S_UNKNOWN };
static const char *const sname[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
/* which of two statuses is worse: CRITICAL, WARNING, UNKNOWN, OK */
static const int srank[] = { 0, 2, 3, 1 };

#define SEEN_FILE	"posync-status.seen"
#define ROWS_MAX	(256L << 20)	/* bytes of a CSV counted or traced */
#define JSON_MAX	(256L << 20)	/* bytes of a batch or receipt file */
#define MAX_CHECKS	16

struct check {
	const char *name;
	int st;
	char *text;
	char *perf;		/* Nagios perfdata, or NULL */
};

struct run {
	const struct config *c;
	const char *dir;	/* the spool */
	time_t now;
	struct check ck[MAX_CHECKS];
	size_t n;
	int seen, tsv, dry;	/* --seen, -t, -n */
	struct notes *seenn;	/* what --seen recorded */
	struct notes *mark;	/* what --seen records now */
};

static void check_add(struct run *r, const char *name, int st, char *perf,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* One check's line; perf (malloc'd, or NULL) is taken. */
static void
check_add(struct run *r, const char *name, int st, char *perf,
    const char *fmt, ...)
{
	struct check *k;
	struct buf b = {0};
	char *raw;
	va_list ap;

	if (r->n == MAX_CHECKS)
		msg_die(S_UNKNOWN, "too many checks (a bug)");
	k = &r->ck[r->n++];
	va_start(ap, fmt);
	if (vasprintf(&raw, fmt, ap) < 0)
		msg_die(S_UNKNOWN, "out of memory");
	va_end(ap);
	esc_add(&b, raw, strlen(raw));	/* names from the spool: escaped */
	free(raw);
	k->name = name;
	k->st = st;
	k->text = b.s ? b.s : xstrdup("");
	k->perf = perf;
}

/* An age against a warning and a critical threshold. */
static int
by_age(long long age, int warn, int crit)
{
	return age > crit ? S_CRITICAL : age > warn ? S_WARNING : S_OK;
}

/* "3h20m", "5m", "40s": an age a person reads. */
static char *
human(long long s)
{
	if (s < 0)
		s = 0;
	if (s >= 86400)
		return xasprintf("%lldd%lldh", s / 86400, s % 86400 / 3600);
	if (s >= 3600)
		return xasprintf("%lldh%lldm", s / 3600, s % 3600 / 60);
	if (s >= 60)
		return xasprintf("%lldm", s / 60);
	return xasprintf("%llds", s);
}

/* ------------------------------------------------------------- the checks */

/* The last success of prog against warn and crit. */
static void
check_prog(struct run *r, const char *prog, int warn, int crit)
{
	struct metrics_last l;
	char *h, *perf;
	long long age;

	if (metrics_read(r->dir, prog, &l) != 0) {
		check_add(r, prog, S_UNKNOWN, NULL, "its metrics state cannot "
		    "be read (said on stderr)");
		return;
	}
	if (l.exit < 0) {
		check_add(r, prog, S_WARNING, NULL, "never run on this spool");
		return;
	}
	if (l.success < 0) {
		check_add(r, prog, S_WARNING, NULL, "its last success cannot "
		    "be read (a damaged line, said on stderr); last run exit "
		    "%d", l.exit);
		return;
	}
	if (l.success == 0) {
		check_add(r, prog, S_WARNING, NULL, "never succeeded; last "
		    "run exit %d", l.exit);
		return;
	}
	if (l.success > r->now) {	/* recorded with the clock ahead */
		check_add(r, prog, S_WARNING, NULL, "last success is in the "
		    "future: the clock went back");
		return;
	}
	age = r->now - l.success;
	h = human(age);
	perf = xasprintf("%s_success_age=%llds;%d;%d;0", prog, age < 0 ? 0 :
	    age, warn, crit);
	if (exit_done(l.exit))
		check_add(r, prog, by_age(age, warn, crit), perf,
		    "last success %s ago", h);
	else	/* a failed run since: said, the age decides */
		check_add(r, prog, by_age(age, warn, crit), perf,
		    "last success %s ago; last run exit %d", h, l.exit);
	free(h);
}

/* The oldest item waiting in queue q, counted as its metrics count it. */
static void
check_queue(struct run *r, const struct spool_queue *q)
{
	long long oldest, n, age;
	int w = r->c->status.queue_warn, cr = r->c->status.queue_crit;
	char *h;

	if ((n = metrics_queue(r->dir, q, &oldest)) < 0) {
		check_add(r, q->name, S_UNKNOWN, NULL, "cannot be read (said "
		    "on stderr)");
		return;
	}
	age = n && r->now > oldest ? r->now - oldest : 0;
	h = human(age);
	if (!n)
		check_add(r, q->name, S_OK, xasprintf("%s_%s_oldest=0s;%d;%d;0",
		    q->area, q->sub, w, cr), "empty");
	else
		check_add(r, q->name, by_age(age, w, cr), xasprintf(
		    "%s_%s_oldest=%llds;%d;%d;0", q->area, q->sub, age, w, cr),
		    "%lld waiting, the oldest for %s", n, h);
	free(h);
}

/* Any item of a failure queue (po/failed, receipt/failed): a person must
 * act; perfdata critical above 0. */
static void
check_failed(struct run *r, const struct spool_queue *q)
{
	char *dir = spool_area_path(r->dir, q->area, q->sub), *first = NULL;
	char **v;
	size_t n = 0, nv, i;

	if (spool_list(dir, q->suffix, &v, &nv) != 0) {
		check_add(r, q->name, S_UNKNOWN, NULL, "cannot be read (said "
		    "on stderr)");
		free(dir);
		return;
	}
	for (i = 0; i < nv; i++)
		if (spool_queue_item(q, v[i]) && n++ == 0)
			first = v[i];
	if (n == 0)
		check_add(r, q->name, S_OK, xasprintf("%s_%s=0;;0;0", q->area,
		    q->sub), "empty");
	else
		check_add(r, q->name, S_CRITICAL, xasprintf("%s_%s=%zu;;0;0",
		    q->area, q->sub, n), "%zu file(s) %s, first %s: read its "
		    ".err, in %s", n, strcmp(q->area, "po") == 0 ? "HotWax could "
		    "not take" : "that can never be published", first, dir);
	spool_list_free(v);
	free(dir);
}

/* ------------------------------------------------ rows a person must see */

static int
count_row(const struct csvio_row *row, void *arg)
{
	if (row->n > 1 || (row->n == 1 && row->len[0]))
		(*(long long *)arg)++;
	return 0;
}

/* The rows of the CSV at path, its header not counted: 0, or -1 when
 * it cannot be read (said). */
static int
csv_rows(const char *path, long long *rows)
{
	char *data;
	size_t len;

	*rows = 0;
	if (read_file(path, ROWS_MAX, &data, &len) < 0) {
		msg_cannot_read(path);
		return -1;
	}
	csvio_parse(data, len, count_row, rows);
	free(data);
	if (*rows > 0)
		(*rows)--;
	return 0;
}

/* The rows of one file not yet seen (its key in the seen notes: the
 * rows then), and the key recorded for --seen.  -1: unreadable. */
static long long
unseen(struct run *r, const char *rel, const char *path)
{
	char *key = safename(rel, strlen(rel));
	const char *rest = notes_find(r->seenn, key);
	long long rows, was = 0;

	if (csv_rows(path, &rows) != 0) {
		free(key);
		return -1;
	}
	if (!rest || notes_nums(rest, &was, 1) != 0 || was > rows)
		was = 0;	/* not seen, or replaced by a shorter one */
	notes_keepf(r->mark, key, "%lld", rows);
	free(key);
	return rows - was;
}

/* The three lists a person reads: a rows queue of spool.h's table
 * (queue) or one file (queue NULL: sub names it). */
struct rowcheck {
	const char *name, *area, *sub;
	const char *queue;
	int st;			/* when rows are not seen */
	const char *label;	/* its perfdata */
	const char *what;
};

static const struct rowcheck rowchecks[] = {
	{ "rejects", "po", "rejects", "po/rejects", S_WARNING,
	    "rejects_unseen", "rejected row(s)" },
	{ "excess", "receipt", "excess.csv", NULL, S_WARNING,
	    "excess_unseen", "excess row(s)" },
	{ "netsuite-errors", "receipt", "errors", "receipt/errors", S_CRITICAL,
	    "netsuite_errors_unseen", "NetSuite error row(s)" },
};
#define NROWCHECKS	(sizeof rowchecks / sizeof rowchecks[0])

/* What a row check found: its unseen rows, in how many files. */
struct rowcount {
	long long rows;
	size_t files;
	int bad;		/* a file could not be read (said) */
};

/* One file's unseen rows added to *rows and *files: 0, or -1 when it
 * cannot be read (said). */
static int
unseen_add(struct run *r, const char *rel, const char *path,
    long long *rows, size_t *files)
{
	long long u = unseen(r, rel, path);

	if (u < 0)
		return -1;
	if (u > 0) {
		*rows += u;
		(*files)++;
	}
	return 0;
}

/* One file of a spool folder as each_file hands it on: the folder, its
 * sub, the file's name, its path, and its name under the spool
 * ("area/sub/name", as facts and --seen name it). */
struct spoolfile {
	const char *dir, *sub, *name, *path, *rel;
};

/* Calls fn for each file of the spool's area/sub whose name ends in
 * suffix (NULL: every file), in spool_list's order: the one walk over a
 * spool folder here.  -1 when the folder cannot be read (said), else 0;
 * fn says its own failures through arg. */
static int
each_file(const char *spool, const char *area, const char *sub,
    const char *suffix, void (*fn)(const struct spoolfile *, void *),
    void *arg)
{
	char *dir = spool_area_path(spool, area, sub), *p, *rel, **v;
	struct spoolfile sf = { dir, sub, NULL, NULL, NULL };
	size_t n, i;

	if (spool_list(dir, suffix, &v, &n) != 0) {
		free(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		sf.name = v[i];
		sf.path = p = path_join(dir, v[i]);
		sf.rel = rel = xasprintf("%s/%s/%s", area, sub, v[i]);
		fn(&sf, arg);
		free(rel);
		free(p);
	}
	spool_list_free(v);
	free(dir);
	return 0;
}

/* What unseen_in's walk adds up. */
struct unseenwalk {
	struct run *r;
	const struct spool_queue *q;
	long long *rows;
	size_t *files;
	int st;
};

static void
unseen_file(const struct spoolfile *sf, void *arg)
{
	struct unseenwalk *u = arg;

	if (spool_queue_item(u->q, sf->name) &&
	    unseen_add(u->r, sf->rel, sf->path, u->rows, u->files) != 0)
		u->st = -1;
}

/* The unseen rows of check k's files (its queue's items: a recovered
 * rows list is no reject, those rows went to HotWax).  0, or -1 (said). */
static int
unseen_in(struct run *r, const struct rowcheck *k, long long *rows,
    size_t *files)
{
	struct unseenwalk u = { r, spool_queue_named(k->queue), rows, files,
	    0 };
	char *dir, *rel;

	*rows = 0;
	*files = 0;
	if (u.q) {
		if (each_file(r->dir, k->area, k->sub, u.q->suffix,
		    unseen_file, &u) != 0)
			return -1;
		return u.st;
	}
	dir = spool_area_path(r->dir, k->area, k->sub);
	rel = xasprintf("%s/%s", k->area, k->sub);
	if (access(dir, F_OK) == 0)
		u.st = unseen_add(r, rel, dir, rows, files);
	free(rel);
	free(dir);
	return u.st;
}

/* Check k's line from what it found.  marked: --seen recorded the rows
 * (or, with -n, would): a person read them, from now on seen. */
static void
check_rows(struct run *r, const struct rowcheck *k, const struct rowcount *c,
    int marked)
{
	const char *th = k->st == S_CRITICAL ? ";;0;0" : ";0;;0";
	char *perf;

	if (c->bad) {
		check_add(r, k->name, S_UNKNOWN, NULL, "cannot be read (said "
		    "on stderr)");
		return;
	}
	/* the rows still unseen after this run, alarmed above 0 */
	perf = xasprintf("%s=%lld%s", k->label, marked && !r->dry ? 0 :
	    c->rows, th);
	if (c->rows == 0)
		check_add(r, k->name, S_OK, perf, "nothing new");
	else if (marked)
		check_add(r, k->name, S_OK, perf, "%lld %s in %zu file(s) of "
		    "%s/%s %s seen", c->rows, k->what, c->files, k->area, k->sub,
		    r->dry ? "would be marked" : "marked");
	else
		check_add(r, k->name, k->st, perf, "%lld %s in %zu file(s) of "
		    "%s/%s not yet seen (posync-status --seen once read)",
		    c->rows, k->what, c->files, k->area, k->sub);
}

/* ------------------------------------------------ NetSuite and the cursor */

struct oldest {
	long long t;
	char *key;
	size_t n;
};

static void
oldest_note(const char *key, const char *rest, void *arg)
{
	struct oldest *o = arg;
	long long t;

	if (notes_nums(rest, &t, 1) != 0)
		return;
	o->n++;
	if (!o->key || t < o->t) {
		free(o->key);
		o->key = xstrdup(key);
		o->t = t;
	}
}

/* The oldest published file NetSuite had not read at receipt-push's
 * last run (state/receipt-push.unread). */
static void
check_unread(struct run *r)
{
	char *path = spool_state_path(r->dir, "receipt-push.unread"), *h;
	struct oldest o = { 0, NULL, 0 };
	struct notes *u = notes_open(path, 1);
	int w = r->c->status.unread_warn,
	    cr = r->c->netsuite.receipt_stale_after;
	long long age;

	free(path);
	if (w > cr) {	/* receipt-push's own alarm comes first: no warning */
		msg_info("[status] unread_warn (%d s) is longer than [netsuite] "
		    "receipt_stale_after (%d s): unread warns from %d s", w, cr,
		    cr);
		w = cr;
	}
	if (!u) {
		check_add(r, "unread", S_UNKNOWN, NULL, "receipt-push's notes "
		    "cannot be read (said on stderr)");
		return;
	}
	notes_each(u, oldest_note, &o);
	notes_close(u);
	age = o.key && r->now > o.t ? r->now - o.t : 0;
	h = human(age);
	if (!o.key)
		check_add(r, "unread", S_OK, xasprintf("unread_age=0s;%d;%d;0",
		    w, cr), "NetSuite had read every receipt file");
	else
		check_add(r, "unread", by_age(age, w, cr), xasprintf(
		    "unread_age=%llds;%d;%d;0", age, w, cr), "%zu receipt "
		    "file(s) not read by NetSuite, %s for %s", o.n, o.key, h);
	free(h);
	free(o.key);
}

/* receipt-export's state, parsed into *st (NULL: none yet).  0, or -1
 * when it cannot be read or parsed (said). */
static int
rx_load(const char *dir, struct rx_state **st)
{
	char *path = spool_state_path(dir, "receipt-export.state"), *data;
	size_t len;
	int rc = 0;

	*st = NULL;
	if (read_file(path, RX_STATE_MAX, &data, &len) < 0) {
		if (errno != ENOENT) {
			msg_cannot_read(path);
			rc = -1;
		}
		free(path);
		return rc;
	}
	*st = rx_state_new();
	if (rx_state_parse(*st, data, len, path) != 0) {
		rx_state_free(*st);
		*st = NULL;
		rc = -1;
	}
	free(data);
	free(path);
	return rc;
}

/* The receipt cursor: HotWax's newest receipt exported, by its age. */
static void
check_cursor(struct run *r)
{
	int w = r->c->status.cursor_warn, cr = r->c->status.cursor_crit;
	struct rx_state *st;
	long long age;
	char *h;

	if (rx_load(r->dir, &st) != 0) {
		check_add(r, "cursor", S_UNKNOWN, NULL, "receipt-export's state "
		    "cannot be read (said on stderr)");
		return;
	}
	if (!st || rx_state_cursor(st) <= 0) {
		check_add(r, "cursor", S_OK, NULL, "no receipt exported yet");
		rx_state_free(st);
		return;
	}
	age = r->now - rx_state_cursor(st) / 1000;
	rx_state_free(st);
	h = human(age);
	check_add(r, "cursor", by_age(age, w, cr), xasprintf(
	    "cursor_age=%llds;%d;%d;0", age < 0 ? 0 : age, w, cr),
	    "newest receipt exported was made %s ago", h);
	free(h);
}

/* ------------------------------------------------------------ the report */

static int
report(struct run *r)
{
	struct buf names = {0}, perf = {0};
	int worst = S_OK;
	size_t i, bad = 0;

	for (i = 0; i < r->n; i++) {
		if (srank[r->ck[i].st] > srank[worst])
			worst = r->ck[i].st;
		if (r->ck[i].perf)
			buf_addf(&perf, " %s", r->ck[i].perf);
	}
	for (i = 0; i < r->n; i++)
		if (r->ck[i].st == worst && worst != S_OK)
			buf_addf(&names, "%s%s", bad++ ? ", " : "",
			    r->ck[i].name);
	if (worst == S_OK)
		printf("POSYNC OK - %zu checks OK |%s\n", r->n,
		    perf.s ? perf.s : "");
	else
		printf("POSYNC %s - %s |%s\n", sname[worst], names.s,
		    perf.s ? perf.s : "");
	for (i = 0; i < r->n; i++) {
		printf("%s %s: %s\n", r->ck[i].name, sname[r->ck[i].st],
		    r->ck[i].text);
		free(r->ck[i].text);
		free(r->ck[i].perf);
	}
	buf_free(&names);
	buf_free(&perf);
	return worst;
}

/* The rows a person must see, counted (and, with --seen, recorded in
 * state/posync-status.seen) before any becomes a line: a record that
 * failed leaves every row at its unseen status, and says so in a check
 * of its own. */
static void
health_rows(struct run *r)
{
	struct rowcount c[NROWCHECKS];
	int marked = r->seen;
	size_t i;

	for (i = 0; i < NROWCHECKS; i++)
		c[i].bad = unseen_in(r, &rowchecks[i], &c[i].rows,
		    &c[i].files) != 0;
	if (r->seen && !r->dry && notes_save(r->mark) != 0)
		marked = 0;
	for (i = 0; i < NROWCHECKS; i++)
		check_rows(r, &rowchecks[i], &c[i], marked);
	if (r->seen && !marked)
		check_add(r, "seen", S_UNKNOWN, NULL, "could not record (said "
		    "on stderr)");
}

/* Every check, in the order of their lines: the programs, the queues
 * (spool.h's table), the rows, NetSuite's reading, the cursor. */
static void
health(struct run *r)
{
	const struct config *c = r->c;
	const struct spool_queue *q;
	char *path = spool_state_path(r->dir, SEEN_FILE);

	msg_info("checking the spool %s", r->dir);
	r->seenn = notes_open(path, 0);
	r->mark = notes_open(path, 0);
	free(path);
	check_prog(r, "po-export-parse", c->status.inbound_warn,
	    c->status.inbound_crit);
	check_prog(r, "po-import", c->status.inbound_warn,
	    c->status.inbound_crit);
	check_prog(r, "receipt-export", c->status.outbound_warn,
	    c->status.outbound_crit);
	check_prog(r, "receipt-push", c->status.outbound_warn,
	    c->status.outbound_crit);
	for (q = spool_queues; q->name; q++)
		if (q->kind == SPOOL_Q_WAITING)
			check_queue(r, q);
		else if (q->kind == SPOOL_Q_FAILED)
			check_failed(r, q);
	health_rows(r);	/* the rows queues */
	check_unread(r);
	check_cursor(r);
	notes_close(r->seenn);
	notes_close(r->mark);
}

/* ------------------------------------------------------------- the trace */

/* A fact about a PO: the columns of -t, in order. */
enum { F_PO, F_FACT, F_FILE, F_LINE, F_ITEM, F_QTY, F_DETAIL, NF };
static const char *const fhead[NF] = { "po", "fact", "file", "line", "item",
    "quantity", "detail" };

struct trace {
	char **want;		/* the POs asked for (argv's) */
	int nwant;
	int *found;
	char *(*f)[NF];		/* the facts, each field malloc'd */
	size_t n, cap;
};

/* The index of po among the POs asked for, or -1. */
static int
wanted(const struct trace *t, const char *po)
{
	int i;

	for (i = 0; po && i < t->nwant; i++)
		if (strcmp(t->want[i], po) == 0)
			return i;
	return -1;
}

/* One fact about want[w]; NULL fields are empty. */
static void
fact(struct trace *t, int w, const char *kind, const char *file,
    long long line, const char *item, const char *qty, const char *detail)
{
	char **f;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->f = xrealloc(t->f, t->cap * sizeof *t->f);
	}
	f = t->f[t->n++];
	t->found[w] = 1;
	f[F_PO] = xstrdup(t->want[w]);
	f[F_FACT] = xstrdup(kind);
	f[F_FILE] = xstrdup(file ? file : "");
	f[F_LINE] = line > 0 ? xasprintf("%lld", line) : xstrdup("");
	f[F_ITEM] = xstrdup(item ? item : "");
	f[F_QTY] = xstrdup(qty ? qty : "");
	f[F_DETAIL] = xstrdup(detail ? detail : "");
}

/* What a trace's walk over a spool folder carries: the trace, what it
 * does with each file (fn, called with what) and -1 once a file could
 * not be read (said). */
struct tracewalk {
	struct trace *t;
	int (*fn)(struct trace *, const char *, const char *, const char *);
	const char *what;
	const char *datefmt;	/* po/raw's: how its CSVs write a date */
	int st;
};

static void
trace_file(const struct spoolfile *sf, void *arg)
{
	struct tracewalk *tw = arg;

	if (tw->fn(tw->t, sf->path, sf->rel, tw->what) != 0)
		tw->st = -1;
}

static void
raw_file(const struct spoolfile *sf, void *arg)
{
	struct tracewalk *tw = arg;
	struct pocsv *pc;
	struct pocsv_row row;
	char *why, *d;
	int fd, w;

	if ((fd = open(sf->path, O_RDONLY | O_CLOEXEC)) < 0) {
		msg_cannot_read(sf->path);
		tw->st = -1;
		return;
	}
	if (pocsv_open(&pc, fd, tw->datefmt, &why) != 0) {
		free(why);
		close(fd);
		return;
	}
	while (pocsv_next(pc, &row) == 1)
		if ((w = wanted(tw->t, row.po)) >= 0) {
			d = row.reason ? xasprintf("rejected: %s", row.reason) :
			    xasprintf("sku %s", row.sku);
			fact(tw->t, w, "csv", sf->rel, (long long)row.line,
			    row.item, row.qty, d);
			free(d);
		}
	pocsv_close(pc);
	close(fd);
}

/* Each CSV as downloaded (po/raw), read as po-export-parse read it. */
static int
trace_raw(struct trace *t, const struct config *c)
{
	struct tracewalk tw = { t, NULL, NULL,
	    c->netsuite.arrival_date_format, 0 };

	if (each_file(c->spool.dir, "po", "raw", NULL, raw_file, &tw) != 0)
		return -1;
	return tw.st;
}

/* The JSON array in the file at path (NULL: said; *bad set when the
 * file could not be read, its facts unknown). */
static cJSON *
json_file(const char *path, int *bad)
{
	cJSON *j = NULL;
	char *data;
	size_t len;

	if (read_file(path, JSON_MAX, &data, &len) < 0) {
		msg_cannot_read(path);
		*bad = 1;
		return NULL;
	}
	if (!(j = cJSON_ParseWithLength(data, len)) || !cJSON_IsArray(j)) {
		msg_warn("%s: not a JSON array: passed over", path);
		cJSON_Delete(j);
		j = NULL;
	}
	free(data);
	return j;
}

/* A string member of o, or NULL. */
static const char *
jstr(const cJSON *o, const char *name)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(m) ? m->valuestring : NULL;
}

/* A number member of o as its shortest exact decimal (malloc'd), or
 * NULL. */
static char *
jnum(const cJSON *o, const char *name)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
	char b[DEC_BUFSZ];
	dec_t v;

	if (!cJSON_IsNumber(m) || dec_from_double(m->valuedouble, &v) != 0)
		return NULL;
	return xstrdup(dec_format(v, b));
}

/* What happened to a batch, by its folder and its .logid (malloc'd). */
static char *
batch_fate(const char *dir, const char *sub, const char *name)
{
	size_t len = strlen(name);
	char *stem = xasprintf("%.*s.logid", (int)(len - 5), name), *p, *id,
	    *s;

	if (strcmp(sub, "new") == 0)
		s = xstrdup("waiting for po-import");
	else if (strcmp(sub, "failed") == 0)
		s = xasprintf("failed: see po/failed/%s.err", name);
	else {
		p = path_join(dir, stem);
		switch (logid_read(p, &id)) {
		case LOGID_IS_REAL:
			s = xasprintf("HotWax log %s", id);
			free(id);
			break;
		case LOGID_IS_HELD:
			s = xstrdup("uploaded, not confirmed by HotWax");
			break;
		default:
			s = xstrdup("uploaded, HotWax log unknown");
		}
		free(p);
	}
	free(stem);
	return s;
}

/* The PO's rows in one batch (or rows) file: kind "batch" or
 * "hotwax-failed".  -1 when it could not be read (said). */
static int
trace_json_rows(struct trace *t, const char *path, const char *rel,
    const char *kind, const char *detail)
{
	int w, bad = 0;
	cJSON *j = json_file(path, &bad), *e;
	long long i = 0;
	char *q;

	cJSON_ArrayForEach(e, j) {
		i++;
		if ((w = wanted(t, jstr(e, POCSV_J_PO))) < 0)
			continue;
		q = jnum(e, POCSV_J_QTY);
		fact(t, w, kind, rel, i, jstr(e, POCSV_J_ITEM), q, detail);
		free(q);
	}
	cJSON_Delete(j);
	return bad ? -1 : 0;
}

static void
batch_file(const struct spoolfile *sf, void *arg)
{
	static const struct spool_queue rowsq = { .suffix = SPOOL_ROWS_SUFFIX };
	struct tracewalk *tw = arg;
	int rows = spool_queue_item(&rowsq, sf->name);
	char *d;

	d = rows ? xstrdup("HotWax failed the row") : batch_fate(sf->dir,
	    sf->sub, sf->name);
	if (trace_json_rows(tw->t, sf->path, sf->rel, rows ? "hotwax-failed" :
	    "batch", d) != 0)
		tw->st = -1;
	free(d);
}

/* The batches (po/new, cur, failed) and HotWax's failed rows. */
static int
trace_batches(struct trace *t, const char *spool)
{
	static const char *const subs[] = { "new", "cur", "failed" };
	struct tracewalk tw = { t, NULL, NULL, NULL, 0 };
	size_t k;

	for (k = 0; k < 3; k++)
		if (each_file(spool, "po", subs[k], ".json", batch_file,
		    &tw) != 0)
			return -1;
	return tw.st;
}

static int
want_po(const char *po, void *arg)
{
	return wanted(arg, po) >= 0;
}

static int
ordered_line(const struct poline *rec, void *arg)
{
	struct trace *t = arg;
	char q[DEC_BUFSZ];

	if (rec->has_qty)
		dec_format(rec->qty, q);
	fact(t, wanted(t, rec->po), "ordered", "state/polines", 0, rec->line,
	    rec->has_qty ? q : "?", NULL);
	return 0;
}

struct sent {
	struct trace *t;
	int w;
};

static void
sent_line(const char *line, enum rx_qty ord, dec_t ordered, dec_t received,
    void *arg)
{
	struct sent *s = arg;
	char o[DEC_BUFSZ], rc[DEC_BUFSZ], *d;

	dec_format(received, rc);
	if (ord == RX_KNOWN)
		dec_format(ordered, o);
	d = xasprintf("sent to NetSuite in all, of %s ordered",
	    ord == RX_KNOWN ? o : "?");
	fact(s->t, s->w, "sent", "state/receipt-export.state", 0, line, rc, d);
	free(d);
}

/* Quantities ordered (the polines ledger) and sent (receipt-export). */
static int
trace_state(struct trace *t, const char *spool)
{
	struct rx_state *st;
	struct sent s = { t, 0 };
	int rc = 0;

	if (polines_load(spool, want_po, ordered_line, t) != 0)
		rc = -1;
	if (rx_load(spool, &st) != 0)
		return -1;
	for (s.w = 0; st && s.w < t->nwant; s.w++)
		rx_state_po_lines(st, t->want[s.w], sent_line, &s);
	rx_state_free(st);
	return rc;
}

/* The PO's lines in one receipt file: what went, or goes, to NetSuite.
 * -1 when it could not be read (said). */
static int
trace_receipt(struct trace *t, const char *path, const char *rel,
    const char *detail)
{
	int w, bad = 0;
	cJSON *j = json_file(path, &bad), *o, *it, *items;
	char *q;

	cJSON_ArrayForEach(o, j) {
		if ((w = wanted(t, jstr(o, "order_id"))) < 0)
			continue;
		items = cJSON_GetObjectItemCaseSensitive(o, "items");
		cJSON_ArrayForEach(it, items) {
			q = jnum(it, "quantity");
			fact(t, w, "receipt", rel, 0, jstr(it, "line_id"), q,
			    detail);
			free(q);
		}
	}
	cJSON_Delete(j);
	return bad ? -1 : 0;
}

static int
trace_receipts(struct trace *t, const char *spool)
{
	static const char *const subs[] = { "new", "cur" };
	static const char *const what[] = { "waiting for receipt-push",
	    "published to NetSuite" };
	struct tracewalk tw = { t, trace_receipt, NULL, NULL, 0 };
	size_t k;

	for (k = 0; k < 2; k++) {
		tw.what = what[k];
		if (each_file(spool, "receipt", subs[k], ".json", trace_file,
		    &tw) != 0)
			return -1;
	}
	return tw.st;
}

/* A CSV whose first column is a PO id: NetSuite's error CSVs
 * (orderId,errorMessage) and excess.csv (order_id,line_id,quantity,
 * receipt_ids). */
struct csvwalk {
	struct trace *t;
	const char *rel, *kind;
	long long row;
};

static int
csv_fact(const struct csvio_row *row, void *arg)
{
	struct csvwalk *c = arg;
	int w;

	if (row->n == 0 || c->row++ == 0 || (w = wanted(c->t, row->f[0])) < 0)
		return 0;	/* empty, the header, another PO */
	if (strcmp(c->kind, "excess") == 0)
		fact(c->t, w, c->kind, c->rel, c->row, row->n > 1 ? row->f[1] :
		    NULL, row->n > 2 ? row->f[2] : NULL, row->n > 3 ?
		    row->f[3] : NULL);
	else
		fact(c->t, w, c->kind, c->rel, c->row, NULL, NULL,
		    row->n > 1 ? row->f[1] : NULL);
	return 0;
}

static int
trace_csv(struct trace *t, const char *path, const char *rel,
    const char *kind)
{
	struct csvwalk c = { t, rel, kind, 0 };
	char *data;
	size_t len;

	if (read_file(path, ROWS_MAX, &data, &len) < 0) {
		if (errno == ENOENT)
			return 0;
		msg_cannot_read(path);
		return -1;
	}
	csvio_parse(data, len, csv_fact, &c);
	free(data);
	return 0;
}

/* NetSuite's error CSVs (receipt/errors) and excess.csv. */
static int
trace_errors(struct trace *t, const char *spool)
{
	struct tracewalk tw = { t, trace_csv, "netsuite-error", NULL, 0 };
	char *p;

	if (each_file(spool, "receipt", "errors", NULL, trace_file, &tw) != 0)
		return -1;
	p = spool_area_path(spool, "receipt", "excess.csv");
	if (trace_csv(t, p, "receipt/excess.csv", "excess") != 0)
		tw.st = -1;
	free(p);
	return tw.st;
}

/* One row of the trace: -t, tab-separated (tsv.h's escaping); else
 * aligned to the widths in wd, every field escaped for a terminal.
 * With measure, only the widths are taken. */
static void
trace_row(char *const *f, int tsv, size_t *wd, int measure)
{
	struct buf b = {0}, t = {0};
	size_t k;

	for (k = 0; k < NF; k++) {
		b.len = 0;
		if (tsv) {	/* \t \n \\ first, then control bytes */
			t.len = 0;
			tsv_esc(&t, f[k]);
			esc_add(&b, t.len ? t.s : "", t.len);
		} else
			esc_add(&b, f[k], strlen(f[k]));
		if (measure)
			wd[k] = b.len > wd[k] ? b.len : wd[k];
		else if (tsv || k + 1 == NF)	/* b.len: b.s is not cut */
			printf("%.*s%c", (int)b.len, b.len ? b.s : "",
			    k + 1 < NF ? '\t' : '\n');
		else
			printf("%-*.*s  ", (int)wd[k], (int)b.len,
			    b.len ? b.s : "");
	}
	buf_free(&b);
	buf_free(&t);
}

/* The facts, a header first, each PO's together in the order asked. */
static void
trace_print(const struct trace *t, int tsv)
{
	size_t wd[NF] = {0}, i;
	int pass, w;

	for (pass = tsv; pass < 2; pass++) {	/* widths, then the rows */
		trace_row((char *const *)fhead, tsv, wd, !pass);
		for (w = 0; w < t->nwant; w++)
			for (i = 0; i < t->n; i++)
				if (wanted(t, t->f[i][F_PO]) == w)
					trace_row(t->f[i], tsv, wd, !pass);
	}
}

/* Trace every PO asked for: 0; 1 when one was never seen (said);
 * S_UNKNOWN when a folder or file of the spool could not be read (said;
 * a PO not found then is not "never seen": the file may name it). */
static int
trace_pos(const struct config *c, char **pos, int npos, int tsv)
{
	struct trace t = { pos, npos, xcalloc((size_t)npos, sizeof(int)),
	    NULL, 0, 0 };
	const char *sp = c->spool.dir;
	int st = 0, i, bad;
	size_t k;
	char *q;

	msg_info("tracing %d PO(s) through %s", npos, sp);
	bad = trace_raw(&t, c) | trace_batches(&t, sp) | trace_state(&t, sp) |
	    trace_receipts(&t, sp) | trace_errors(&t, sp);
	trace_print(&t, tsv);
	for (i = 0; i < npos; i++)
		if (!t.found[i]) {
			q = msg_quote(pos[i], strlen(pos[i]));
			if (bad)
				msg_warn("PO %s: not found in what could be "
				    "read of %s (see above)", q, sp);
			else
				msg_warn("PO %s: posync never saw it (no CSV, "
				    "batch, ledger or receipt file in %s names "
				    "it)", q, sp);
			free(q);
			st = 1;
		}
	for (k = 0; k < t.n; k++)
		for (i = 0; i < NF; i++)
			free(t.f[k][i]);
	free(t.f);
	free(t.found);
	return bad ? S_UNKNOWN : st;
}

/* ------------------------------------------------------------------ main */

/* A spool not made yet (no posync program ran on it: a wrong [spool]
 * dir?) or that this user cannot read is no answer at all: -1, said. */
static int
spool_readable(const char *dir)
{
	char *state = spool_state_path(dir, NULL);
	DIR *d = opendir(state);

	if (d)
		closedir(d);
	else
		msg_warnerr("cannot read the spool's state folder %s", state);
	free(state);
	return d ? 0 : -1;
}

static int
set_tsv(const char *arg, void *ctx)
{
	(void)arg;
	((struct run *)ctx)->tsv = 1;
	return 0;
}

static int
set_seen(const char *arg, void *ctx)
{
	(void)arg;
	((struct run *)ctx)->seen = 1;
	return 0;
}

static const struct prog_opt opts[] = {
	{ "tab", NULL, "the trace tab-separated rather than aligned",
	    set_tsv, 't' },
	{ "seen", NULL, "remember the rejected, excess and NetSuite error\n"
	    "rows now there as seen by a person", set_seen, 0 },
	{ NULL, NULL, NULL, NULL, 0 }
};

static const struct prog_spec spec = {
	.lock = "posync-status",
	.area = "po",
	.operands = "[PO ...]",
	.dry = "with --seen: say what would be marked seen,\nremember nothing",
	.opts = opts,
	.check = config_check_status,
	.readonly = 1,
	.exits = "exit status:\n"
	    "   0  OK: every check, or every PO traced\n"
	    "   1  WARNING; a PO posync never saw\n"
	    "   2  CRITICAL\n"
	    "   3  UNKNOWN: the configuration, the spool or the\n"
	    "      command line could not be used\n",
	.unknown = S_UNKNOWN,
};

int
main(int argc, char **argv)
{
	struct run r = {0};
	struct prog *prog;
	struct config cfg;
	char **pos;
	int npos, st;

	prog = prog_parse(&spec, argc, argv, &r);
	pos = prog_operands(prog, &npos);
	if (r.seen && npos > 0) {	/* a trace marks nothing */
		msg_warn("--seen takes no PO: it marks every row now there");
		return prog_finish(prog, S_UNKNOWN);
	}
	r.dry = prog_dry(prog);
	if (prog_start(prog, &cfg) != 0 || spool_readable(cfg.spool.dir) != 0) {
		printf("POSYNC UNKNOWN - the configuration or the spool cannot "
		    "be used (said on stderr)\n");
		return prog_finish(prog, S_UNKNOWN);
	}
	r.c = &cfg;
	r.dir = cfg.spool.dir;
	r.now = time(NULL);
	if (npos > 0)
		st = trace_pos(&cfg, pos, npos, r.tsv);
	else {
		health(&r);
		st = report(&r);
	}
	return prog_finish(prog, st);
}
