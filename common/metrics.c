/*
 * metrics -- see metrics.h.  The run counts in memory; prog_finish hands
 * the counts to metrics_finish, which keeps the counters in the state
 * file and writes the text node_exporter reads and a Pushgateway takes.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "metrics.h"
#include "msg.h"
#include "notes.h"
#include "push.h"
#include "spool.h"
#include "util.h"

#define PEP	"po-export-parse"
#define POI	"po-import"
#define REX	"receipt-export"
#define RPU	"receipt-push"

static const struct {
	const char *key;	/* in the state file */
	const char *help;
	const char *owner;	/* the one program that writes it; NULL: all */
} table[M_NMETRICS] = {
	[M_CSV_FILES] = { "csv_files", "NetSuite PO CSV files parsed", PEP },
	[M_ROWS_ACCEPTED] = { "rows_accepted", "PO CSV rows put in batches", PEP },
	[M_ROWS_REJECTED] = { "rows_rejected", "PO CSV rows refused (spool/po/rejects)", PEP },
	[M_ROWS_RECOVERED] = { "rows_recovered", "PO CSV rows whose product-sku held commas, read NetSuite's way (also accepted)", PEP },
	[M_BATCHES_UPLOADED] = { "batches_uploaded", "PO batches HotWax accepted", POI },
	[M_BATCHES_FAILED] = { "batches_failed", "PO batches moved to spool/po/failed", POI },
	[M_HOTWAX_ROW_ERRORS] = { "hotwax_row_errors", "PO rows HotWax's import logs failed", POI },
	[M_RECEIPTS_EXPORTED] = { "receipts_exported", "HotWax receipts exported, each once (entered in receipt-export's ledger)", REX },
	[M_EXCESS_ROWS] = { "excess_rows", "received quantities beyond what is open (excess.csv rows)", REX },
	[M_RECEIPT_FILES_PUBLISHED] = { "receipt_files_published", "receipt files published to NetSuite", RPU },
	[M_NETSUITE_ERROR_FILES] = { "netsuite_error_files", "NetSuite error CSVs found", RPU },
	[M_RETRIES] = { "retries", "HTTP calls to HotWax tried again after a transient failure", NULL },
	[M_DOWNLOADED_BYTES] = { "downloaded_bytes", "bytes read from SFTP and HTTP", NULL },
	[M_UPLOADED_BYTES] = { "uploaded_bytes", "bytes written to SFTP and HTTP", NULL },
	[M_RECEIPT_UNREAD_AGE] = { "receipt_unread_oldest_age_seconds", "age of the oldest published receipt file NetSuite has not read (0: none)", RPU },
	[M_RECEIPT_CURSOR] = { "receipt_cursor_timestamp_seconds", "time up to which HotWax receipts are exported", REX },
};

static long long value[M_NMETRICS];
static int isset[M_NMETRICS];
static int64_t start_ms, start_mono;

void
metric_add(enum metric m, long long n)
{
	if (m < M_NCOUNTERS && n > 0)	/* saturated: never UB */
		value[m] = n > LLONG_MAX - value[m] ? LLONG_MAX : value[m] + n;
}

void
metric_set(enum metric m, long long v)
{
	if (m >= M_NCOUNTERS && m < M_NMETRICS) {
		value[m] = v;
		isset[m] = 1;
	}
}

const char *
metric_name(enum metric m)
{
	static char name[M_NMETRICS][80];

	if (!name[m][0])
		bsnprintf(name[m], sizeof name[m], "posync_%s%s", table[m].key,
		    m < M_NCOUNTERS ? "_total" : "");
	return name[m];
}

void
metrics_start(void)
{
	start_ms = now_ms();
	start_mono = mono_ms();
}

/* One "KEY N" of the state file into *v (left as it was when absent).  A
 * damaged line is said and taken as 0: that counter starts again (a
 * reset, to Prometheus), the others are kept. */
static void
state_num(const struct notes *n, const char *path, const char *key,
    long long *v)
{
	const char *rest = notes_find(n, key);
	long long x;

	if (!rest)
		return;
	if (notes_nums(rest, &x, 1) == 0)
		*v = x;
	else
		msg_warn("%s: its line %s is damaged: taken as 0", path, key);
}

static void
state_load(const struct notes *n, const char *path, struct metrics_last *l)
{
	long long ex = -1;
	int i;

	memset(l, 0, sizeof *l);
	state_num(n, path, "start", &l->start);
	state_num(n, path, "end", &l->end);
	if (notes_find(n, "success"))	/* -1 when damaged: unknown */
		l->success = -1;
	state_num(n, path, "success", &l->success);
	state_num(n, path, "duration_ms", &l->duration_ms);
	state_num(n, path, "exit", &ex);
	l->exit = ex >= 0 && ex < 256 ? (int)ex : -1;
	for (i = 0; i < M_NCOUNTERS; i++)
		state_num(n, path, table[i].key, &l->count[i]);
	for (i = M_NCOUNTERS; i < M_NMETRICS; i++) {
		l->gauge[i - M_NCOUNTERS] = -1;
		state_num(n, path, table[i].key, &l->gauge[i - M_NCOUNTERS]);
	}
}

static char *
state_path(const char *spooldir, const char *prog)
{
	return spool_state_file(spooldir, prog, "metrics");
}

int
metrics_read(const char *spooldir, const char *prog, struct metrics_last *l)
{
	char *path = state_path(spooldir, prog);
	struct notes *n;
	int i;

	memset(l, 0, sizeof *l);
	l->exit = -1;
	for (i = M_NCOUNTERS; i < M_NMETRICS; i++)
		l->gauge[i - M_NCOUNTERS] = -1;
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	n = notes_open(path, 1);
	if (n)
		state_load(n, path, l);
	free(path);
	if (!n)
		return -1;
	notes_close(n);
	return 0;
}

/* A counter plus the run's count.  A sum past LLONG_MAX (a damaged or
 * hostile state file: no spool counts that far) would overflow: the
 * counter starts again from the run's count, said (Prometheus reads a
 * counter that went down as a reset, as it reads any). */
static long long
counter_add(const char *path, int i, long long was, long long n)
{
	if (was <= LLONG_MAX - n)
		return was + n;
	msg_warn("%s: its counter %s would pass %lld: started again from this "
	    "run's %lld", path, table[i].key, LLONG_MAX, n);
	return n;
}

/* The last success: this run's end when it did its work.  One the state
 * holds later than this run's end was recorded with the clock ahead:
 * kept, it would read "succeeded just now" until the clock caught up
 * (no alert on its age could fire); taken as never, said once (the next
 * run finds it gone). */
static void
success_update(const char *path, struct metrics_last *l, int st)
{
	if (exit_done(st))
		l->success = l->end;
	else if (l->success > l->end) {
		msg_warn("%s: its last success (%lld) is later than now (%lld): "
		    "the clock went back; taken as never", path, l->success,
		    l->end);
		l->success = 0;
	}
}

/* The run added to the state file's: *l is what the next run reads.  A
 * gauge this run did not measure keeps its last known value.  A state
 * file that cannot be read, or a later posync's (said by notes_open), is
 * left as it is, never replaced: this run's metrics are its own counts
 * alone. */
static void
state_update(const struct config *cfg, const char *prog, int st,
    struct metrics_last *l)
{
	char *path = state_path(cfg->spool.dir, prog);
	struct notes *n = notes_open(path, 1);
	long long *g;
	int i;

	memset(l, 0, sizeof *l);
	for (i = M_NCOUNTERS; i < M_NMETRICS; i++)
		l->gauge[i - M_NCOUNTERS] = -1;
	if (n)
		state_load(n, path, l);
	l->start = start_ms / 1000;
	l->end = now_ms() / 1000;
	l->duration_ms = mono_ms() - start_mono;
	l->exit = st;
	if (l->success < 0)	/* damaged: said, taken as 0 */
		l->success = 0;
	success_update(path, l, st);
	for (i = 0; i < M_NCOUNTERS; i++)
		l->count[i] = counter_add(path, i, l->count[i], value[i]);
	for (i = M_NCOUNTERS; i < M_NMETRICS; i++)
		if (isset[i])
			l->gauge[i - M_NCOUNTERS] = value[i];
	free(path);
	if (!n)
		return;
	for (i = 0; i < M_NCOUNTERS; i++)
		notes_keepf(n, table[i].key, "%lld", l->count[i]);
	for (i = M_NCOUNTERS; i < M_NMETRICS; i++)
		if (*(g = &l->gauge[i - M_NCOUNTERS]) >= 0)
			notes_keepf(n, table[i].key, "%lld", *g);
	notes_keepf(n, "start", "%lld", l->start);
	notes_keepf(n, "end", "%lld", l->end);
	notes_keepf(n, "success", "%lld", l->success);
	notes_keepf(n, "duration_ms", "%lld", l->duration_ms);
	notes_keepf(n, "exit", "%d", l->exit);
	notes_save(n);
	notes_close(n);
}

/* HELP and TYPE of a metric, once before its first series. */
static void
head(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
gauge(struct buf *b, const char *labels, const char *name, const char *help,
    const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
gauge(struct buf *b, const char *labels, const char *name, const char *help,
    const char *fmt, ...)
{
	va_list ap;

	head(b, name, "gauge", help);
	buf_addf(b, "%s{%s} ", name, labels);
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
	buf_addc(b, '\n');
}

/* The items of queue q (spool.h's table): 0 files is an empty queue, -1
 * (said) one whose folder cannot be read, never taken for empty. */
long long
metrics_queue(const char *spooldir, const struct spool_queue *q,
    long long *oldest)
{
	char *dir = spool_area_path(spooldir, q->area, q->sub), *p;
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	long long n = 0;

	*oldest = 0;
	if (!d) {
		msg_warnerr("cannot read the queue folder %s", dir);
		free(dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (!spool_queue_item(q, e->d_name))
			continue;
		p = path_join(dir, e->d_name);
		if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
			n++;
			if (*oldest == 0 || sb.st_mtime < *oldest)
				*oldest = sb.st_mtime;
		}
		free(p);
	}
	closedir(d);
	free(dir);
	return n;
}

/* prog's queues (spool.h's table); one that cannot be read has no
 * series: a gap, never a false 0. */
static void
queues_text(struct buf *b, const char *labels, const char *spooldir,
    const char *prog)
{
	long long now = now_ms() / 1000, *n, *oldest;
	const struct spool_queue **q;
	size_t i, nq = 0;

	for (i = 0; spool_queues[i].name; i++)
		;
	n = xcalloc(i, sizeof *n);
	oldest = xcalloc(i, sizeof *oldest);
	q = xcalloc(i, sizeof *q);
	for (i = 0; spool_queues[i].name; i++)
		if (strcmp(spool_queues[i].prog, prog) == 0 && (n[nq] =
		    metrics_queue(spooldir, &spool_queues[i], &oldest[nq])) >= 0)
			q[nq++] = &spool_queues[i];
	if (nq)
		head(b, "posync_queue_files", "gauge",
		    "files waiting in a spool queue");
	for (i = 0; i < nq; i++)
		buf_addf(b, "posync_queue_files{%s,queue=\"%s\"} %lld\n", labels,
		    q[i]->name, n[i]);
	if (nq)
		head(b, "posync_queue_oldest_age_seconds", "gauge",
		    "age of the oldest file in a spool queue (0: empty)");
	for (i = 0; i < nq; i++)
		buf_addf(b, "posync_queue_oldest_age_seconds{%s,queue=\"%s\"} "
		    "%lld\n", labels, q[i]->name,
		    n[i] && now > oldest[i] ? now - oldest[i] : 0);
	free(n);
	free(oldest);
	free(q);
}

static int
mine(enum metric m, const char *prog)
{
	return !table[m].owner || strcmp(table[m].owner, prog) == 0;
}

static void
text(struct buf *b, const char *prog, const char *labels,
    const struct metrics_last *l)
{
	int i;

	gauge(b, labels, "posync_last_run_timestamp_seconds",
	    "when the last run ended", "%lld", l->end);
	gauge(b, labels, "posync_last_success_timestamp_seconds",
	    "when the last run that did its work ended (0: never)", "%lld",
	    l->success);
	gauge(b, labels, "posync_last_exit_status",
	    "the last run's exit status (posync(7))", "%d", l->exit);
	gauge(b, labels, "posync_run_duration_seconds",
	    "how long the last run took", "%lld.%03lld", l->duration_ms / 1000,
	    l->duration_ms % 1000);
	for (i = 0; i < M_NCOUNTERS; i++) {
		if (!mine(i, prog))
			continue;
		head(b, metric_name(i), "counter", table[i].help);
		buf_addf(b, "%s{%s} %lld\n", metric_name(i), labels,
		    l->count[i]);
	}
	for (i = M_NCOUNTERS; i < M_NMETRICS; i++)	/* as last measured */
		if (l->gauge[i - M_NCOUNTERS] >= 0 && mine(i, prog))
			gauge(b, labels, metric_name(i), table[i].help, "%lld",
			    l->gauge[i - M_NCOUNTERS]);
}

/* The .prom file's first line: the spool it counts, control bytes as
 * '?' (a comment is one line). */
#define SPOOL_TAG	"# posync spool "

static char *
spool_line(const char *spooldir)
{
	char *s = xasprintf(SPOOL_TAG "%s\n", spooldir), *p;

	for (p = s + strlen(SPOOL_TAG); p[1]; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

/* Whether the .prom's spool line names this run's spool: the same
 * text, or a name of the same folder (a trailing '/', a symlink, a
 * relative path: the same st_dev and st_ino). */
static int
same_spool(const char *theirs, size_t len, const char *mine)
{
	size_t tl = strlen(SPOOL_TAG);
	char *a, *b;
	struct stat sa, sb;
	int same;

	if (len == strlen(mine) && memcmp(theirs, mine, len) == 0)
		return 1;
	a = xasprintf("%.*s", (int)(len - tl - 1), theirs + tl);
	b = xasprintf("%.*s", (int)(strlen(mine) - tl - 1), mine + tl);
	same = stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	free(a);
	free(b);
	return same;
}

/* Another spool's name on the file posync is about to replace: two
 * configurations share [metrics] instance in one textfile_dir and
 * overwrite each other's metrics, run after run.  Said; the run's own
 * metrics are written all the same. */
static void
check_spool(const char *path, const char *mine, const char *inst)
{
	char *data = NULL, *q, *nl;
	size_t len, tl = strlen(SPOOL_TAG);

	if (read_file(path, 1 << 20, &data, &len) != 0)
		return;	/* none yet, or not posync's to judge */
	if (len > tl && memcmp(data, SPOOL_TAG, tl) == 0 &&
	    (nl = memchr(data, '\n', len)) != NULL &&
	    !same_spool(data, (size_t)(nl - data + 1), mine)) {
		q = msg_quote(data + tl, (size_t)(nl - data) - tl);
		msg_warn("%s: written for the spool %s too: two configurations "
		    "share [metrics] instance %s and overwrite each other's "
		    "metrics; give each its own instance", path, q, inst);
		free(q);
	}
	free(data);
}

/* A run killed while writing leaves DIR/.posync_PROG_INSTANCE.prom.PID
 * behind: removed at the next write of the same file, when its PID runs
 * no more (or, a PID taken again since, after a day: a write never takes
 * so long).  Another program's or instance's are never touched. */
static void
textfile_tidy(const char *dir, const char *prefix)
{
	size_t pl = strlen(prefix);
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	char *end;
	long pid;

	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, pl) != 0)
			continue;
		errno = 0;
		pid = strtol(e->d_name + pl, &end, 10);
		if (end == e->d_name + pl || *end || errno || pid <= 0 ||
		    pid == (long)getpid() ||
		    fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		if ((kill((pid_t)pid, 0) != 0 && errno == ESRCH) ||
		    time(NULL) - sb.st_mtime > 86400)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d)
		closedir(d);
}

/* DIR/posync_PROG_INSTANCE.prom, replaced whole, readable by the node
 * exporter's user (0644: metrics hold no secret).  A failure names
 * [metrics] textfile_dir: the usual cause is that folder. */
static int
textfile(const char *dir, const char *prog, const char *inst,
    const char *mine, const struct buf *b)
{
	char *path = xasprintf("%s/posync_%s_%s.prom", dir, prog, inst);
	char *tmp = xasprintf("%s/.posync_%s_%s.prom.%ld", dir, prog, inst,
	    (long)getpid());
	char *prefix = xasprintf(".posync_%s_%s.prom.", prog, inst);
	int fd, rc = -1;

	textfile_tidy(dir, prefix);
	free(prefix);
	check_spool(path, mine, inst);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644))
	    < 0 || fchmod(fd, 0644) != 0 || write_all(fd, b->s, b->len) != 0 ||
	    fsync(fd) != 0 || close(fd) != 0 || (fd = -1, rename(tmp, path)
	    != 0))
		msg_warn("metrics not written to [metrics] textfile_dir %s (%s): "
		    "%s", dir, path, strerror(errno));
	else
		rc = 0;
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
	free(path);
	free(tmp);
	return rc;
}

/* PUT the text to URL/metrics/job/posync_PROG/instance/INSTANCE: the
 * group is replaced whole, as a run's metrics are. */
static int
push(const char *url, const char *prog, const char *inst, const struct buf *b)
{
	char *to = xasprintf("%s%smetrics/job/posync_%s/instance/%s", url,
	    url[0] && url[strlen(url) - 1] == '/' ? "" : "/", prog, inst);
	char why[512];
	int rc;

	if ((rc = push_put(to, "Content-Type: text/plain; version=0.0.4",
	    b->s, b->len, 10, why, sizeof why)) != 0)
		msg_warn("metrics not pushed to %s: %s", to, why);
	free(to);
	return rc;
}

int
metrics_finish(const struct config *cfg, const char *prog, int st)
{
	struct metrics_last l;
	struct buf b = {0};
	char *labels, *mine;

	state_update(cfg, prog, st, &l);
	labels = xasprintf("program=\"%s\",instance=\"%s\"", prog,
	    cfg->metrics.instance);
	mine = spool_line(cfg->spool.dir);
	buf_adds(&b, mine);
	text(&b, prog, labels, &l);
	queues_text(&b, labels, cfg->spool.dir, prog);
	if (cfg->metrics.textfile_dir)
		textfile(cfg->metrics.textfile_dir, prog, cfg->metrics.instance,
		    mine, &b);
	if (cfg->metrics.push_url)
		push(cfg->metrics.push_url, prog, cfg->metrics.instance, &b);
	buf_free(&b);
	free(labels);
	free(mine);
	return 0;
}
